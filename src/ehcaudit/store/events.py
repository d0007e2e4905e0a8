"""The event log: every change anyone makes is appended here, in one place, and never updated.

Grades, notes and evidence are kept in their own tables for speed, but the log is the record:
replay, calibration timelines and time-per-criterion read it, and the tables can be rebuilt from it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ehcaudit.store.db import now


class Action(StrEnum):
    """Every kind of event ehcaudit writes (the `action` column)."""

    # A reviewer's audit
    AUDIT_STARTED = "audit_started"
    CRITERION_VIEWED = "criterion_viewed"
    SECTION_VIEWED = "section_viewed"
    GRADE_SET = "grade_set"
    NOTE_SET = "note_set"
    EVIDENCE_ADDED = "evidence_added"
    EVIDENCE_EDITED = "evidence_edited"
    EVIDENCE_DELETED = "evidence_deleted"
    UNDONE = "undone"
    SUBMITTED = "submitted"
    REOPENED = "reopened"
    DISCARDED = "discarded"
    IMPORTED = "imported"  # an audit read from a scores CSV
    # A plan
    SECTION_CORRECTED = "section_corrected"
    SECTION_CORRECTION_UNDONE = "section_correction_undone"
    HINT_MARKED_WRONG = "hint_marked_wrong"  # a reviewer found a pre-check hint wrong
    MODERATED = "moderated"
    # Training
    MARKED_REFERENCE = "marked_reference"
    SESSION_STARTED = "session_started"
    SESSION_REVEALED = "session_revealed"
    # Audit rounds and their actions
    ROUND_SAMPLED = "round_sampled"
    ROUND_ASSIGNED = "round_assigned"
    ASSIGNMENT_MOVED = "assignment_moved"
    ACTION_ADDED = "action_added"
    ACTION_DONE = "action_done"
    ACTION_REOPENED = "action_reopened"


@dataclass(frozen=True)
class Event:
    """One row of the log, before it is written."""

    action: Action
    actor: str
    audit_id: int | None = None
    plan_id: int | None = None
    criterion_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: str | None = None  # now, unless the event records a moment already past


_INSERT = ("INSERT INTO events (audit_id, plan_id, at, actor, action, criterion_id, detail)"
           " VALUES (?, ?, ?, ?, ?, ?, ?)")


def _row(e: Event) -> list[Any]:
    return [e.audit_id, e.plan_id, e.at or now(), e.actor, Action(e.action).value, e.criterion_id,
            json.dumps(e.detail, ensure_ascii=False)]


def append_event(conn: sqlite3.Connection, event: Event) -> int:
    """Append one event inside the caller's transaction; its id (undo refers to events by id)."""
    cur = conn.execute(_INSERT, _row(event))
    assert cur.lastrowid is not None
    return cur.lastrowid


def append_events(conn: sqlite3.Connection, events: Iterable[Event]) -> None:
    """Append many events at once (an import), inside the caller's transaction."""
    conn.executemany(_INSERT, [_row(e) for e in events])
