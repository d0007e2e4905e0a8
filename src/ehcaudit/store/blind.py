"""Which audits a calibration session keeps blind: its reference and its trainees' audits, until revealed.

A session's reference is one of two things, as the trainer says when choosing it:
- a real review of the sample lent to the session: held back from every figure (summary, scores export,
  moderation) only while the session is blind, and each output that leaves it out says so; it counts again
  once the trainer reveals the session;
- a reference written for training (an answer key, `written_for_training`): never a review of the sample,
  before or after the reveal, like the trainees' own training audits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ehcaudit.store.db import Database

# Audit ids no figure (summary, scores export) may count while their session is blind.
BLIND_AUDIT_IDS = """
    SELECT reference_audit_id FROM calibration_sessions WHERE revealed_at IS NULL
    UNION SELECT a.id FROM audits a JOIN calibration_sessions s ON s.id = a.session_id WHERE s.revealed_at IS NULL"""

# (session id, audit id) of every real review a blind session holds back as its reference.
HELD_BACK_REFERENCES = """
    SELECT s.id, s.reference_audit_id FROM calibration_sessions s JOIN audits r ON r.id = s.reference_audit_id
    WHERE s.revealed_at IS NULL AND r.kind = 'review' AND r.status = 'submitted' AND NOT r.written_for_training"""


@dataclass
class HeldBack:
    """Real reviews left out of a figure because a calibration session using them is still blind."""

    audits: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)

    def add(self, session_id: int, audit_id: int) -> None:
        self.audits.add(audit_id)
        self.sessions.add(session_id)


def held_back_references(db: Database, audit_ids: set[int] | None = None) -> HeldBack:
    """The real reviews blind sessions hold back (only those among audit_ids, when given)."""
    held = HeldBack()
    for session_id, audit_id in db.execute(HELD_BACK_REFERENCES):
        if audit_ids is None or audit_id in audit_ids:
            held.add(session_id, audit_id)
    return held
