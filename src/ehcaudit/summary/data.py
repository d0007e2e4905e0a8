"""The sample a summary is worked out from: the store's rows plus the pre-check figures (no SQL here)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from ehcaudit.store.db import Database

from ehcaudit.store.summary_rows import SampleData, check_cohorts, load_sample_rows
from ehcaudit.summary.prechecks import load_prechecks

__all__ = ["SampleData", "check_cohorts", "load_sample", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a summary's rows are read and worked out: they are hundreds of
    thousands of small objects, none in a cycle, and each collection would walk them all again (about a
    third of a big summary's time). Reference counting still frees everything; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_sample(db: Database, rubric_id: str, cohorts: list[str] | None = None) -> SampleData:
    """Submitted reviews (not training, nothing a blind calibration session hides), their grades and moderations,
    for one rubric and some cohorts, with the pre-check figures of their plans."""
    with paused_gc():
        data = load_sample_rows(db, rubric_id, cohorts)
        data.prechecks = load_prechecks(db, list(data.plans))
    return data
