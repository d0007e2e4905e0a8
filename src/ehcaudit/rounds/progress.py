"""How far a round has got: per reviewer, and what the round still needs (second reviews, moderation)."""

from __future__ import annotations

from typing import Any

import json

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound
from ehcaudit.output.words import plural
from ehcaudit.rounds.dates import is_overdue, today
from ehcaudit.store import rounds as round_store

STATUS_WORDS = {"not_started": "not started", "in_progress": "in progress", "submitted": "submitted"}


def needs_moderation(reviews: list[dict[str, int | None]], moderated: set[str]) -> bool:
    """Two or more submitted reviews that differ on a criterion nobody has moderated yet."""
    if len(reviews) < 2:
        return False
    criteria = set().union(*reviews)
    return any(len({r.get(c) for r in reviews}) > 1 and c not in moderated for c in criteria)


def round_progress(db: Database, round_ref: str | int | None = None, reviewer: str | None = None) -> dict[str, Any]:
    """The progress of a round (the newest by default) as a JSON-ready dict."""
    rnd = round_store.get_round(db, round_ref)
    plans = round_store.round_plans(db, rnd.id)
    # Reviews submitted before the round was drawn are earlier work: they do not count for the round.
    assigned = round_store.assignments(db, rnd.id, rnd.rubric_id, since=rnd.created_at)
    names = sorted({a.reviewer for a in assigned})
    if reviewer is not None and reviewer not in names:
        raise NotFound(f"unknown reviewer '{reviewer}' in round '{rnd.name}' (its reviewers: {', '.join(names) or 'none yet'})")
    late = is_overdue(rnd.due)
    per: dict[str, dict[str, Any]] = {n: {"reviewer": n, "assigned": 0, "not_started": 0, "in_progress": 0, "submitted": 0, "overdue": 0}
                            for n in names}
    for a in assigned:
        row = per[a.reviewer]
        row["assigned"] += 1
        row[a.status] += 1
        if late and a.status != "submitted":
            row["overdue"] += 1
    ids = [p.plan_id for p in plans]
    reviews = round_store.submitted_grades(db, ids, rnd.rubric_id, since=rnd.created_at)
    moderated = round_store.moderated_criteria(db, ids, rnd.rubric_id)
    doubles = [p for p in plans if p.double]
    need_second = [p.label for p in doubles if len(reviews.get(p.plan_id, [])) < 2]
    need_moderation = [p.label for p in doubles
                       if needs_moderation(reviews.get(p.plan_id, []), moderated.get(p.plan_id, set()))]
    reviewed = sum(1 for p in plans if reviews.get(p.plan_id))
    rows = [r for r in per.values() if reviewer is None or r["reviewer"] == reviewer]
    return {
        "round": {"id": rnd.id, "name": rnd.name, "cohort": rnd.cohort, "rubric": rnd.rubric_id, "seed": rnd.seed,
                  "due": rnd.due, "overdue": late and any(a.status != "submitted" for a in assigned),
                  "today": today().isoformat()},
        "plans": len(plans),
        "double_scored": len(doubles),
        "plans_with_a_submitted_review": reviewed,
        "reviews_assigned": len(assigned),
        "reviews_submitted": sum(1 for a in assigned if a.status == "submitted"),
        "unassigned_plans": len([p for p in plans if p.plan_id not in {a.plan_id for a in assigned}]),
        "need_second_review": need_second,
        "need_moderation": need_moderation,
        "reviewers": rows,
        "assignments": [{"plan": a.label, "plan_id": a.plan_id, "review": a.slot, "reviewer": a.reviewer,
                         "status": a.status, "overdue": late and a.status != "submitted"}
                        for a in assigned if reviewer is None or a.reviewer == reviewer],
    }


def _needs(n: int, what: str) -> str:
    return f"{'no' if n == 0 else n} plan{'s need' if n != 1 else ' needs'} {what}"


def progress_lines(p: dict[str, Any]) -> list[str]:
    """The audit round in a few sentences."""
    r = p["round"]
    due = f"due {r['due']}" + (" (OVERDUE)" if r["overdue"] else "") if r["due"] else "not assigned yet"
    lines = [(f"Audit round {r['id']} '{r['name']}': {plural(p['plans'], 'plan')} ({p['double_scored']} double-scored), "
              f"rubric {r['rubric']}, seed {r['seed']}, {due}.")]
    if not p["plans"]:
        lines.append("This audit round has no plans: draw a new sample to audit.")
        return lines
    if not p["reviews_assigned"]:
        lines.append(f"No reviews assigned yet: share the {plural(p['plans'], 'plan')} among reviewers "
                     f"(a in the app, or ehcaudit assign --round {r['id']}).")
    else:
        lines.append(f"{p['reviews_submitted']} of {plural(p['reviews_assigned'], 'review')} submitted since the round "
                     f"was drawn; {_needs(len(p['need_second_review']), 'a second review')}, "
                     f"{_needs(len(p['need_moderation']), 'moderation')}.")
    if p["unassigned_plans"] and p["reviews_assigned"]:
        lines.append(f"{_plans_not_assigned(p['unassigned_plans'])}: ehcaudit assign --round {r['id']} ...")
    if p["need_second_review"]:
        lines.append("Second review still needed: " + ", ".join(p["need_second_review"]) + ".")
    if p["need_moderation"]:
        lines.append("Moderation needed (press M in the app): " + ", ".join(p["need_moderation"]) + ".")
    return lines


def _plans_not_assigned(n: int) -> str:
    return f"{plural(n, 'plan')} not assigned to anyone"


COLUMNS = [("reviewer", "Reviewer"), ("assigned", "Assigned"), ("not_started", "Not started"), ("in_progress", "In progress"),
           ("submitted", "Submitted"), ("overdue", "Overdue")]


def render_progress(p: dict[str, Any], fmt: str) -> str:
    """table, json or md."""
    if fmt == "json":
        return json.dumps(p, indent=2, ensure_ascii=False) + "\n"
    rows = [[str(r[k]) for k, _ in COLUMNS] for r in p["reviewers"]]
    head = [h for _, h in COLUMNS]
    if fmt == "md":
        from ehcaudit.rounds.text import md_cell

        out = [f"# Audit round progress: {md_cell(p['round']['name'])}", ""] + [md_cell(x) for x in progress_lines(p)] + [""]
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(md_cell(c) for c in r) + " |" for r in rows]
        return "\n".join(out) + "\n"
    from ehcaudit.rounds.text import plain, text_table

    out = [plain(x) for x in progress_lines(p)] + [""]
    out += text_table(head, [[plain(c) for c in r] for r in rows]) if rows else ["No reviewer assigned yet."]
    return "\n".join(out) + "\n"
