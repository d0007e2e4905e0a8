"""The sample a summary is worked out from: the store's rows plus the pre-check figures (no SQL here)."""

from __future__ import annotations

import sqlite_utils

from ehcaudit.store.summary_rows import SampleData, check_cohorts, load_sample_rows
from ehcaudit.summary.prechecks import load_prechecks

__all__ = ["SampleData", "check_cohorts", "load_sample"]


def load_sample(db: sqlite_utils.Database, rubric_id: str, cohorts: list[str] | None = None) -> SampleData:
    """Submitted reviews (not training, nothing a blind calibration session hides), their grades and moderations,
    for one rubric and some cohorts, with the pre-check figures of their plans."""
    data = load_sample_rows(db, rubric_id, cohorts)
    data.prechecks = load_prechecks(db, list(data.plans))
    return data
