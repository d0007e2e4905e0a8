"""Import a folder of plan PDFs into the store, one transaction per plan."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

from ehcaudit.output.words import plural
from ehcaudit.ingest.read_plan import AnalysedPlan
from ehcaudit.errors import EhcauditError, StoreError
from ehcaudit.checks import check_sections
from ehcaudit.pdf import sha256_file
from ehcaudit.ingest.pool import DEFAULT_TIMEOUT, analyse_all
from ehcaudit.store.db import Database, explain
from ehcaudit.store.hints import store_hints
from ehcaudit.store.plans import METADATA_FIELDS, DuplicatePlan, add_plan, plan_by_sha

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
    stopped: str | None = None  # why the batch stopped early (the database cannot be written), if it did

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"

    def fail(self, line: str) -> None:
        self.failed += 1
        self.lines.append(shown(line))


def shown(text: str | Path) -> str:
    """Text safe to store and print: bytes of a file name that are not UTF-8 become U+FFFD."""
    text = str(text)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _is_pdf_name(name: str) -> bool:
    return name.lower().endswith(".pdf")


def not_a_file(path: Path) -> str | None:
    """Why path cannot be read as a plan file (missing, a broken link, a FIFO, a device), or None."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return f"{shown(path)}: is a link to {shown(os.readlink(path))}, which does not exist; skipped"
        return f"{shown(path)}: no such file or folder"
    except OSError as exc:
        return f"{shown(path)}: cannot read ({exc.strerror}); skipped"
    if stat.S_ISFIFO(info.st_mode):
        return f"{shown(path)}: is a named pipe (FIFO), not a file; give the PDF file itself"
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return f"{shown(path)}: is a device or socket, not a file; skipped"
    return None


