"""The SQLite store: every read and write the app and CLI make goes through here."""

from ehcaudit.store.db import now, open_db, transaction

__all__ = ["now", "open_db", "transaction"]
