"""What a summary needs from the store, read in a few queries (the figures are worked out in ehcaudit.summary)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound
from ehcaudit.sections import Section
from ehcaudit.store import actions as action_store
from ehcaudit.store.blind import BLIND_AUDIT_IDS, HELD_BACK_REFERENCES, HeldBack
from ehcaudit.store.hints import hints_marked_wrong
from ehcaudit.store.plans import METADATA_FIELDS

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NA = -1  # a grade of N/A in Cells (grades are 0 or more)


@dataclass(frozen=True)
class Cells:
    """Judgements as parallel arrays: audit id, criterion (an index into columns) and grade (NA for N/A)."""

    columns: list[str]
    audit: NDArray[np.int64]
    column: NDArray[np.int64]
    grade: NDArray[np.int64]


@dataclass
class SampleData:
    rubric_shas: list[str]
    plans: dict[int, dict[str, Any]]  # id -> label, cohort and metadata
    audits: dict[int, tuple[int, str, str]]  # audit id -> (plan id, reviewer, submitted_at)
    cells: Cells  # every graded or N/A judgement (those of audits outside the sample may be among them)
    moderated: dict[int, dict[str, int | None]] = field(default_factory=dict)  # plan id -> criterion -> grade
    actions: list[Any] = field(default_factory=list)  # ActionRow for the plans' actions (rounds)
    plan_versions: dict[str, Any] = field(default_factory=dict)  # label -> [(cohort, plan id, overall grade)], for re-audits
    prechecks: dict[str, Any] = field(default_factory=dict)  # see summary.prechecks
    held_back: HeldBack = field(default_factory=HeldBack)  # reviews of the sample a blind calibration session holds back


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
    """Submitted reviews (not training, nothing a blind calibration session hides: those it holds back are
    counted in held_back), their grades and moderations, the plans' actions and re-audits, for one rubric and
    some cohorts. Pre-checks are left to the caller."""
    if cohorts:
        check_cohorts(db, cohorts)
    shas = rubric_shas(db, rubric_id)
    _check_rubric(db, rubric_id, shas)
    q_marks = ",".join("?" * len(shas)) or "NULL"
    cohort_clause, cohort_params = "", []
    if cohorts:
        cohort_clause = f" AND p.cohort IN ({','.join('?' * len(cohorts))})"
        cohort_params = list(cohorts)
    names = ("label", "cohort", *METADATA_FIELDS)  # rows as tuples: thousands of plans, no dict per row until ours
    plans = {
        r[0]: dict(zip(names, r[1:]))
        for r in db.execute(f"SELECT p.id, {', '.join('p.' + f for f in names)} FROM plans p WHERE 1 = 1{cohort_clause}",
                            cohort_params)
    }
    # A reference written for training is never a review of the sample; a real review lent to a blind
    # calibration session is held back until the session is revealed (store.blind), and the summary says so.
    reviews = f"""FROM audits a JOIN plans p ON p.id = a.plan_id
                  WHERE a.kind = 'review' AND a.status = 'submitted' AND NOT a.written_for_training
                    AND a.rubric_sha256 IN ({q_marks}){cohort_clause}"""
    params = [*shas, *cohort_params]
    sample = f"SELECT a.id, a.plan_id, a.reviewer, a.submitted_at {reviews} AND a.id NOT IN ({BLIND_AUDIT_IDS})"
    audits = {aid: (pid, reviewer, at or "") for aid, pid, reviewer, at in db.execute(sample, params)}
    data = SampleData(shas, plans, audits, _cells(db))
    for session_id, audit_id in db.execute(
            f"SELECT h.id, h.reference_audit_id FROM ({HELD_BACK_REFERENCES}) h"
            f" WHERE h.reference_audit_id IN (SELECT a.id {reviews})", params):
        data.held_back.add(session_id, audit_id)
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


# Cells are read as one string of numbers, each (audit id * 2**16 + criterion) * 2**16 + grade + 1 (0 for N/A):
# a summary over thousands of plans reads hundreds of thousands of judgements, and one string parsed by numpy
# takes a twentieth of the time of a Python row per judgement. Scales run 1 to 9 (rubric.load), far inside 2**16.
_SHIFT = 1 << 16


def _cells(db: Database) -> Cells:
    """Every graded or N/A judgement (ungraded ones are no figure); the caller keeps those of its sample's audits."""
    import numpy as np

    columns = [r[0] for r in db.execute("SELECT DISTINCT criterion_id FROM judgements ORDER BY criterion_id")]
    if not columns:
        empty = np.zeros(0, dtype=np.int64)
        return Cells([], empty, empty, empty)
    column = " ".join(f"WHEN ? THEN {i}" for i in range(len(columns)))
    text = db.execute(
        f"SELECT group_concat((audit_id * {_SHIFT} + CASE criterion_id {column} END) * {_SHIFT}"
        f" + CASE WHEN not_applicable THEN 0 ELSE grade + 1 END) FROM judgements"
        " WHERE grade IS NOT NULL OR not_applicable", columns).fetchone()[0] or ""
    packed = np.fromstring(text, dtype=np.int64, sep=",")  # text mode: digits and commas only, so nothing is skipped
    grade = packed % _SHIFT - 1  # N/A: -1, which is NA
    return Cells(columns, packed // (_SHIFT * _SHIFT), packed // _SHIFT % _SHIFT, grade)
