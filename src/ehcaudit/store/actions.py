"""Actions agreed after an audit (amend a section, re-audit, train a team): recorded, completed, reopened; all logged."""

from __future__ import annotations

from typing import Any

import json
import sqlite3
from dataclasses import dataclass

from ehcaudit.errors import AuditError, NotFound
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_event


@dataclass
class ActionRow:
    id: int
    plan_id: int
    plan_label: str
    cohort: str | None
    plan_team: str | None
    audit_id: int | None
    criterion_id: str | None
    section_code: str | None
    what: str
    owner: str
    owner_kind: str  # team or person
    due: str
    status: str  # open or done
    done_on: str | None
    done_note: str | None
    created_by: str
    created_at: str


_SELECT = """SELECT x.id, x.plan_id, p.label AS plan_label, p.cohort, p.team AS plan_team, x.audit_id, x.criterion_id,
                    x.section_code, x.what, x.owner, x.owner_kind, x.due, x.status, x.done_on, x.done_note, x.created_by, x.created_at
             FROM actions x JOIN plans p ON p.id = x.plan_id"""


def _log(conn: sqlite3.Connection, action_id: int, actor: str, event: Action, **detail: object) -> None:
    row = conn.execute("SELECT plan_id, audit_id, criterion_id FROM actions WHERE id = ?", [action_id]).fetchone()
    # On the plan, not in the audit's own log: replay and time-per-criterion read an audit's events.
    append_event(conn, Event(event, actor, plan_id=row[0], criterion_id=row[2],
                             detail={"action_id": action_id, "audit_id": row[1], **detail}))


def add_action(db: Database, *, plan_id: int, what: str, owner: str, owner_kind: str, due: str, actor: str,
               section_code: str | None = None, criterion_id: str | None = None, audit_id: int | None = None) -> int:
    """Record an action on a plan; returns its id."""
    if not what.strip():
        raise AuditError("say what must change (e.g. 'amend section F to quantify speech and language therapy')")
    if not owner.strip():
        raise AuditError("say who owns the action: a team (--team) or a person (--person)")
    if owner_kind not in ("team", "person"):
        raise AuditError(f"an action's owner is a team or a person, not '{owner_kind}'")
    at = now()
    with transaction(db) as conn:
        cur = conn.execute(
            """INSERT INTO actions (plan_id, audit_id, criterion_id, section_code, what, owner, owner_kind, due, status,
                                    created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)""",
            [plan_id, audit_id, criterion_id, section_code, what.strip(), owner.strip(), owner_kind, due, actor, at, at],
        )
        action_id = int(cur.lastrowid or 0)
        _log(conn, action_id, actor, Action.ACTION_ADDED, what=what.strip(), section=section_code, owner=owner.strip(),
             owner_kind=owner_kind, due=due)
    return action_id


def get_action(db: Database, action_id: int) -> ActionRow:
    row = next(db.query(f"{_SELECT} WHERE x.id = ?", [action_id]), None)
    if row is None:
        raise NotFound(f"no action {action_id}; `ehcaudit actions` lists them with their numbers")
    return ActionRow(**row)


def complete_action(db: Database, action_id: int, done_on: str, note: str, actor: str) -> None:
    """Mark an open action done, with the date and a note; logged."""
    if get_action(db, action_id).status == "done":
        raise AuditError(f"action {action_id} is already done; reopen it first to change it")
    with transaction(db) as conn:
        conn.execute("UPDATE actions SET status = 'done', done_on = ?, done_note = ?, updated_at = ? WHERE id = ?",
                     [done_on, note.strip(), now(), action_id])
        _log(conn, action_id, actor, Action.ACTION_DONE, done_on=done_on, note=note.strip())


def reopen_action(db: Database, action_id: int, reason: str, actor: str) -> None:
    """Open a done action again; the reason is logged."""
    if get_action(db, action_id).status == "open":
        raise AuditError(f"action {action_id} is open already; there is nothing to reopen")
    with transaction(db) as conn:
        conn.execute("UPDATE actions SET status = 'open', done_on = NULL, done_note = NULL, updated_at = ? WHERE id = ?",
                     [now(), action_id])
        _log(conn, action_id, actor, Action.ACTION_REOPENED, reason=reason.strip())


def list_actions(db: Database, plan_id: int | None = None, cohorts: list[str] | None = None) -> list[ActionRow]:
    """Actions (of one plan, or of plans in some cohorts), oldest due first."""
    clauses: list[str] = []
    params: list[Any] = []
    if plan_id is not None:
        clauses.append("x.plan_id = ?")
        params.append(plan_id)
    if cohorts:
        clauses.append(f"p.cohort IN ({','.join('?' * len(cohorts))})")
        params += cohorts
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return [ActionRow(**r) for r in db.query(f"{_SELECT}{where} ORDER BY x.due, x.id", params)]


def action_history(db: Database, action_id: int) -> list[dict[str, Any]]:
    """The events of one action, in order."""
    rows = db.execute(
        "SELECT at, actor, action, detail FROM events WHERE action IN (?, ?, ?) AND json_extract(detail, '$.action_id') = ?"
        " ORDER BY id", [Action.ACTION_ADDED, Action.ACTION_DONE, Action.ACTION_REOPENED, action_id]).fetchall()
    return [{"at": r[0], "actor": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows]


def final_overall_by_label(db: Database, labels: list[str], rubric_id: str) -> dict[str, list[tuple[str | None, int, int | None]]]:
    """Per plan label: (cohort, plan id, overall grade of its first submitted review) for every version of that plan.

    Labels are unique, so a plan imported again into a later cohort is known by its file name
    (the case's own file), as well as by the label itself.
    """
    if not labels:
        return {}
    marks = ",".join("?" * len(labels))
    rows = db.execute(
        f"""SELECT a.label, p.cohort, p.id,
                   (SELECT au.overall_grade FROM audits au JOIN rubrics r ON r.sha256 = au.rubric_sha256
                     WHERE au.plan_id = p.id AND au.kind = 'review' AND au.status = 'submitted' AND r.rubric_id = ?
                     ORDER BY au.submitted_at LIMIT 1)
            FROM plans a JOIN plans p
              ON p.id = a.id OR p.label = a.label
                 OR (a.file_name IS NOT NULL AND p.file_name IS NOT NULL AND lower(p.file_name) = lower(a.file_name))
            WHERE a.label IN ({marks}) ORDER BY a.label, p.cohort, p.id""", [rubric_id, *labels]).fetchall()
    out: dict[str, list[Any]] = {}
    for label, cohort, pid, grade in rows:
        out.setdefault(label, []).append((cohort, pid, grade))
    return out
