"""What a summary needs from the store, read in a few queries (the figures are worked out in ehcaudit.summary)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound
from ehcaudit.sections import Section
from ehcaudit.store import actions as action_store
from ehcaudit.store.blind import BLIND_AUDIT_IDS
from ehcaudit.store.hints import hints_marked_wrong
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


def known_cohorts(db: Database) -> list[str]:
    """Every cohort some plan is in, in order."""
    return [r["cohort"] for r in db.query("SELECT DISTINCT cohort FROM plans WHERE cohort IS NOT NULL ORDER BY cohort")]


def rubric_shas(db: Database, rubric_id: str) -> list[str]:
    """Every stored version (by content hash) of a rubric."""
    return [r["sha256"] for r in db.query("SELECT sha256 FROM rubrics WHERE rubric_id = ?", [rubric_id])]


def check_cohorts(db: Database, cohorts: list[str]) -> None:
    """An unknown cohort is a clear error naming the known ones, never a silent empty sample."""
    known = known_cohorts(db)
    unknown = [c for c in cohorts if c not in known]
    if unknown:
        raise NotFound(f"no plans in cohort {', '.join(unknown)}; known cohorts: {', '.join(known) or 'none yet (import with --cohort)'}")


def _check_rubric(db: Database, rubric_id: str, shas: list[str]) -> None:
    if not shas and db.execute("SELECT count(*) FROM audits").fetchone()[0]:
        known = [r["rubric_id"] for r in db.query("SELECT DISTINCT rubric_id FROM rubrics")]
        raise NotFound(f"no audits against rubric '{rubric_id}' (this database has: {', '.join(known) or 'none'}); use --rubric")


def load_sample_rows(db: Database, rubric_id: str, cohorts: list[str] | None = None) -> SampleData:
    """Submitted reviews (not training, nothing a blind calibration session hides), their grades and moderations,
    the plans' actions and re-audits, for one rubric and some cohorts. Pre-checks are left to the caller."""
    if cohorts:
        check_cohorts(db, cohorts)
    shas = rubric_shas(db, rubric_id)
    _check_rubric(db, rubric_id, shas)
    q_marks = ",".join("?" * len(shas)) or "NULL"
    cohort_clause, cohort_params = "", []
    if cohorts:
        cohort_clause = f" AND p.cohort IN ({','.join('?' * len(cohorts))})"
        cohort_params = list(cohorts)
    plans = {
        r["id"]: {"label": r["label"], "cohort": r["cohort"], **{f: r[f] for f in METADATA_FIELDS}}
        for r in db.query(
            f"SELECT p.id, p.label, p.cohort, {', '.join('p.' + f for f in METADATA_FIELDS)} FROM plans p WHERE 1 = 1{cohort_clause}",
            cohort_params)
    }
    sample = f"""SELECT a.id, a.plan_id, a.reviewer, a.submitted_at FROM audits a JOIN plans p ON p.id = a.plan_id
                  WHERE a.kind = 'review' AND a.status = 'submitted' AND a.rubric_sha256 IN ({q_marks}){cohort_clause}
                    AND a.id NOT IN ({BLIND_AUDIT_IDS})"""
    params = [*shas, *cohort_params]
    audits = {r["id"]: (r["plan_id"], r["reviewer"], r["submitted_at"] or "") for r in db.query(sample, params)}
    grades: dict[int, dict[str, int | None]] = {aid: {} for aid in audits}
    units: dict[tuple[int, str], list[tuple[str, int | None]]] = {}
    # The heavy part of a summary over thousands of plans: one pass over the judgements.
    # Ungraded judgements left out and N/A made None by SQL (a grade or N/A, the only ones a summary counts).
    rows = db.execute("SELECT audit_id, criterion_id, CASE WHEN not_applicable THEN NULL ELSE grade END FROM judgements"
                      " WHERE grade IS NOT NULL OR not_applicable").fetchall()
    # Filtered here, not joined in SQL: a dictionary look-up is cheaper than the join over every judgement,
    # and the rows come in the order they were written (the units' order, which the bootstrap's draws follow).
    audit_of, unit_of = audits.get, units.get
    for audit_id, criterion_id, grade in rows:
        audit = audit_of(audit_id)
        if audit is None:
            continue
        grades[audit_id][criterion_id] = grade
        key = (audit[0], criterion_id)
        unit = unit_of(key)
        if unit is None:
            units[key] = [(audit[1], grade)]
        else:
            unit.append((audit[1], grade))
    data = SampleData(shas, plans, audits, grades, units=units)
    for r in db.query(
        f"SELECT plan_id, criterion_id, grade, not_applicable FROM moderations WHERE rubric_sha256 IN ({q_marks})", shas
    ):
        if r["plan_id"] in plans:
            data.moderated.setdefault(r["plan_id"], {})[r["criterion_id"]] = None if r["not_applicable"] else r["grade"]
    data.actions = action_store.list_actions(db, cohorts=cohorts)
    data.plan_versions = action_store.final_overall_by_label(db, sorted({a.plan_label for a in data.actions}), rubric_id)
    return data


@dataclass
class PrecheckRows:
    """What the pre-check figures are worked out from."""

    stored: dict[int, list[dict[str, Any]]]  # plan id -> the hints stored at import (as JSON dicts)
    sections: dict[int, list[Section]]  # plan id -> its sections, in page order
    names: dict[int, str]  # plan id -> file name (else label)
    marked_wrong: dict[str, int]  # hint kind -> times reviewers marked one wrong


def precheck_rows(db: Database, plan_ids: list[int]) -> PrecheckRows:
    """The stored hints, sections and names of these plans, and how often their hints were marked wrong."""
    wanted = set(plan_ids)
    stored = {r["plan_id"]: json.loads(r["hints"]) for r in db.query("SELECT plan_id, hints FROM plan_hints")
              if r["plan_id"] in wanted}
    sections: dict[int, list[Section]] = {}
    for r in db.query("SELECT plan_id, code, heading, score, page_start, page_end, text FROM sections ORDER BY plan_id, page_start"):
        if r["plan_id"] in wanted:
            sections.setdefault(r["plan_id"], []).append(
                Section(r["code"], r["heading"], r["score"], r["page_start"], r["page_end"], r["text"]))
    names = {r["id"]: r["name"] for r in db.query("SELECT id, coalesce(file_name, label) AS name FROM plans")}
    return PrecheckRows(stored, sections, names, hints_marked_wrong(db, wanted))
