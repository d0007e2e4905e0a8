"""Actions after an audit: checked on the way in, listed and filtered, summarised for a board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import csv
import io
import json
from collections import Counter
from dataclasses import asdict

from ehcaudit.store.db import Database

from ehcaudit.sections.codes import SECTION_CODES, SECTION_NAMES
from ehcaudit.errors import AuditError
from ehcaudit.rounds.dates import is_overdue, parse_date, parse_due, today
from ehcaudit.rounds.text import csv_cell, md_cell, plain, text_table
from ehcaudit.rubric import Rubric
from ehcaudit.store import actions as action_store
from ehcaudit.store.actions import ActionRow

if TYPE_CHECKING:
    from ehcaudit.summary.shape import Summary
    from ehcaudit.summary.tables import SummaryTable

NO_CRITERION = "no criterion"


def record_action(db: Database, *, plan_id: int, what: str, due: str, actor: str,
                  team: str | None = None, person: str | None = None, section: str | None = None,
                  criterion_id: str | None = None, rubric: Rubric | None = None, audit_id: int | None = None) -> int:
    """Check an action as a user typed it (owner, section, criterion, due date not past) and record it."""
    team, person = (team or "").strip(), (person or "").strip()
    if bool(team) == bool(person):
        raise AuditError("an action is owned by a team or by a person: give one of --team or --person")
    code = (section or "").strip().upper() or None
    if code is not None and code not in SECTION_CODES:
        raise AuditError(f"unknown section '{section}'; sections are {' '.join(SECTION_CODES)}")
    if criterion_id and rubric is not None:
        try:
            rubric.criterion(criterion_id)
        except KeyError:
            raise AuditError(f"unknown criterion '{criterion_id}' in rubric {rubric.id}") from None
    due_date = parse_due(due, "action's due date")
    return action_store.add_action(db, plan_id=plan_id, what=what, owner=team or person,
                                   owner_kind="team" if team else "person", due=due_date.isoformat(), actor=actor,
                                   section_code=code, criterion_id=criterion_id or None, audit_id=audit_id)


def mark_done(db: Database, action_id: int, note: str, actor: str, on: str | None = None) -> None:
    """Done on a date (today by default; not in the future) with a note."""
    done_on = parse_date(on, "completion date") if on else today()
    if done_on > today():
        raise AuditError(f"an action cannot be done on {done_on.isoformat()}, which is after today ({today().isoformat()})")
    action_store.complete_action(db, action_id, done_on.isoformat(), note, actor)


def is_late(a: ActionRow) -> bool:
    return is_overdue(a.due, a.status == "done")


def team_of(a: ActionRow) -> str:
    """The team an action counts against: its owning team, else the plan's team."""
    return a.owner if a.owner_kind == "team" else (a.plan_team or "not recorded")


def filter_actions(actions: list[ActionRow], *, open_only: bool = False, overdue: bool = False, team: str | None = None) -> list[ActionRow]:
    out = actions
    if open_only:
        out = [a for a in out if a.status == "open"]
    if overdue:
        out = [a for a in out if is_late(a)]
    if team:
        wanted = team.casefold()
        out = [a for a in out if team_of(a).casefold() == wanted or (a.plan_team or "").casefold() == wanted]
    return out


def describe_section(code: str | None) -> str:
    return f"{code} ({SECTION_NAMES.get(code, code)})" if code else ""


def action_dict(a: ActionRow) -> dict[str, Any]:
    d = asdict(a)
    d["overdue"] = is_late(a)
    return d


COLUMNS = ["#", "Plan", "Cohort", "What", "Sec", "Crit", "Owner", "Due", "Status"]


