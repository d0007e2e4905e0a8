"""Import a folder of plan PDFs into the store, one transaction per plan."""

from __future__ import annotations

import csv
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from ehcaudit.analyse import AnalysedPlan, analyse_pdf
from ehcaudit.checks import check_sections
from ehcaudit.errors import EhcauditError
from ehcaudit.pdf import sha256_file
from ehcaudit.store.hints import store_many_hints
from ehcaudit.store.plans import METADATA_FIELDS, add_plan, plan_by_sha

HINT_BATCH = 50

_META_ALIASES = {
    "file": "file", "file_name": "file", "filename": "file", "plan": "file",
    "phase": "phase", "key_stage": "phase", "keystage": "phase",
    "primary_need": "primary_need", "need": "primary_need", "primary need": "primary_need",
    "setting": "setting", "setting_type": "setting", "setting type": "setting",
    "team": "team",
}


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"


def collect_pdfs(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """PDF files under the given files and folders (recursively), and a line for each bad path."""
    found: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return found, problems


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """File name -> plan metadata (phase, primary_need, setting, team) from a CSV."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames:
                raise EhcauditError(f"{path}: the metadata CSV is empty; it needs a header row with a file column")
            columns = {name: _META_ALIASES.get(name.strip().lower()) for name in reader.fieldnames}
            if "file" not in columns.values():
                raise EhcauditError(f"{path}: the metadata CSV needs a 'file' column naming each PDF")
            out: dict[str, dict[str, str]] = {}
            for row in reader:
                values = {columns[k]: (v or "").strip() for k, v in row.items() if k and columns.get(k)}
                name = values.pop("file", "")
                if name:
                    out[Path(name).name.lower()] = {k: v for k, v in values.items() if k in METADATA_FIELDS and v}
            return out
    except FileNotFoundError:
        raise EhcauditError(f"{path}: no such metadata file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EhcauditError(f"{path}: not a readable CSV ({exc}); save it as CSV UTF-8") from None


def _analyse_safely(path: Path) -> AnalysedPlan | str:
    # Runs in worker processes: return the error line rather than raising across the pool.
    try:
        return analyse_pdf(path)
    except EhcauditError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - one strange file must not stop a batch
        return f"{path}: could not be read ({type(exc).__name__}); check it opens in a PDF reader"


def _analysed(paths: list[Path], jobs: int) -> Iterator[tuple[Path, AnalysedPlan | str]]:
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield p, _analyse_safely(p)
        return
    # Keep only a few plans in flight, so memory stays flat however big the batch.
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: list[tuple[Path, Future]] = []
        queue = iter(paths)
        for p in queue:
            pending.append((p, pool.submit(_analyse_safely, p)))
            if len(pending) >= jobs * 2:
                break
        while pending:
            p, fut = pending.pop(0)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_analyse_safely, nxt)))
            yield p, fut.result()


def import_plans(
    db: sqlite_utils.Database,
    paths: list[Path],
    *,
    cohort: str | None = None,
    metadata: dict[str, dict[str, str]] | None = None,
    jobs: int = 1,
    refuse_unredacted: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import every PDF under paths; one clear line per duplicate or failure."""
    report = ImportReport()
    files, problems = collect_pdfs(paths)
    for line in problems:
        report.failed += 1
        report.lines.append(line)
    metadata = metadata or {}
    seen: set[str] = set()
    fresh: list[Path] = []
    for path in files:
        try:
            digest = sha256_file(path)
        except OSError as exc:
            report.failed += 1
            report.lines.append(f"{path}: cannot read ({exc.strerror})")
            if progress:
                progress(path)
            continue
        if digest in seen or plan_by_sha(db, digest) is not None:
            report.duplicates += 1
            report.lines.append(f"{path}: duplicate of a plan already imported; skipped")
            if progress:
                progress(path)
            continue
        seen.add(digest)
        fresh.append(path)
    hints: list = []  # pre-check hints, stored a batch at a time
    for path, result in _analysed(fresh, max(1, jobs)):
        if progress:
            progress(path)
        if isinstance(result, str):
            report.failed += 1
            report.lines.append(result)
            continue
        if result.unredacted:
            if refuse_unredacted:
                report.failed += 1
                report.lines.append(f"{path}: refused: {result.warnings[0]}")
                continue
            report.lines.append(f"{path}: warning: {result.warnings[0]}")
        plan_id = add_plan(
            db,
            label=result.label,
            file_name=path.name,
            sha256=result.sha256,
            pages=result.pages,
            sections=result.sections,
            warnings=result.warnings,
            cohort=cohort,
            metadata=metadata.get(path.name.lower()),
        )
        hints.append((plan_id, check_sections(result.sections, result.pages)))
        if len(hints) >= HINT_BATCH:
            store_many_hints(db, hints)
            hints = []
        report.imported += 1
        report.plan_ids.append(plan_id)
    store_many_hints(db, hints)
    return report


def default_jobs() -> int:
    return min(4, os.cpu_count() or 1)
