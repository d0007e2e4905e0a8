"""A note as it is being typed: kept apart from the saved note, so a kill loses at most a moment's typing.

Not an audit action (no event, nothing to undo): the note becomes part of the audit
when it is saved (set_note), and the draft is then dropped.
"""

from __future__ import annotations

from ehcaudit.store.db import Database, now, transaction


def save_draft(db: Database, audit_id: int, criterion_id: str, text: str) -> None:
    with transaction(db) as conn:
        conn.execute(
            """INSERT INTO note_drafts (audit_id, criterion_id, text, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(audit_id, criterion_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at""",
            [audit_id, criterion_id, text, now()],
        )


def draft(db: Database, audit_id: int, criterion_id: str) -> str | None:
    """The unsaved draft of this criterion's note, if a note was being written."""
    row = db.execute("SELECT text FROM note_drafts WHERE audit_id = ? AND criterion_id = ?", [audit_id, criterion_id]).fetchone()
    return row[0] if row else None


def drop_draft(db: Database, audit_id: int, criterion_id: str) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM note_drafts WHERE audit_id = ? AND criterion_id = ?", [audit_id, criterion_id])
