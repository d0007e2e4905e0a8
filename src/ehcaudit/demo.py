"""The demo database: the bundled sample plans, imported fresh."""

from __future__ import annotations

from pathlib import Path

from ehcaudit import locations
from ehcaudit.importer import import_plans, read_metadata
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
    db.conn.close()
    return path
