import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own data and config folders; a developer's files are never touched."""
    home = tmp_path / "home"
    monkeypatch.setenv("EHCAUDIT_HOME", str(home))
    monkeypatch.delenv("EHCAUDIT_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def sample_plans_dir() -> Path:
    from ehcaudit import locations

    return locations.sample_plans_dir()


@pytest.fixture(scope="session")
def _imported_template(tmp_path_factory, sample_plans_dir) -> Path:
    from ehcaudit.ingest.importer import import_plans, read_metadata
    from ehcaudit.store import open_db

    path = tmp_path_factory.mktemp("template") / "plans.db"
    db = open_db(path)
    report = import_plans(db, [sample_plans_dir], cohort="2026-11", metadata=read_metadata(sample_plans_dir / "metadata.csv"))
    assert report.failed == 0
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def plans_db_path(tmp_path, _imported_template) -> Path:
    """A fresh copy of a database holding every sample plan (cohort 2026-11)."""
    path = tmp_path / "plans.db"
    shutil.copy(_imported_template, path)
    return path


@pytest.fixture
def plans_db(plans_db_path):
    from ehcaudit.store import open_db

    db = open_db(plans_db_path)
    yield db
    db.conn.close()


@pytest.fixture(scope="session")
def rubric():
    from ehcaudit.rubric import resolve_rubric

    return resolve_rubric(None)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the real console entry point in a subprocess, as a user would."""
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ehcaudit.cli", *args], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=120
    )


@pytest.fixture
def cli():
    return run_cli


def shown_text(widget) -> str:
    """The text a widget draws, line by line, as a person would read it on screen."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@pytest.fixture
def fixed_clock():
    """Timestamps that start at 09:00 on 2 Nov 2026 and move 45 seconds per action (deterministic snapshots)."""
    from datetime import UTC, datetime, timedelta

    from ehcaudit.store.db import stamped_by

    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    ticks = iter(range(10**6))

    def tick() -> datetime:
        return start + timedelta(seconds=45 * next(ticks))

    with stamped_by(tick):
        yield tick


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per test process: plans, two reviewers' audits, a calibration session."""
    from ehcaudit.demo import build_demo_db

    return build_demo_db(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo(tmp_path, demo_template):
    """An open copy of the demo database, this test's own."""
    from ehcaudit.store import open_db

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    db = open_db(path)
    yield db
    db.conn.close()


def submitted(db, plan, who, rubric, grade, session=None):
    """A submitted audit (or, with a session, a training audit) giving every criterion `grade`."""
    from ehcaudit.store import audits as A
    from ehcaudit.store import calibration as K

    audit = K.open_training_audit(db, session, who, rubric) if session else A.open_audit(db, plan, who, rubric)
    for c in rubric.criteria:
        A.set_grade(db, audit.id, rubric, c.id, grade, who)
    A.submit(db, audit.id, rubric, who)
    return audit
