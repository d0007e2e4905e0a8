"""Calibration sessions: a reference audit, trainees' blind training audits, and how they compare."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.audit.model import Audit
from ehcaudit.errors import AuditError, NotFound
from ehcaudit.rubric import Rubric
from ehcaudit.store.audits import load_audit, open_audit
from ehcaudit.store.db import Database, inserted_id, now, transaction
from ehcaudit.store.events import Action, Event, append_event


@dataclass
class Session:
    id: int
    name: str
    plan_id: int
    plan_label: str
    reference_audit_id: int
    trainer: str
    created_at: str
    revealed_at: str | None = None

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    def visible_to(self, viewer: str | None) -> bool:
        """Grades are blind to everyone but the trainer until the trainer reveals them."""
        return self.revealed or (viewer is not None and viewer == self.trainer)


def blind_audit_ids(db: Database, viewer: str | None) -> set[int]:
    """Audits the viewer must not see yet: in each unrevealed session they do not train, its reference
    and every trainee's audit but their own."""
    rows = db.execute(
        """SELECT s.reference_audit_id, a.id, a.reviewer FROM calibration_sessions s
           LEFT JOIN audits a ON a.session_id = s.id AND a.kind = 'training'
           WHERE s.revealed_at IS NULL AND s.trainer IS NOT ?""", [viewer]).fetchall()
    hidden = set()
    for reference, audit_id, reviewer in rows:
        hidden.add(reference)
        if audit_id is not None and reviewer != viewer:
            hidden.add(audit_id)
    return hidden


def check_visible(db: Database, audit_id: int, viewer: str | None) -> None:
    """Refuse (one line) to show an audit that a calibration session still keeps blind."""
    if audit_id in blind_audit_ids(db, viewer):
        raise AuditError(f"audit {audit_id} is part of a calibration session that is still blind; "
                         "its trainer reveals the grades when every trainee has submitted")


def reveal_session(db: Database, session_id: int, actor: str) -> None:
    """The trainer shows the session's grades (reference and trainees) to everyone; logged."""
    session = get_session(db, session_id)
    if actor != session.trainer:
        raise AuditError(f"only the session's trainer ({session.trainer}) can reveal its grades")
    if session.revealed:
        return
    at = now()
    with transaction(db) as conn:
        conn.execute("UPDATE calibration_sessions SET revealed_at = ?, revealed_by = ? WHERE id = ?", [at, actor, session_id])
        append_event(conn, Event(Action.SESSION_REVEALED, actor, plan_id=session.plan_id, detail={"session_id": session_id},
                                 at=at))


def submitted_trainees(db: Database, session_id: int) -> list[str]:
    """Who has submitted their training audit (names only: what a blind session may show)."""
    return [r[0] for r in db.execute(
        "SELECT reviewer FROM audits WHERE session_id = ? AND kind = 'training' AND status = 'submitted' ORDER BY reviewer",
        [session_id])]


def mark_reference(db: Database, audit_id: int, trainer: str) -> None:
    """Make a submitted audit the reference for its plan (the one trainees are compared with)."""
    audit = load_audit(db, audit_id)
    if not audit.submitted:
        raise AuditError(f"audit {audit_id} is not submitted; only a submitted audit can be a reference")
    with transaction(db) as conn:
        conn.execute("UPDATE audits SET is_reference = 0 WHERE plan_id = ? AND is_reference = 1", [audit.plan_id])
        conn.execute("UPDATE audits SET is_reference = 1 WHERE id = ?", [audit_id])
        append_event(conn, Event(Action.MARKED_REFERENCE, trainer, audit_id, audit.plan_id))


def start_session(db: Database, name: str, reference_audit_id: int, trainer: str) -> int:
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
        append_event(conn, Event(Action.SESSION_STARTED, trainer, plan_id=audit.plan_id,
                                 detail={"session_id": cur.lastrowid, "name": name.strip()}, at=at))
        return inserted_id(cur)


_SESSIONS = """SELECT s.id, s.name, s.plan_id, p.label AS plan_label, s.reference_audit_id, s.trainer, s.created_at,
                      s.revealed_at
               FROM calibration_sessions s JOIN plans p ON p.id = s.plan_id"""


def list_sessions(db: Database) -> list[Session]:
    return [Session(**r) for r in db.query(f"{_SESSIONS} ORDER BY s.id DESC")]


def get_session(db: Database, session_id: int) -> Session:
    row = next(db.query(f"{_SESSIONS} WHERE s.id = ?", [session_id]), None)
    if row is None:
        raise NotFound(f"no calibration session {session_id}; `ehcaudit calibrate list` shows them")
    return Session(**row)


def session_rubric(db: Database, session_id: int) -> Rubric | None:
    """The rubric the session's reference audit was scored against, from its stored text (None: not stored)."""
    from ehcaudit.rubric import load_rubric_text

    row = next(db.query(
        """SELECT r.source FROM calibration_sessions s JOIN audits a ON a.id = s.reference_audit_id
           JOIN rubrics r ON r.sha256 = a.rubric_sha256 WHERE s.id = ?""", [session_id]), None)
    return load_rubric_text(row["source"], "stored rubric") if row else None


def open_training_audit(db: Database, session_id: int, trainee: str, rubric: Rubric) -> Audit:
    """The trainee's training audit for a session, started if new; never counted in quality summaries."""
    session = get_session(db, session_id)
    return open_audit(db, session.plan_id, trainee, rubric, kind="training", session_id=session_id)


def session_audits(db: Database, session_id: int) -> tuple[Audit, list[Audit]]:
    """(reference, submitted training audits) for a session."""
    session = get_session(db, session_id)
    trainees = [load_audit(db, r[0]) for r in db.execute(
        "SELECT id FROM audits WHERE session_id = ? AND kind = 'training' AND status = 'submitted' ORDER BY reviewer", [session_id])]
    return load_audit(db, session.reference_audit_id), trainees
