"""Import with and without the pre-checks stored at import, and `check --db` after it, on one folder of PDFs.
Run by hand: python bench/check_import_cost.py DIR"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ehcaudit.ingest import importer
from ehcaudit.checks.sample import check_db
from ehcaudit.store import open_db


def timed_import(folder: Path, with_checks: bool) -> tuple[float, Path]:
    db_path = Path(tempfile.mkdtemp()) / "bench.db"
    db = open_db(db_path)
    saved = importer.store_many_hints
    if not with_checks:
        importer.store_many_hints = lambda *a, **k: None  # type: ignore[assignment]
        importer.check_sections = lambda *a, **k: []  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        importer.import_plans(db, [folder], cohort="bench")
        return time.perf_counter() - t0, db_path
    finally:
        importer.store_many_hints = saved
        from ehcaudit.checks import check_sections

        importer.check_sections = check_sections


def main() -> None:
    folder = Path(sys.argv[1])
    # Alternate the two and keep the best of three each, so warm-up and a busy machine count for neither.
    plain_runs, checked_runs = [], []
    for _ in range(3):
        plain_runs.append(timed_import(folder, with_checks=False)[0])
        t, db_path = timed_import(folder, with_checks=True)
        checked_runs.append(t)
    plain, checked = min(plain_runs), min(checked_runs)
    t0 = time.perf_counter()
    check_db(open_db(db_path), "bench")
    after = time.perf_counter() - t0
    print(f"import without pre-checks {plain:.2f} s, with them stored {checked:.2f} s (+{100 * (checked - plain) / plain:.1f}%)")
    print(f"check --db afterwards (stored hints + copying across the sample): {after:.2f} s (+{100 * after / plain:.1f}% of import)")


if __name__ == "__main__":
    main()
