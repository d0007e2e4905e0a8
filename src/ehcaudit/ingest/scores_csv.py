"""Scores from spreadsheets: read plan, reviewer, criterion, score (and note, cohort, status) rows.

The whole file is checked first; if any row is bad nothing is imported.
"""

from __future__ import annotations

from typing import Any

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.rubric.grading import derive_grades
from ehcaudit.output.safe import uncell
from ehcaudit.store.audits import register_rubric
from ehcaudit.store.db import now, transaction
from ehcaudit.output.words import plural

REQUIRED = ("plan", "reviewer", "criterion", "score")
OPTIONAL = ("note", "cohort", "status")
NA_WORDS = {"na", "n/a", "not applicable"}


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
        return (f"imported {self.grades} grades in {self.audits_created} audits "
                f"({self.audits_unchanged} already present, {self.plans_created} new label-only plans)")


def read_scores(path: Path, rubric: Rubric) -> list[ScoreRow]:
    """Every row, validated against the rubric; ScoresFileError lists every bad line."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed by the `with` below; only opening may raise FileNotFoundError)
    except FileNotFoundError:
        raise EhcauditError(f"{path}: no such file") from None
    problems: list[str] = []
    rows: list[ScoreRow] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                joined = ",".join(reader.fieldnames or []).lower()
                for mark, name in ((";", "semicolon"), ("\t", "tab"), ("|", "bar")):
                    if mark in joined and all(c in joined for c in REQUIRED):
                        raise ScoresFileError(path, [
                            f"{path}:1: the file looks {name}-separated, not comma-separated; save it from the "
                            "spreadsheet as 'CSV UTF-8 (comma delimited)' and import it again"])
                raise ScoresFileError(path, [f"{path}:1: missing column(s) {', '.join(missing)} (need {', '.join(REQUIRED)})"])
            reader.fieldnames = header
            criteria = {c.id: c for c in rubric.criteria}
            seen: dict[tuple[Any, ...], int] = {}
            for row in reader:
                line = reader.line_num
                # uncell: a cell ehcaudit quoted on export (so it cannot run as a formula) reads back as written.
                def get(k: str, row: dict[str, str | None] = row) -> str:
                    return uncell((row.get(k) or "").strip())

                plan, reviewer, cid, score = get("plan"), get("reviewer"), get("criterion"), get("score")
                where = f"{path}:{line}"
                if not plan or not reviewer:
                    problems.append(f"{where}: plan and reviewer must not be empty")
                    continue
                if cid not in criteria:
                    problems.append(f"{where}: unknown criterion '{cid}' for rubric {rubric.id}")
                    continue
                grade, na = None, False
                if score.lower() in NA_WORDS:
                    if not criteria[cid].allow_na:
                        problems.append(f"{where}: {cid} cannot be N/A in rubric {rubric.id}")
                        continue
                    na = True
                elif score:
                    try:
                        grade = int(float(score))
                        if grade != float(score):
                            raise ValueError
                    except (ValueError, OverflowError):  # OverflowError: inf, 1e400
                        problems.append(f"{where}: score '{score[:20]}' is not a whole number or NA")
                        continue
                    if grade not in rubric.scale_values:
                        problems.append(f"{where}: score {grade} is off the scale ({', '.join(map(str, rubric.scale_values))})")
                        continue
                status = get("status") or "submitted"
                if status not in ("submitted", "in_progress"):
                    problems.append(f"{where}: status must be submitted or in_progress (got '{status}')")
                    continue
                key = (plan, reviewer, cid)
                if key in seen:
                    problems.append(f"{where}: {plan}/{reviewer}/{cid} appears again (first on line {seen[key]})")
                    continue
                seen[key] = line
                rows.append(ScoreRow(line, plan, reviewer, cid, grade, na, get("note"), get("cohort") or None, status))
        except csv.Error as exc:
            problems.append(f"{path}:{reader.line_num}: not valid CSV ({exc})")
        except UnicodeDecodeError:
            problems.append(f"{path}: not UTF-8 text; save it as CSV UTF-8")
    if not problems:
        problems = _cohort_changes(path, rows) + _incomplete_submissions(path, rows, rubric)
    if problems:
        raise ScoresFileError(path, problems)
    return rows


def _first_cohort_rows(rows: list[ScoreRow]) -> list[ScoreRow]:
    """For each plan, each different cohort the file gives it, at its first row."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in rows:
        if r.cohort and (r.plan, r.cohort) not in seen:
            seen.add((r.plan, r.cohort))
            out.append(r)
    return out


def _cohort_changes(path: Path, rows: list[ScoreRow]) -> list[str]:
    """A plan is in one cohort: a file giving it two is a mistake to point out, not to pick from."""
    first: dict[str, ScoreRow] = {}
    problems = []
    for r in _first_cohort_rows(rows):
        if r.plan in first:
            problems.append(f"{path}:{r.line}: plan {r.plan} is given cohort {r.cohort} here but "
                            f"{first[r.plan].cohort} on line {first[r.plan].line}; a plan is in one cohort")
        else:
            first[r.plan] = r
    return problems


