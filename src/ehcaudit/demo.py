"""The demo database: the bundled sample plans and some fictional earlier audits, imported fresh."""

from __future__ import annotations

from pathlib import Path

from ehcaudit import locations
from ehcaudit.importer import import_plans, read_metadata
from ehcaudit.rubric import resolve_rubric
from ehcaudit.scores_csv import import_scores, read_scores
from ehcaudit.store import open_db

DEMO_COHORT = "2026-11"


def build_demo_db(path: Path) -> Path:
    """Recreate the demo database at path from the bundled sample plans."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    plans = locations.sample_plans_dir()
    meta_file = plans / "metadata.csv"
    metadata = read_metadata(meta_file) if meta_file.exists() else None
    import_plans(db, [plans], cohort=DEMO_COHORT, metadata=metadata)
    scores = plans / "demo_scores.csv"
    if scores.exists():
        # Earlier fictional audits by two reviewers, so the summary and moderation have something to show.
        rubric = resolve_rubric(None)
        import_scores(db, read_scores(scores, rubric), rubric, scores.name)
    db.conn.close()
    return path
