"""Audit rounds: the recorded sample, its assignments and due date, and how far each review has got."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass

from ehcaudit.errors import EhcauditError, NotFound
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_event


@dataclass
class RoundRow:
    id: int
    name: str
    cohort: str | None
    rubric_id: str
    size: int
    stratify: list[str]
    double_share: float
    seed: int
    due: str | None
    created_by: str
    created_at: str


@dataclass
class RoundPlan:
    plan_id: int
    label: str
    stratum: str
    double: bool


@dataclass
class Assignment:
    plan_id: int
    label: str
    slot: int
    reviewer: str
    status: str  # not_started, in_progress or submitted (the reviewer's audit against the round's rubric)


_ROUND_COLUMNS = "id, name, cohort, rubric_id, size, stratify, double_share, seed, due, created_by, created_at"


def _round(row: tuple[Any, ...]) -> RoundRow:
    return RoundRow(row[0], row[1], row[2], row[3], row[4], [s for s in row[5].split(",") if s], row[6], row[7],
                    row[8], row[9], row[10])


def cohorts(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT cohort FROM plans WHERE cohort IS NOT NULL ORDER BY cohort")]


def unique_round_name(db: Database, name: str) -> str:
    """name, or 'name (2)', 'name (3)' … if a round already has it."""
    taken = {r[0] for r in db.execute("SELECT name FROM rounds")}
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def create_round(db: Database, *, name: str, cohort: str | None, rubric_id: str, size: int,
                 stratify: list[str], double_share: float, seed: int, plans: list[tuple[int, str, bool]],
                 actor: str, detail: dict[str, Any] | None = None) -> int:
    """Record a drawn sample (plan id, stratum, double) as a new round, with an event holding the seed."""
    at = now()
    with transaction(db) as conn:
        if conn.execute("SELECT 1 FROM rounds WHERE name = ?", [name]).fetchone():
            raise EhcauditError(f"there is already a round called '{name}'; choose another --name")
        cur = conn.execute(
            f"INSERT INTO rounds ({_ROUND_COLUMNS.replace('id, ', '', 1)}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            [name, cohort, rubric_id, size, ",".join(stratify), double_share, seed, actor, at],
        )
        round_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO round_plans (round_id, plan_id, stratum, double) VALUES (?, ?, ?, ?)",
            [(round_id, pid, stratum, int(double)) for pid, stratum, double in plans],
        )
        append_event(conn, Event(Action.ROUND_SAMPLED, actor, at=at, detail={
            "round_id": round_id, "name": name, "cohort": cohort, "seed": seed, "size": size, "stratify": stratify,
            "double_share": double_share, "rubric_id": rubric_id, "plans": [pid for pid, _, _ in plans], **(detail or {})}))
    return round_id


def list_rounds(db: Database) -> list[RoundRow]:
    """Every round, newest first."""
    return [_round(r) for r in db.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds ORDER BY id DESC")]


def get_round(db: Database, ref: str | int | None = None) -> RoundRow:
    """A round by id or name; the newest when ref is None. NotFound says what exists."""
    if ref is None or ref == "":
        row = db.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            raise NotFound("no audit round yet; draw a sample first: ehcaudit sample --size 5")
        return _round(row)
    row = db.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE name = ?", [str(ref)]).fetchone()
    if row is None and str(ref).isdigit():
        row = db.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", [int(ref)]).fetchone()
    if row is None:
        names = [f"{r.id} {r.name}" for r in list_rounds(db)[:5]]
        raise NotFound(f"no round '{ref}'; rounds are: {', '.join(names) or 'none yet'} (`ehcaudit rounds` lists them)")
    return _round(row)


def round_plans(db: Database, round_id: int) -> list[RoundPlan]:
    rows = db.execute(
        """SELECT rp.plan_id, p.label, rp.stratum, rp.double FROM round_plans rp JOIN plans p ON p.id = rp.plan_id
           WHERE rp.round_id = ? ORDER BY rp.stratum, p.label""", [round_id]).fetchall()
    return [RoundPlan(r[0], r[1], r[2], bool(r[3])) for r in rows]


def set_assignments(db: Database, round_id: int, assignments: list[tuple[int, int, str]],
                    due: str, actor: str) -> None:
    """Replace the round's assignments (plan id, slot, reviewer) and set its due date; logged."""
    at = now()
    with transaction(db) as conn:
        conn.execute("DELETE FROM assignments WHERE round_id = ?", [round_id])
        conn.executemany(
            "INSERT INTO assignments (round_id, plan_id, slot, reviewer, assigned_at) VALUES (?, ?, ?, ?, ?)",
            [(round_id, pid, slot, reviewer, at) for pid, slot, reviewer in assignments],
        )
        conn.execute("UPDATE rounds SET due = ? WHERE id = ?", [due, round_id])
        append_event(conn, Event(Action.ROUND_ASSIGNED, actor, at=at, detail={
            "round_id": round_id, "due": due, "assignments": [[pid, slot, r] for pid, slot, r in assignments]}))


