"""Opening the database: file mode, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ehcaudit.errors import StoreError
from ehcaudit.store.schema import MIGRATIONS, SCHEMA_VERSION


def _import_sqlite_utils() -> Any:
    """sqlite-utils, imported without numpy and pandas.

    sqlite-utils imports them when it can, only to map their types to column types; ehcaudit stores
    neither, and numpy alone costs a few tenths of a second at every start of the app. They stay
    importable afterwards (the summary imports numpy when it runs).
    """
    import sys

    blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _import_sqlite_utils()


BUSY_TIMEOUT_MS = 30_000


def _wall_clock() -> datetime:
    return datetime.now(UTC)


_clock: Callable[[], datetime] = _wall_clock


def now() -> str:
    """A UTC timestamp with milliseconds, the form every table uses."""
    return _clock().isoformat(timespec="milliseconds")


@contextmanager
def stamped_by(clock: Callable[[], datetime]) -> Iterator[None]:
    """Stamp every write inside the block with clock() instead of the wall clock.

    The demo uses it to lay down audits that took a reviewer's time; tests use it for fixed timestamps.
    """
    global _clock
    previous, _clock = _clock, clock
    try:
        yield
    finally:
        _clock = previous


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just added (sqlite3 types lastrowid as optional)."""
    assert cur.lastrowid is not None
    return cur.lastrowid


def explain(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn an SQLite error into one line a user can act on."""
    text = str(exc).lower()
    if "disk is full" in text or "disk i/o" in text:
        return StoreError(f"{path}: the disk is full; free some space and try again (nothing saved was lost)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the database is read-only; check its permissions")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the database is busy in another program; try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseDamaged(f"{path} is not a readable ehcaudit database: {exc}; restore it from a backup or use another --db")
    return StoreError(f"{path}: database error: {exc}")


class DatabaseDamaged(StoreError):
    """The file is not an SQLite database, or its pages are damaged: nothing more can be read or stored."""


def permission_warning(path: Path) -> str | None:
    """A line when a database file can be read or written by other users (it holds children's plans)."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return None
    if mode & 0o077:
        return (f"{path} can be opened by other users (mode {mode:04o}); it holds children's plans: "
                f"run `chmod 600 {path}` unless it is shared on purpose")
    return None


def _create_private(path: Path) -> None:
    # Plans are about children: a new database is readable by its owner only.
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def _statements(script: str) -> Iterator[str]:
    """The complete SQL statements of a script, one by one (CREATE TRIGGER ... END included)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration the database has not had; return the new version.

    The version is read again under the write lock, so two processes creating the same new
    database at once migrate it once between them.
    """
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return version  # the usual case; needs no write lock, so read-only files open too
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"this database was made by a newer ehcaudit (schema {version}, this one knows {SCHEMA_VERSION}); upgrade ehcaudit"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _statements(MIGRATIONS[target - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION


def _wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs a moment alone with it, and SQLite reports a clash at once
    # rather than waiting: two processes creating the same database both retry until one has done it.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Database(sqlite_utils.Database):
    """An open ehcaudit database: sqlite-utils' Database, plus the file it is and what to warn its user about."""

    def __init__(self, conn: sqlite3.Connection, path: Path, warnings: list[str]):
        super().__init__(conn)
        self.path = path  # a worker thread opens its own connection to the same file
        self.warnings = warnings


def open_db(path: Path | str, *, create: bool = True) -> Database:
    """Open an ehcaudit database at path, creating it if needed (create=False: StoreError if it is not there)."""
    path = Path(path).expanduser()
    try:
        if str(path) != ":memory:":
            if path.is_dir():
                raise StoreError(f"{path}: is a folder; give a database file name with --db")
            if not create and not path.exists():
                if not path.parent.is_dir():
                    raise StoreError(f"{path}: no such database (the folder {path.parent} does not exist); check --db")
                raise StoreError(f"{path}: no such database; check --db, or import plans first (ehcaudit import FOLDER)")
            _create_private(path)
        # Autocommit mode: every write is an explicit transaction() (one per user action).
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        # WAL with synchronous NORMAL: a commit is safe from a killed or crashed app at once (what every
        # keypress needs) without waiting for the disk to flush; only a power cut can take back the last
        # few commits, and never corrupts the file. FULL made each grade key wait ~10 ms for fsync.
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
    except sqlite3.Error as exc:
        raise explain(exc, path) from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied; choose a database you can write with --db") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
    warning = permission_warning(path) if str(path) != ":memory:" else None
    return Database(conn, path, [warning] if warning else [])


@contextmanager
def transaction(db: Database) -> Iterator[sqlite3.Connection]:
    """One atomic write: everything inside commits together or not at all."""
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise explain(exc, getattr(db, "path", "database")) from None
        raise