def _incomplete_submissions(path: Path, rows: list[ScoreRow], rubric: Rubric) -> list[str]:
    """A submitted audit needs what the app needs to submit one: every criterion graded, N/A with a note."""
    by_audit: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for r in rows:
        by_audit[(r.plan, r.reviewer)].append(r)
    problems = []
    for (plan, reviewer), group in by_audit.items():
        if all(r.status == "in_progress" for r in group):
            continue
        done = {r.criterion: r for r in group if r.grade is not None or r.not_applicable}
        missing = [c.id for c in rubric.criteria if c.id not in done]
        bare_na = [cid for cid, r in done.items() if r.not_applicable and not r.note]
        why = []
        if missing:
            why.append(f"no grade for {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}")
        if bare_na:
            why.append(f"N/A without a note for {', '.join(bare_na)}")
        if why:
            problems.append(f"{path}:{group[0].line}: {plan}/{reviewer} is submitted but has {'; '.join(why)}; "
                            "add them, or set status to in_progress for every row of that audit")
    return problems


def import_scores(db: sqlite_utils.Database, rows: list[ScoreRow], rubric: Rubric, source: str) -> ScoresReport:
    """Create one audit per plan and reviewer, in one transaction: all or nothing."""
    register_rubric(db, rubric)
    report = ScoresReport()
    by_audit: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for r in rows:
        by_audit[(r.plan, r.reviewer)].append(r)
    at = now()
    with transaction(db) as conn:
        plan_ids = {label: pid for pid, label in conn.execute("SELECT id, label FROM plans")}
        cohorts = {label: cohort for label, cohort in conn.execute("SELECT label, cohort FROM plans")}
        clashes = [
            f"{source}:{r.line}: plan {r.plan} is in cohort {cohorts[r.plan] or '(none)'} in this database, not {r.cohort}; "
            "correct the cohort column or leave it empty"
            for r in _first_cohort_rows(rows) if r.plan in cohorts and r.cohort != cohorts[r.plan]
        ]
        if clashes:
            raise ScoresFileError(Path(source), clashes)
        existing = {
            (pid, reviewer): aid
            for aid, pid, reviewer in conn.execute(
                "SELECT id, plan_id, reviewer FROM audits WHERE rubric_sha256 = ? AND kind = 'review' AND discarded_at IS NULL",
                [rubric.sha256]
            )
        }
        judgements, events = [], []
        for (label, reviewer), group in by_audit.items():
            if label not in plan_ids:
                cohort = next((r.cohort for r in group if r.cohort), None)
                cur = conn.execute(
                    "INSERT INTO plans (label, cohort, page_count, has_pdf, imported_at) VALUES (?, ?, 0, 0, ?)",
                    [label, cohort, at],
                )
                plan_ids[label] = cur.lastrowid
                report.plans_created += 1
            pid = plan_ids[label]
            if (pid, reviewer) in existing:
                aid = existing[(pid, reviewer)]
                have = {
                    (cid, g, bool(na), note or "")
                    for cid, g, na, note in conn.execute(
                        "SELECT criterion_id, grade, not_applicable, note FROM judgements WHERE audit_id = ?", [aid])
                }
                want = {(r.criterion, r.grade, r.not_applicable, r.note) for r in group}
                if have == want:
                    report.audits_unchanged += 1
                    continue
                raise EhcauditError(
                    f"{source}:{group[0].line}: {label} already has a different audit by {reviewer}; nothing was imported"
                )
            status = "in_progress" if all(r.status == "in_progress" for r in group) else "submitted"
            submitted = status == "submitted"
            overall = derive_grades(rubric, {r.criterion: r.grade for r in group}).overall_grade if submitted else None
            cur = conn.execute(
                "INSERT INTO audits (plan_id, reviewer, rubric_sha256, kind, status, current_criterion, started_at, updated_at,"
                " submitted_at, overall_grade) VALUES (?, ?, ?, 'review', ?, ?, ?, ?, ?, ?)",
                [pid, reviewer, rubric.sha256, status, group[0].criterion, at, at, at if submitted else None, overall],
            )
            aid = cur.lastrowid
            report.audits_created += 1
            for r in group:
                judgements.append((aid, r.criterion, r.grade, int(r.not_applicable), r.note, at))
            report.grades += len(group)
            grades = {r.criterion: ("NA" if r.not_applicable else r.grade) for r in group}
            events.append((aid, pid, at, reviewer, "imported", None, json.dumps({"source": source, "grades": grades, "status": status})))
        conn.executemany(
            "INSERT INTO judgements (audit_id, criterion_id, grade, not_applicable, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            judgements,
        )
        conn.executemany(
            "INSERT INTO events (audit_id, plan_id, at, actor, action, criterion_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", events
        )
    return report
