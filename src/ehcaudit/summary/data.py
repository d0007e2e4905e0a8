"""Load what a summary needs from the store in a few queries."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field

import sqlite_utils

from ehcaudit.errors import NotFound
from ehcaudit.store import actions as action_store
from ehcaudit.store.plans import METADATA_FIELDS


@dataclass
class SampleData:
    rubric_shas: list[str]
    plans: dict[int, dict[str, Any]]  # id -> label, cohort and metadata
    audits: dict[int, tuple[int, str, str]]  # audit id -> (plan id, reviewer, submitted_at)
    grades: dict[int, dict[str, int | None]] = field(default_factory=dict)  # audit id -> criterion -> grade (None = N/A)
    moderated: dict[int, dict[str, int | None]] = field(default_factory=dict)  # plan id -> criterion -> grade
    # (plan id, criterion) -> [(reviewer, grade)] for every graded or N/A (None) judgement
    units: dict[tuple[int, str], list[tuple[str, int | None]]] = field(default_factory=dict)
    actions: list[Any] = field(default_factory=list)  # ActionRow for the plans' actions (rounds)
    plan_versions: dict[str, Any] = field(default_factory=dict)  # label -> [(cohort, plan id, overall grade)], for re-audits
    prechecks: dict[str, Any] = field(default_factory=dict)  # see summary.prechecks


def rubric_shas(db: sqlite_utils.Database, rubric_id: str) -> list[str]:
    rows = db.execute("SELECT sha256 FROM rubrics WHERE rubric_id = ?", [rubric_id]).fetchall()
    return [r[0] for r in rows]


def check_cohorts(db: sqlite_utils.Database, cohorts: list[str]) -> None:
    """An unknown cohort is a clear error naming the known ones, never a silent empty sample."""
    known = [r[0] for r in db.execute("SELECT DISTINCT cohort FROM plans WHERE cohort IS NOT NULL ORDER BY cohort")]
    unknown = [c for c in cohorts if c not in known]
    if unknown:
        raise NotFound(f"no plans in cohort {', '.join(unknown)}; known cohorts: {', '.join(known) or 'none yet (import with --cohort)'}")


def load_sample(db: sqlite_utils.Database, rubric_id: str, cohorts: list[str] | None = None) -> SampleData:
    """Submitted reviews (not training), their grades and moderations, for one rubric and some cohorts."""
    if cohorts:
        check_cohorts(db, cohorts)
    shas = rubric_shas(db, rubric_id)
    if not shas and db.execute("SELECT count(*) FROM audits").fetchone()[0]:
        known = [r[0] for r in db.execute("SELECT DISTINCT rubric_id FROM rubrics")]
        raise NotFound(f"no audits against rubric '{rubric_id}' (this database has: {', '.join(known) or 'none'}); use --rubric")
    q_marks = ",".join("?" * len(shas)) or "NULL"
    cohort_clause, cohort_params = "", []
    if cohorts:
        cohort_clause = f" AND p.cohort IN ({','.join('?' * len(cohorts))})"
        cohort_params = list(cohorts)
    plans = {}
    for row in db.execute(
        f"SELECT p.id, p.label, p.cohort, {', '.join('p.' + f for f in METADATA_FIELDS)} FROM plans p WHERE 1 = 1{cohort_clause}",
        cohort_params,
    ):
        plans[row[0]] = {"label": row[1], "cohort": row[2], **dict(zip(METADATA_FIELDS, row[3:]))}
    audits = {}
    for aid, pid, reviewer, at in db.execute(
        f"""SELECT a.id, a.plan_id, a.reviewer, a.submitted_at FROM audits a JOIN plans p ON p.id = a.plan_id
            WHERE a.kind = 'review' AND a.status = 'submitted' AND a.rubric_sha256 IN ({q_marks}){cohort_clause}""",
        [*shas, *cohort_params],
    ):
        audits[aid] = (pid, reviewer, at or "")
    grades: dict[int, dict[str, int | None]] = {aid: {} for aid in audits}
    units: dict[tuple[int, str], list[tuple[str, int | None]]] = {}
    # One pass over the judgements: the heavy part of a summary over thousands of plans.
    rows = db.execute("SELECT audit_id, criterion_id, grade, not_applicable FROM judgements").fetchall()
    audit_of, grades_of, unit_of = audits.get, grades.__getitem__, units.get
    for aid, cid, grade, na in rows:
        audit = audit_of(aid)
        if audit is None:
            continue
        if na or grade is not None:
            grade = None if na else grade
            grades_of(aid)[cid] = grade
            key = (audit[0], cid)
            unit = unit_of(key)
            if unit is None:
                units[key] = [(audit[1], grade)]
            else:
                unit.append((audit[1], grade))
    data = SampleData(shas, plans, audits, grades, units=units)
    for pid, cid, grade, na in db.execute(
        f"SELECT plan_id, criterion_id, grade, not_applicable FROM moderations WHERE rubric_sha256 IN ({q_marks})", shas
    ):
        if pid in plans:
            data.moderated.setdefault(pid, {})[cid] = None if na else grade
    data.actions = action_store.list_actions(db, cohorts=cohorts)
    data.plan_versions = action_store.final_overall_by_label(db, sorted({a.plan_label for a in data.actions}), rubric_id)
    from ehcaudit.summary.prechecks import load_prechecks

    data.prechecks = load_prechecks(db, list(plans))
    return data