def collect_pdfs(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """PDF files under the given files and folders (recursively, following links to folders once),
    and one line for each path that was skipped and why (broken links, FIFOs, unreadable folders)."""
    found: list[Path] = []
    problems: list[str] = []
    for top in paths:
        problem = not_a_file(top)
        if problem:
            problems.append(problem)
        elif top.is_file():
            found.append(top)
        else:
            files, lines = _walk(top)
            found.extend(files)
            problems.extend(lines)
    return found, problems


def _walk(top: Path) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()
    folders = [top]
    while folders:  # a stack, not recursion: a folder tree can be deeper than Python's stack
        folder = folders.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue  # a link back to a folder already searched
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            problems.append(f"{shown(folder)}: cannot open the folder ({exc.strerror}); its files were skipped")
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():  # follows links to folders
                    folders.append(path)
                    continue
            except OSError:
                pass
            if not _is_pdf_name(entry.name):
                continue
            problem = not_a_file(path)
            if problem:
                problems.append(problem)
            else:
                files.append(path)
    return sorted(files), problems


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


def import_plans(db: Database, paths: list[Path], **options: Any) -> ImportReport:
    """Import every PDF under paths (files or folders); the options are those of import_files."""
    files, skipped = collect_pdfs(paths)
    return import_files(db, files, skipped, **options)


def import_files(
    db: Database,
    files: list[Path],
    skipped: Iterable[str] = (),
    *,
    cohort: str | None = None,
    metadata: dict[str, dict[str, str]] | None = None,
    jobs: int = 1,
    refuse_unredacted: bool = False,
    progress: Callable[[Path], None] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import the PDF files collect_pdfs found; one clear line per duplicate, failure or skipped path.

    Each file is read within `timeout` seconds in a worker process; files are stored as they
    finish. A plan another import stored first is a duplicate. If the database itself cannot be
    written (damaged, read-only, disk full) the batch stops with a line saying what was not read.
    """
    report = ImportReport()
    for line in skipped:
        report.fail(line)
    fresh: list[Path] = []
    try:
        _find_fresh(db, files, report, progress, fresh)
    except sqlite3.Error as exc:
        return _stop(report, explain(exc, getattr(db, "path", "database")), len(files) - len(fresh) - report.duplicates)
    labels = _batch_labels(fresh)
    results = analyse_all(fresh, jobs=max(1, jobs), timeout=timeout, stop=stop)
    left = len(fresh)
    try:
        for path, result in results:
            left -= 1
            if progress:
                progress(path)
            if isinstance(result, str):
                report.fail(result)
                continue
            try:
                _store(db, report, path, result, labels[path], cohort, metadata or {}, refuse_unredacted)
            except StoreError as exc:
                return _stop(report, exc, left + 1)
    finally:
        results.close()  # stops every worker, also when the batch is interrupted
    return report


def _find_fresh(db: Database, files: list[Path], report: ImportReport, progress: Callable[[Path], None] | None,
                fresh: list[Path]) -> None:
    """Append to fresh the files not yet in the store (nor twice in this batch); unreadable files and
    duplicates get a line. fresh is filled in place so a database error part-way leaves what was found."""
    seen: set[str] = set()
    for path in files:
        try:
            digest = sha256_file(path)
        except OSError as exc:
            report.fail(f"{path}: cannot read ({exc.strerror})")
        else:
            if digest in seen or plan_by_sha(db, digest) is not None:
                report.duplicates += 1
                report.lines.append(shown(f"{path}: duplicate of a plan already imported; skipped"))
            else:
                seen.add(digest)
                fresh.append(path)
                continue
        if progress:
            progress(path)


def _stop(report: ImportReport, exc: StoreError, not_stored: int) -> ImportReport:
    report.stopped = str(exc)
    report.failed += not_stored
    report.lines.append(shown(f"import stopped: {exc}; {plural(not_stored, 'file')} not imported"))
    return report


def _batch_labels(paths: list[Path]) -> dict[Path, tuple[str, str | None]]:
    """Each file's label and the folder to prefix if it is taken: decided in path order before reading,
    so that files finishing in a different order still get the same labels."""
    out: dict[Path, tuple[str, str | None]] = {}
    used: set[str] = set()
    for path in paths:
        stem, folder = shown(path.stem), shown(path.resolve().parent.name) or None
        if stem in used and folder:
            out[path] = (f"{folder}/{stem}", None)
        else:
            out[path] = (stem, folder)
        used.add(out[path][0])
    return out


def _store(db: Database, report: ImportReport, path: Path, result: AnalysedPlan, label: tuple[str, str | None],
           cohort: str | None, metadata: dict[str, dict[str, str]], refuse_unredacted: bool) -> None:
    name = shown(path.name)
    if name != path.name:
        report.lines.append(f"{shown(path)}: the file name is not valid UTF-8; stored as '{name}'")
    if result.unredacted:
        if refuse_unredacted:
            report.fail(f"{path}: refused: {result.warnings[0].message}")
            return
        report.lines.append(shown(f"{path}: warning: {result.warnings[0].message}"))
    wanted = shown(path.stem)
    try:
        added = add_plan(
            db,
            label=label[0],
            folder=label[1],
            file_name=name,
            sha256=result.sha256,
            pages=result.pages,
            sections=result.sections,
            warnings=result.warnings,
            set_aside=result.set_aside,
            cohort=cohort,
            metadata=metadata.get(name.lower()),
        )
    except DuplicatePlan:
        report.duplicates += 1
        report.lines.append(shown(f"{path}: duplicate of a plan already imported; skipped"))
        return
    if added.label != wanted:
        why = "another file in this batch has the same name" if label[0] != wanted else f"another plan is already labelled '{wanted}'"
        report.lines.append(f"{shown(path)}: {why}; this one is labelled '{added.label}'")
    store_hints(db, added.id, check_sections(result.sections, result.pages))
    report.imported += 1
    report.plan_ids.append(added.id)


def default_jobs() -> int:
    return min(4, os.cpu_count() or 1)
