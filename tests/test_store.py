"""The database: private file, versioned schema, WAL, foreign keys, append-only log."""

import os
import sqlite3
import stat

import pytest

from ehcaudit.errors import StoreError
from ehcaudit.store import open_db
from ehcaudit.store.schema import SCHEMA_VERSION


def test_new_database_is_private_versioned_and_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    db = open_db(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"plans", "pages", "sections", "rubrics", "audits", "judgements", "evidence", "events"} <= tables


def test_reopening_does_not_migrate_again(tmp_path):
    path = tmp_path / "again.db"
    open_db(path).conn.close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_the_event_log_is_append_only(tmp_path):
    db = open_db(tmp_path / "log.db")
    db.execute("INSERT INTO events (at, actor, action) VALUES ('t', 'me', 'x')")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events")


def test_a_database_from_a_newer_ehcaudit_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer ehcaudit"):
        open_db(path)


def test_a_file_that_is_not_a_database_gives_one_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="is not a readable ehcaudit database"):
        open_db(path)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        open_db(tmp_path)


def test_two_connections_wait_for_each_other_instead_of_failing(tmp_path):
    path = tmp_path / "shared.db"
    first, second = open_db(path), open_db(path)
    first.conn.execute("BEGIN IMMEDIATE")
    first.conn.execute("INSERT INTO events (at, actor, action) VALUES ('t', 'a', 'x')")
    import threading

    threading.Timer(0.3, lambda: first.conn.execute("COMMIT")).start()
    second.conn.execute("BEGIN IMMEDIATE")  # waits for the first writer rather than raising "locked"
    second.conn.execute("INSERT INTO events (at, actor, action) VALUES ('t', 'b', 'x')")
    second.conn.execute("COMMIT")
    assert second.execute("SELECT count(*) FROM events").fetchone()[0] == 2


def test_import_from_another_folder_creates_a_private_versioned_db(cli, tmp_path, sample_plans_dir):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("import", str(sample_plans_dir), "--db", "audit.db", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    path = elsewhere / "audit.db"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] > 0


def test_env_var_chooses_the_database(cli, tmp_path, sample_plans_dir):
    target = tmp_path / "from-env.db"
    result = cli("import", str(sample_plans_dir / "plan-01.pdf"), env={"EHCAUDIT_DB": str(target)})
    assert result.returncode == 0 and target.exists()
