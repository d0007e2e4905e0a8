"""Across a sample: how many plans have each kind of pre-check hint, and the vague phrases most common in F."""

from __future__ import annotations

import json
from collections import Counter

import sqlite_utils

from ehcaudit.checks import KIND_TITLES, KINDS, copy_hints
from ehcaudit.checks.lexicon import pattern
from ehcaudit.sections import Section

TOP_PHRASES = 10


def _phrases(quote: str) -> set[str]:
    found = pattern("provision", "open_hedges").findall(quote) + pattern("provision", "closable_hedges").findall(quote)
    return {" ".join(p.lower().split()) for p in found}


def load_prechecks(db: sqlite_utils.Database, plan_ids: list[int]) -> dict:
    """The pre-check figures for these plans, from the hints stored at import (copying worked out over the sample)."""
    wanted = set(plan_ids)
    stored: dict[int, list[dict]] = {}
    for pid, hints in db.execute("SELECT plan_id, hints FROM plan_hints"):
        if pid in wanted:
            stored[pid] = json.loads(hints)
    sections: dict[int, list[Section]] = {}
    for pid, code, heading, score, first, last, text in db.execute(
        "SELECT plan_id, code, heading, score, page_start, page_end, text FROM sections ORDER BY plan_id, page_start"
    ):
        if pid in wanted:
            sections.setdefault(pid, []).append(Section(code, heading, score, first, last, text))
    with_text = sorted(sections)
    labels = dict(db.execute("SELECT id, coalesce(file_name, label) FROM plans").fetchall())
    copied = copy_hints([(labels.get(p, str(p)), sections[p], []) for p in with_text])
    for pid, hints in zip(with_text, copied):
        if hints:
            stored.setdefault(pid, []).extend(h.to_dict() for h in hints)
    wrong: Counter = Counter()
    for pid, detail in db.execute("SELECT plan_id, detail FROM events WHERE action = 'hint_marked_wrong'"):
        if pid in wanted:
            wrong[json.loads(detail).get("kind", "?")] += 1
    return summarise(stored, len(with_text), wrong)


def summarise(hints_by_plan: dict[int, list[dict]], checked: int, wrong: Counter | None = None) -> dict:
    """{checked, kinds: [...], vague_phrases: [...]} from each plan's hints (as JSON dicts)."""
    wrong = wrong or Counter()
    plans_with: Counter = Counter()
    counts: Counter = Counter()
    phrase_plans: Counter = Counter()
    for hints in hints_by_plan.values():
        kinds = {h["kind"] for h in hints}
        plans_with.update(kinds)
        counts.update(h["kind"] for h in hints)
        phrases: set[str] = set()
        for h in hints:
            if h["kind"] == "provision-vague" and h["section"] == "F":
                phrases |= _phrases(h["quote"])
        phrase_plans.update(phrases)

    def pct(n: int) -> float | None:
        return round(100 * n / checked) if checked else None

    return {
        "checked": checked,
        "kinds": [
            {"kind": k, "title": KIND_TITLES[k], "plans": plans_with[k], "pct": pct(plans_with[k]), "hints": counts[k], "marked_wrong": wrong[k]}
            for k in KINDS
        ],
        "vague_phrases": [{"phrase": p, "plans": n, "pct": pct(n)} for p, n in sorted(phrase_plans.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PHRASES]],
    }
