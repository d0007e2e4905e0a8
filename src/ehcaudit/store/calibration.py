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
    and every trainee's audit but their own; and, while the viewer is a trainee of a blind session who has
    not submitted, every other audit of that session's plan (its real reviews would give the answers away)."""
    rows = db.execute(
        """SELECT s.reference_audit_id, a.id, a.reviewer FROM calibration_sessions s
           LEFT JOIN audits a ON a.session_id = s.id AND a.kind = 'training'
           WHERE s.revealed_at IS NULL AND s.trainer IS NOT ?""", [viewer]).fetchall()
    hidden = set()
    for reference, audit_id, reviewer in rows:
        hidden.add(reference)
        if audit_id is not None and reviewer != viewer:
            hidden.add(audit_id)
    for _session, _name, _label, plan_audits in _blind_plans_of_trainee(db, viewer):
        hidden |= plan_audits
    return hidden


def _blind_plans_of_trainee(db: Database, viewer: str | None) -> list[tuple[int, str, str, set[int]]]:
    """(session id, name, plan label, the plan's other audits) for each blind session in which the viewer is a
    trainee who has not submitted yet."""
    if viewer is None:
        return []
    out = []
    for sid, name, plan_id, label, own in db.execute(
            """SELECT s.id, s.name, s.plan_id, p.label, t.id FROM calibration_sessions s
               JOIN plans p ON p.id = s.plan_id
               JOIN audits t ON t.session_id = s.id AND t.kind = 'training' AND t.reviewer = ?
               WHERE s.revealed_at IS NULL AND t.status != 'submitted' AND t.discarded_at IS NULL""", [viewer]).fetchall():
        others = {r[0] for r in db.execute("SELECT id FROM audits WHERE plan_id = ? AND id != ? AND reviewer != ?",
                                           [plan_id, own, viewer])}
        out.append((sid, name, label, others))
    return out


def check_visible(db: Database, audit_id: int, viewer: str | None) -> None:
    """Refuse (one line) to show an audit that a calibration session still keeps blind."""
    for _sid, name, label, others in _blind_plans_of_trainee(db, viewer):
        if audit_id in others:
            raise AuditError(f"audit {audit_id} is of {label}, which you are grading as a trainee in the calibration "
                             f"session '{name}': its other audits stay closed to you until you have submitted your own")
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


def mark_reference(db: Database, audit_id: int, trainer: str, for_training: bool | None = None) -> None:
    """Make a submitted audit the reference for its plan (the one trainees are compared with).

    for_training: True when it was written for training (an answer key, never counted as a review of the
    sample), False when it is a real review lent to sessions (held back only while one is blind); None keeps
    what it was (a real review, unless said otherwise before).
    """
    audit = load_audit(db, audit_id)
    if not audit.submitted:
        raise AuditError(f"audit {audit_id} is not submitted; only a submitted audit can be a reference")
    if audit.kind == "training":
        raise AuditError(f"audit {audit_id} is a trainee's training audit; a reference must be a submitted review")
    with transaction(db) as conn:
        conn.execute("UPDATE audits SET is_reference = 0 WHERE plan_id = ? AND is_reference = 1", [audit.plan_id])
        conn.execute("UPDATE audits SET is_reference = 1 WHERE id = ?", [audit_id])
        if for_training is not None:
            conn.execute("UPDATE audits SET written_for_training = ? WHERE id = ?", [int(for_training), audit_id])
        training = conn.execute("SELECT written_for_training FROM audits WHERE id = ?", [audit_id]).fetchone()[0]
        append_event(conn, Event(Action.MARKED_REFERENCE, trainer, audit_id, audit.plan_id,
                                 detail={"written_for_training": bool(training)}))


def written_for_training(db: Database, audit_id: int) -> bool:
    """Whether the audit is a reference written for training (never a review of the sample)."""
    row = db.execute("SELECT written_for_training FROM audits WHERE id = ?", [audit_id]).fetchone()
    return bool(row and row[0])


def reference_words(db: Database, audit_id: int) -> str:
    """What choosing this audit as a reference means for the figures, in one sentence for the trainer."""
    if written_for_training(db, audit_id):
        return (f"audit {audit_id} is written for training: it is never counted in the summary, moderation or "
                "scores export")
    return (f"audit {audit_id} is a real review: it is held back from the summary, moderation and scores export "
            "while a session using it is blind, and counted again once you reveal the session")


def start_session(db: Database, name: str, reference_audit_id: int, trainer: str,
                  for_training: bool | None = None) -> int:
    """A named session on the reference audit's plan; returns its id. for_training as in mark_reference."""
    if not name.strip():
        raise AuditError("give the session a name")
    audit = load_audit(db, reference_audit_id)
    if not audit.submitted:
        raise AuditError(f"audit {reference_audit_id} is not submitted; choose a submitted audit as the reference")
    is_reference = db.execute("SELECT is_reference FROM audits WHERE id = ?", [reference_audit_id]).fetchone()[0]
    if not is_reference or for_training is not None:
        mark_reference(db, reference_audit_id, trainer, for_training)
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