def _row(a: ActionRow) -> list[str]:
    status = "done " + (a.done_on or "") if a.status == "done" else ("OVERDUE" if is_late(a) else "open")
    owner = a.owner + (" (team)" if a.owner_kind == "team" else "")
    return [str(a.id), a.plan_label, a.cohort or "", a.what, a.section_code or "", a.criterion_id or "", owner, a.due, status]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def render_actions(actions: list[ActionRow], fmt: str, width: int | None = None) -> str:
    """table, csv, json or md; every untrusted string made safe for its format.

    A table for a terminal `width` columns wide cuts the long columns (plan, what, owner) to fit.
    """
    if fmt == "json":
        return json.dumps([action_dict(a) for a in actions], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["id", "plan", "cohort", "what", "section", "criterion", "owner", "owner_kind", "due", "status",
                    "overdue", "done_on", "done_note", "created_by", "created_at"])
        for a in actions:
            w.writerow([csv_cell(v) for v in [a.id, a.plan_label, a.cohort or "", a.what, a.section_code or "",
                                              a.criterion_id or "", a.owner, a.owner_kind, a.due, a.status,
                                              "yes" if is_late(a) else "no", a.done_on or "", a.done_note or "",
                                              a.created_by, a.created_at]])
        return out.getvalue()
    rows = [_row(a) for a in actions]
    if fmt == "md":
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(md_cell(c) for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if not rows:
        return "No actions match.\n"
    rows = [[plain(c) for c in r] for r in rows]
    header = COLUMNS
    if width and width < 140:
        # A terminal: #, plan, what, section, owner, due, status, the long ones cut to fit.
        keep = [0, 1, 3, 4, 6, 7, 8]
        header = [COLUMNS[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
        rows = [r[:6] + [r[6].split(" ")[0]] for r in rows]  # 'done 2026-12-01' -> 'done'
        room = max(30, width - (3 + 3 + 10 + 7) - 2 * (len(header) - 1) - 1)
        plan_w = min(14, max(8, room * 3 // 10))
        owner_w = min(14, max(8, room // 4))
        what_w = room - plan_w - owner_w
        rows = [[r[0], _fit(r[1], plan_w), _fit(r[2], what_w), r[3], _fit(r[4], owner_w), r[5], r[6]] for r in rows]
    else:
        rows = [[c[:60] for c in r] for r in rows]
    return "\n".join(text_table(header, rows)) + "\n"


def summarise_actions(actions: list[ActionRow], rubric: Rubric, reaudits: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Open, done and overdue actions overall, by team and by criterion; re-audits' grades before and after."""
    def counts(items: list[ActionRow]) -> dict[str, Any]:
        return {"total": len(items), "open": sum(a.status == "open" for a in items),
                "done": sum(a.status == "done" for a in items), "overdue": sum(is_late(a) for a in items)}

    by_team: dict[str, list[ActionRow]] = {}
    by_criterion: dict[str, list[ActionRow]] = {}
    for a in actions:
        by_team.setdefault(team_of(a), []).append(a)
        by_criterion.setdefault(a.criterion_id or NO_CRITERION, []).append(a)
    question = {c.id: c.question for c in rubric.criteria}
    return {
        **counts(actions),
        "by_team": [{"team": t, **counts(v)} for t, v in sorted(by_team.items())],
        "by_criterion": [{"criterion": c, "question": question.get(c, ""), **counts(v)}
                         for c, v in sorted(by_criterion.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
        "owners_kind": dict(Counter(a.owner_kind for a in actions)),
        "reaudits": reaudits or [],
    }


def reaudits(versions: dict[str, list[tuple[str | None, int, int | None]]], rubric: Rubric) -> list[dict[str, Any]]:
    """For each plan label audited in two or more cohorts: the overall grade in the first and the latest."""
    out = []
    seen: set[frozenset[int]] = set()
    for label, rows in sorted(versions.items()):
        ids = frozenset(pid for _, pid, _ in rows)
        if ids in seen:  # two versions of one plan both have actions: one row for the plan
            continue
        seen.add(ids)
        graded = [(c, g) for c, _, g in rows if g is not None]
        if len(graded) < 2:
            continue
        (c0, g0), (c1, g1) = graded[0], graded[-1]
        out.append({"plan": label, "before_cohort": c0, "before": g0, "before_label": rubric.label(g0),
                    "after_cohort": c1, "after": g1, "after_label": rubric.label(g1), "change": g1 - g0})
    return out


def action_tables(s: Summary) -> list[SummaryTable]:
    """The actions section as summary tables (rendered with the rest of the summary in every format)."""
    from ehcaudit.summary.tables import SummaryTable

    x = s.get("actions")
    if not x or not (x["total"] or x["reaudits"]):
        return []  # a summary without actions reads as it always did
    head = ["Open", "Done", "Overdue", "Total"]
    tables = [
        SummaryTable("actions", "Actions agreed after audits", ["", *head],
                     [["All actions", x["open"], x["done"], x["overdue"], x["total"]]]),
        SummaryTable("actions-team", "Actions by team", ["Team", *head],
                     [[r["team"], r["open"], r["done"], r["overdue"], r["total"]] for r in x["by_team"]]),
        SummaryTable("actions-criterion", "Actions by criterion", ["Criterion", *head],
                     [[r["criterion"], r["open"], r["done"], r["overdue"], r["total"]] for r in x["by_criterion"]]),
    ]
    if x["reaudits"]:
        tables.append(SummaryTable(
            "reaudits", "Re-audited plans: overall grade before and after", ["Plan", "Before", "After", "Change"],
            [[r["plan"], f"{r['before']} {r['before_label']} ({r['before_cohort'] or '-'})",
              f"{r['after']} {r['after_label']} ({r['after_cohort'] or '-'})", f"{r['change']:+d}"] for r in x["reaudits"]]))
    return tables