def move_assignment(db: Database, round_id: int, plan_id: int, from_reviewer: str, to_reviewer: str,
                    actor: str) -> None:
    """Give one review of a plan to someone else; logged."""
    with transaction(db) as conn:
        conn.execute("UPDATE assignments SET reviewer = ?, assigned_at = ? WHERE round_id = ? AND plan_id = ? AND reviewer = ?",
                     [to_reviewer, now(), round_id, plan_id, from_reviewer])
        append_event(conn, Event(Action.ASSIGNMENT_MOVED, actor, plan_id=plan_id,
                                 detail={"round_id": round_id, "from": from_reviewer, "to": to_reviewer}))


def assignments(db: Database, round_id: int, rubric_id: str, since: str = "") -> list[Assignment]:
    """The round's assignments with each reviewer's audit status against the round's rubric.

    A review submitted before `since` (when the round was drawn) is earlier work, not this round's.
    """
    rows = db.execute(
        """SELECT a.plan_id, p.label, a.slot, a.reviewer,
                  (SELECT au.status FROM audits au JOIN rubrics r ON r.sha256 = au.rubric_sha256
                    WHERE au.plan_id = a.plan_id AND au.reviewer = a.reviewer COLLATE NOCASE AND au.kind = 'review' AND r.rubric_id = ?
                      AND (au.status != 'submitted' OR au.submitted_at >= ?)
                    ORDER BY au.id DESC LIMIT 1)
           FROM assignments a JOIN plans p ON p.id = a.plan_id WHERE a.round_id = ? ORDER BY a.reviewer, p.label, a.slot""",
        [rubric_id, since, round_id]).fetchall()
    return [Assignment(r[0], r[1], r[2], r[3], r[4] or "not_started") for r in rows]


def submitted_grades(db: Database, plan_ids: list[int], rubric_id: str,
                     since: str = "") -> dict[int, list[dict[str, int | None]]]:
    """Per plan, the grades of each review submitted since `since` against the rubric (for 'needs a second review or moderation')."""
    out: dict[int, dict[int, dict[str, int | None]]] = {pid: {} for pid in plan_ids}
    if not plan_ids:
        return {}
    marks = ",".join("?" * len(plan_ids))
    for aid, pid, cid, grade, na in db.execute(
        f"""SELECT au.id, au.plan_id, j.criterion_id, j.grade, j.not_applicable FROM audits au
            JOIN rubrics r ON r.sha256 = au.rubric_sha256 LEFT JOIN judgements j ON j.audit_id = au.id
            WHERE au.kind = 'review' AND au.status = 'submitted' AND au.submitted_at >= ? AND r.rubric_id = ?
              AND au.plan_id IN ({marks})""",
        [since, rubric_id, *plan_ids]):
        grades = out[pid].setdefault(aid, {})
        if cid is not None:
            grades[cid] = None if na else grade
    return {pid: list(by_audit.values()) for pid, by_audit in out.items()}


def moderated_criteria(db: Database, plan_ids: list[int], rubric_id: str) -> dict[int, set[str]]:
    if not plan_ids:
        return {}
    marks = ",".join("?" * len(plan_ids))
    out: dict[int, set[str]] = {pid: set() for pid in plan_ids}
    for pid, cid in db.execute(
        f"""SELECT m.plan_id, m.criterion_id FROM moderations m JOIN rubrics r ON r.sha256 = m.rubric_sha256
            WHERE r.rubric_id = ? AND m.plan_id IN ({marks})""", [rubric_id, *plan_ids]):
        out[pid].add(cid)
    return out


def open_assignments_for(db: Database, reviewer: str) -> dict[int, tuple[str, str | None, str]]:
    """plan id -> (round name, due date, rubric id) for this reviewer's assignments, newest round winning."""
    rows = db.execute(
        """SELECT a.plan_id, r.name, r.due, r.rubric_id FROM assignments a JOIN rounds r ON r.id = a.round_id
           WHERE a.reviewer = ? COLLATE NOCASE ORDER BY r.id""", [reviewer]).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def stored_rubric_source(db: Database, rubric_id: str) -> str | None:
    """The text of the rubric with this id most recently stored (a round's rubric from the council's own file)."""
    row = db.execute("SELECT source FROM rubrics WHERE rubric_id = ? ORDER BY loaded_at DESC LIMIT 1", [rubric_id]).fetchone()
    return row[0] if row else None
