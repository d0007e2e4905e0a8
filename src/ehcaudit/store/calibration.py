"""Calibration sessions: a reference audit, trainees' blind training audits, and how they compare."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from ehcaudit.errors import AuditError, NotFound
from ehcaudit.rubric import Rubric
from ehcaudit.store.audits import Audit, load_audit, open_audit
from ehcaudit.store.db import now, transaction


@dataclass
class Session:
    id: int
    name: str
    plan_id: int
    plan_label: str
    reference_audit_id: int
    trainer: str
    created_at: str


def submitted_audits(db: sqlite_utils.Database) -> list[dict]:
    """Every submitted audit (reviews and training), newest first, for choosing one to replay."""
    rows = db.execute(
        """SELECT a.id, p.label, a.reviewer, a.kind, a.submitted_at, a.overall_grade, a.is_reference
           FROM audits a JOIN plans p ON p.id = a.plan_id WHERE a.status = 'submitted' ORDER BY a.submitted_at DESC, a.id DESC"""
    ).fetchall()
    keys = ("id", "plan", "reviewer", "kind", "submitted_at", "overall_grade", "is_reference")
    return [dict(zip(keys, r)) for r in rows]


def mark_reference(db: sqlite_utils.Database, audit_id: int, trainer: str) -> None:
    """Make a submitted audit the reference for its plan (the one trainees are compared with)."""
    audit = load_audit(db, audit_id)
    if not audit.submitted:
        raise AuditError(f"audit {audit_id} is not submitted; only a submitted audit can be a reference")
    with transaction(db) as conn:
        conn.execute("UPDATE audits SET is_reference = 0 WHERE plan_id = ? AND is_reference = 1", [audit.plan_id])
        conn.execute("UPDATE audits SET is_reference = 1 WHERE id = ?", [audit_id])
        conn.execute("INSERT INTO events (audit_id, plan_id, at, actor, action, detail) VALUES (?, ?, ?, ?, 'marked_reference', '{}')",
                     [audit_id, audit.plan_id, now(), trainer])


def start_session(db: sqlite_utils.Database, name: str, reference_audit_id: int, trainer: str) -> int:
    """A named session on the reference audit's plan; returns its id."""
    if not name.strip():
        raise AuditError("give the session a name")
    audit = load_audit(db, reference_audit_id)
    if not audit.submitted:
        raise AuditError(f"audit {reference_audit_id} is not submitted; choose a submitted audit as the reference")
    if not db.execute("SELECT is_reference FROM audits WHERE id = ?", [reference_audit_id]).fetchone()[0]:
        mark_reference(db, reference_audit_id, trainer)
    at = now()
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO calibration_sessions (name, plan_id, reference_audit_id, trainer, created_at) VALUES (?, ?, ?, ?, ?)",
            [name.strip(), audit.plan_id, reference_audit_id, trainer, at],
        )
        conn.execute("INSERT INTO events (plan_id, at, actor, action, detail) VALUES (?, ?, ?, 'session_started', ?)",
                     [audit.plan_id, at, trainer, json.dumps({"session_id": cur.lastrowid, "name": name.strip()})])
        return cur.lastrowid


_SESSIONS = """SELECT s.id, s.name, s.plan_id, p.label, s.reference_audit_id, s.trainer, s.created_at
               FROM calibration_sessions s JOIN plans p ON p.id = s.plan_id"""


def list_sessions(db: sqlite_utils.Database) -> list[Session]:
    return [Session(*r) for r in db.execute(f"{_SESSIONS} ORDER BY s.id DESC").fetchall()]


def get_session(db: sqlite_utils.Database, session_id: int) -> Session:
    row = db.execute(f"{_SESSIONS} WHERE s.id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(f"no calibration session {session_id}; `ehcaudit calibrate list` shows them")
    return Session(*row)


def open_training_audit(db: sqlite_utils.Database, session_id: int, trainee: str, rubric: Rubric) -> Audit:
    """The trainee's training audit for a session, started if new; never counted in quality summaries."""
    session = get_session(db, session_id)
    return open_audit(db, session.plan_id, trainee, rubric, kind="training", session_id=session_id)


def session_audits(db: sqlite_utils.Database, session_id: int) -> tuple[Audit, list[Audit]]:
    """(reference, submitted training audits) for a session."""
    session = get_session(db, session_id)
    trainees = [load_audit(db, r[0]) for r in db.execute(
        "SELECT id FROM audits WHERE session_id = ? AND kind = 'training' AND status = 'submitted' ORDER BY reviewer", [session_id])]
    return load_audit(db, session.reference_audit_id), trainees
