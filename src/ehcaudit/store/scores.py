"""Writing scores read from a spreadsheet (ehcaudit.ingest.scores_csv): one audit per plan and reviewer, all or nothing."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ehcaudit.errors import EhcauditError
from ehcaudit.output.words import plural
from ehcaudit.rubric import Rubric
from ehcaudit.rubric.grading import derive_grades
from ehcaudit.store.audits import JUDGEMENT_UPSERT, insert_audit, register_rubric
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_events
from ehcaudit.store.plans import insert_plan


class ScoresFileError(EhcauditError):
    def __init__(self, path: Path, problems: list[str]):
        super().__init__(f"{path}: {plural(len(problems), 'problem')}; nothing was imported")
        self.problems = problems


@dataclass
class ScoreRow:
    line: int
    plan: str
    reviewer: str
    criterion: str
    grade: int | None
    not_applicable: bool
    note: str
    cohort: str | None
    status: str


@dataclass
class ScoresReport:
    audits_created: int = 0
    audits_unchanged: int = 0
    plans_created: int = 0
    grades: int = 0

    @property
    def summary(self) -> str:
        return (f"imported {plural(self.grades, 'grade')} in {plural(self.audits_created, 'audit')} "
                f"({self.audits_unchanged} already present, {plural(self.plans_created, 'new label-only plan')})")


def by_audit(rows: list[ScoreRow]) -> dict[tuple[str, str], list[ScoreRow]]:
    """The rows of each (plan, reviewer), in file order."""
    out: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for r in rows:
        out[(r.plan, r.reviewer)].append(r)
    return out


def first_cohort_rows(rows: list[ScoreRow]) -> list[ScoreRow]:
    """For each plan, each different cohort the file gives it, at its first row."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in rows:
        if r.cohort and (r.plan, r.cohort) not in seen:
            seen.add((r.plan, r.cohort))
            out.append(r)
    return out


def _cohort_clashes(conn: sqlite3.Connection, rows: list[ScoreRow], source: str) -> list[str]:
    """A plan already stored in one cohort cannot be given another by the file."""
    cohorts = {label: cohort for label, cohort in conn.execute("SELECT label, cohort FROM plans")}
    return [
        f"{source}:{r.line}: plan {r.plan} is in cohort {cohorts[r.plan] or '(none)'} in this database, not {r.cohort}; "
        "correct the cohort column or leave it empty"
        for r in first_cohort_rows(rows) if r.plan in cohorts and r.cohort != cohorts[r.plan]
    ]


def _same_judgements(conn: sqlite3.Connection, audit_id: int, group: list[ScoreRow]) -> bool:
    """Whether a stored audit already holds exactly these rows (importing the same file twice changes nothing)."""
    have = {
        (cid, g, bool(na), note or "")
        for cid, g, na, note in conn.execute(
            "SELECT criterion_id, grade, not_applicable, note FROM judgements WHERE audit_id = ?", [audit_id])
    }
    return have == {(r.criterion, r.grade, r.not_applicable, r.note) for r in group}


def _write_audit(conn: sqlite3.Connection, plan_id: int, reviewer: str, group: list[ScoreRow], rubric: Rubric,
                 source: str, at: str) -> Event:
    """One imported audit with its judgements; the event that records it."""
    submitted = not all(r.status == "in_progress" for r in group)
    overall = derive_grades(rubric, {r.criterion: r.grade for r in group}).overall_grade if submitted else None
    audit_id = insert_audit(conn, plan_id, reviewer, rubric.sha256, group[0].criterion, at,
                            submitted=submitted, overall_grade=overall)
    conn.executemany(JUDGEMENT_UPSERT, [(audit_id, r.criterion, r.grade, int(r.not_applicable), r.note, at) for r in group])
    grades = {r.criterion: ("NA" if r.not_applicable else r.grade) for r in group}
    status = "submitted" if submitted else "in_progress"
    return Event(Action.IMPORTED, reviewer, audit_id=audit_id, plan_id=plan_id, at=at,
                 detail={"source": source, "grades": grades, "status": status, "overall_grade": overall,
                         "notes": {r.criterion: r.note for r in group if r.note}})


def import_scores(db: Database, rows: list[ScoreRow], rubric: Rubric, source: str) -> ScoresReport:
    """Create one audit per plan and reviewer, in one transaction: all or nothing."""
    register_rubric(db, rubric)
    report = ScoresReport()
    at = now()
    with transaction(db) as conn:
        clashes = _cohort_clashes(conn, rows, source)
        if clashes:
            raise ScoresFileError(Path(source), clashes)
        plan_ids = {label: pid for pid, label in conn.execute("SELECT id, label FROM plans")}
        existing = {
            (pid, reviewer): aid
            for aid, pid, reviewer in conn.execute(
                "SELECT id, plan_id, reviewer FROM audits WHERE rubric_sha256 = ? AND kind = 'review' AND discarded_at IS NULL",
                [rubric.sha256])
        }
        events = []
        for (label, reviewer), group in by_audit(rows).items():
            if label not in plan_ids:
                plan_ids[label] = insert_plan(conn, label, next((r.cohort for r in group if r.cohort), None), at=at)
                report.plans_created += 1
            pid = plan_ids[label]
            if (pid, reviewer) in existing:
                if not _same_judgements(conn, existing[(pid, reviewer)], group):
                    raise EhcauditError(
                        f"{source}:{group[0].line}: {label} already has a different audit by {reviewer}; nothing was imported")
                report.audits_unchanged += 1
                continue
            events.append(_write_audit(conn, pid, reviewer, group, rubric, source, at))
            report.audits_created += 1
            report.grades += len(group)
        append_events(conn, events)
    return report
