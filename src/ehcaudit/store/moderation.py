"""Moderation: the agreed grade for a criterion of a plan scored by two or more reviewers."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.audit.model import Audit
from ehcaudit.errors import AuditError
from ehcaudit.rubric import Rubric
from ehcaudit.store.audits import load_audit, register_rubric
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_event


@dataclass
class Moderation:
    criterion_id: str
    grade: int | None
    not_applicable: bool
    reason: str
    moderator: str


def double_scored(db: Database, rubric: Rubric, viewer: str | None = None) -> list[tuple[int, str, list[Audit]]]:
    """(plan id, label, submitted audits) for every plan with two or more submitted reviews the viewer may see.

    A reference written for training is a trainer's answer key, not a review: it is never counted here. A real
    review lent to a calibration session as its reference stays out while the session is blind, as it does from
    the summary (the same reviews, for everyone), and counts again once the session is revealed.
    """
    from ehcaudit.store.blind import BLIND_AUDIT_IDS
    from ehcaudit.store.calibration import blind_audit_ids

    hidden = blind_audit_ids(db, viewer)
    rows = db.execute(
        f"""SELECT a.plan_id, p.label, group_concat(a.id) FROM audits a JOIN plans p ON p.id = a.plan_id
           WHERE a.kind = 'review' AND a.status = 'submitted' AND a.rubric_sha256 = ?
             AND NOT a.written_for_training AND a.id NOT IN ({BLIND_AUDIT_IDS})
           GROUP BY a.plan_id HAVING count(*) >= 2 ORDER BY p.cohort DESC, p.label""",
        [rubric.sha256],
    ).fetchall()
    out = []
    for pid, label, ids in rows:
        audits = [load_audit(db, int(i)) for i in ids.split(",") if int(i) not in hidden]
        if len(audits) >= 2:
            out.append((pid, label, audits))
    return out


def moderations_for(db: Database, plan_id: int, rubric: Rubric) -> dict[str, Moderation]:
    rows = db.execute(
        "SELECT criterion_id, grade, not_applicable, reason, moderator FROM moderations WHERE plan_id = ? AND rubric_sha256 = ?",
        [plan_id, rubric.sha256],
    ).fetchall()
    return {r[0]: Moderation(r[0], r[1], bool(r[2]), r[3], r[4]) for r in rows}


def moderate(db: Database, plan_id: int, rubric: Rubric, criterion_id: str,
             grade: int | None, reason: str, moderator: str) -> None:
    """Record the agreed grade (None = N/A) with the moderator's reason; logged as an event."""
    rubric.check_grade(criterion_id, grade)
    if not reason.strip():
        raise AuditError("give a reason for the moderated grade")
    register_rubric(db, rubric)
    at = now()
    with transaction(db) as conn:
        old = conn.execute(
            "SELECT grade, not_applicable FROM moderations WHERE plan_id = ? AND rubric_sha256 = ? AND criterion_id = ?",
            [plan_id, rubric.sha256, criterion_id],
        ).fetchone()
        conn.execute(
            """INSERT INTO moderations (plan_id, rubric_sha256, criterion_id, grade, not_applicable, reason, moderator, moderated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(plan_id, rubric_sha256, criterion_id) DO UPDATE SET grade = excluded.grade,
                 not_applicable = excluded.not_applicable, reason = excluded.reason, moderator = excluded.moderator,
                 moderated_at = excluded.moderated_at""",
            [plan_id, rubric.sha256, criterion_id, grade, int(grade is None), reason.strip(), moderator, at],
        )
        # A moderator who scored the plan themselves is allowed (small teams), and said so plainly in the log.
        scored = conn.execute(
            "SELECT 1 FROM audits WHERE plan_id = ? AND reviewer = ? AND kind = 'review' AND status = 'submitted' LIMIT 1",
            [plan_id, moderator],
        ).fetchone() is not None
        append_event(conn, Event(Action.MODERATED, moderator, plan_id=plan_id, criterion_id=criterion_id, at=at, detail={
            "grade": grade, "not_applicable": grade is None, "reason": reason.strip(),
            "previous_grade": old[0] if old else None, "rubric_sha256": rubric.sha256,
            "moderator_scored_plan": scored,
        }))
