"""Running the pre-checks on PDF files or on the plans of a database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ehcaudit.checks.run import PlanHints, check_sections, copy_hints
from ehcaudit.errors import EhcauditError

if TYPE_CHECKING:  # checking PDF files needs no database
    from ehcaudit.store.db import Database


def check_files(paths: list[Path]) -> list[PlanHints]:
    """Hints for each PDF; a file that cannot be read gets its error line instead, and the others go on."""
    from ehcaudit.ingest.read_plan import analyse_pdf

    out = []
    for path in paths:
        try:
            plan = analyse_pdf(path)
        except EhcauditError as exc:
            out.append(PlanHints(str(path), error=str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one strange file must not stop the others
            out.append(PlanHints(str(path), error=f"{path}: could not be read ({type(exc).__name__}); check it opens in a PDF reader"))
            continue
        out.append(PlanHints(str(path), check_sections(plan.sections, plan.pages)))
    return out


def check_db(db: Database, cohort: str | None = None) -> list[PlanHints]:
    """Hints for every stored plan (of a cohort), with text copied between the plans of that sample."""
    from ehcaudit.store.plans import list_plans, plan_pages, plan_sections

    rows = list_plans(db, cohort=cohort)
    if not rows:
        where = f" in cohort '{cohort}'" if cohort else ""
        raise EhcauditError(f"no plans{where} in this database; import some with `ehcaudit import`")
    from ehcaudit.store.hints import plan_hints

    sample = []
    for row in rows:
        sections = list(plan_sections(db, row.id).values())
        sample.append((row.file_name or row.label, sections, plan_pages(db, row.id)))
    copied = copy_hints(sample)
    return [
        PlanHints(name, plan_hints(db, row.id) + extra)
        for row, (name, _sections, _pages), extra in zip(rows, sample, copied)
    ]
