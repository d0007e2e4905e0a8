"""Scores from spreadsheets: read plan, reviewer, criterion, score (and note, cohort, status) rows.

The whole file is checked first; if any row is bad nothing is imported. Writing the rows is
ehcaudit.store.scores.import_scores; nothing here touches the database.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ehcaudit.errors import EhcauditError
from ehcaudit.output.safe import uncell
from ehcaudit.rubric import Criterion, Rubric
from ehcaudit.store.scores import ScoreRow, ScoresFileError, by_audit, first_cohort_rows

__all__ = ["REQUIRED", "ScoreRow", "ScoresFileError", "read_scores"]

REQUIRED = ("plan", "reviewer", "criterion", "score")
NA_WORDS = {"na", "n/a", "not applicable"}


def read_scores(path: Path, rubric: Rubric) -> list[ScoreRow]:
    """Every row, validated against the rubric; ScoresFileError lists every bad line."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed by the `with` below; only opening may raise FileNotFoundError)
    except FileNotFoundError:
        raise EhcauditError(f"{path}: no such file") from None
    problems: list[str] = []
    rows: list[ScoreRow] = []
    with handle:
        reader = csv.DictReader(handle)
        try:
            _check_header(path, reader)
            _read_rows(path, reader, rubric, rows, problems)
        except csv.Error as exc:
            problems.append(f"{path}:{reader.line_num}: not valid CSV ({exc})")
        except UnicodeDecodeError:
            problems.append(f"{path}: not UTF-8 text; save it as CSV UTF-8")
    if not problems:
        problems = _cohort_changes(path, rows) + _incomplete_submissions(path, rows, rubric)
    if problems:
        raise ScoresFileError(path, problems)
    return rows


def _check_header(path: Path, reader: csv.DictReader[str]) -> None:
    """Every required column, or one line saying what is wrong (a spreadsheet saved with the wrong separator, say)."""
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


def _read_rows(path: Path, reader: csv.DictReader[str], rubric: Rubric, rows: list[ScoreRow], problems: list[str]) -> None:
    """Each data row into rows, or a line into problems; a plan/reviewer/criterion given twice is a problem."""
    criteria = {c.id: c for c in rubric.criteria}
    seen: dict[tuple[str, str, str], int] = {}
    for row in reader:
        line = reader.line_num
        parsed = _parse_row(f"{path}:{line}", line, row, criteria, rubric)
        if isinstance(parsed, str):
            problems.append(parsed)
            continue
        key = (parsed.plan, parsed.reviewer, parsed.criterion)
        if key in seen:
            problems.append(f"{path}:{line}: {parsed.plan}/{parsed.reviewer}/{parsed.criterion} appears again "
                            f"(first on line {seen[key]})")
            continue
        seen[key] = line
        rows.append(parsed)


def _parse_row(where: str, line: int, row: dict[str, str | None], criteria: dict[str, Criterion], rubric: Rubric) -> ScoreRow | str:
    """One row as a ScoreRow, or the line saying what is wrong with it."""
    # uncell: a cell ehcaudit quoted on export (so it cannot run as a formula) reads back as written.
    def get(k: str) -> str:
        return uncell((row.get(k) or "").strip())

    plan, reviewer, cid, score = get("plan"), get("reviewer"), get("criterion"), get("score")
    if not plan or not reviewer:
        return f"{where}: plan and reviewer must not be empty"
    if cid not in criteria:
        return f"{where}: unknown criterion '{cid}' for rubric {rubric.id}"
    grade, na = None, False
    if score.lower() in NA_WORDS:
        na = True
    elif score:
        try:
            grade = int(float(score))
            if grade != float(score):
                raise ValueError
        except (ValueError, OverflowError):  # OverflowError: inf, 1e400
            return f"{where}: score '{score[:20]}' is not a whole number or NA"
    problem = rubric.grade_problem(cid, None if na else grade) if (na or grade is not None) else None
    if problem:
        return f"{where}: {'score ' if not na else ''}{problem}"
    status = get("status") or "submitted"
    if status not in ("submitted", "in_progress"):
        return f"{where}: status must be submitted or in_progress (got '{status}')"
    return ScoreRow(line, plan, reviewer, cid, grade, na, get("note"), get("cohort") or None, status)


def _cohort_changes(path: Path, rows: list[ScoreRow]) -> list[str]:
    """A plan is in one cohort: a file giving it two is a mistake to point out, not to pick from."""
    first: dict[str, ScoreRow] = {}
    problems = []
    for r in first_cohort_rows(rows):
        if r.plan in first:
            problems.append(f"{path}:{r.line}: plan {r.plan} is given cohort {r.cohort} here but "
                            f"{first[r.plan].cohort} on line {first[r.plan].line}; a plan is in one cohort")
        else:
            first[r.plan] = r
    return problems


def _incomplete_submissions(path: Path, rows: list[ScoreRow], rubric: Rubric) -> list[str]:
    """A submitted audit needs what the app needs to submit one: every criterion graded, N/A with a note."""
    problems = []
    for (plan, reviewer), group in by_audit(rows).items():
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
