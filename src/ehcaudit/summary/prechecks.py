"""Across a sample: how many plans have each kind of pre-check hint, and the vague phrases most common in F."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ehcaudit.store.db import Database

from ehcaudit.checks import KIND_TITLES, KINDS, copy_hints
from ehcaudit.checks.lexicon import pattern
from ehcaudit.store.summary_rows import precheck_rows

TOP_PHRASES = 10


def _phrases(quote: str) -> set[str]:
    found = pattern("provision", "open_hedges").findall(quote) + pattern("provision", "closable_hedges").findall(quote)
    return {" ".join(p.lower().split()) for p in found}


def load_prechecks(db: Database, plan_ids: list[int]) -> dict[str, Any]:
    """The pre-check figures for these plans, from the hints stored at import (copying worked out over the sample)."""
    rows = precheck_rows(db, plan_ids)
    stored, sections = rows.stored, rows.sections
    with_text = sorted(sections)
    copied = copy_hints([(rows.names.get(p, str(p)), sections[p], []) for p in with_text])
    for pid, hints in zip(with_text, copied):
        if hints:
            stored.setdefault(pid, []).extend(h.to_dict() for h in hints)
    return summarise(stored, len(with_text), Counter(rows.marked_wrong))


def summarise(hints_by_plan: dict[int, list[dict[str, Any]]], checked: int, wrong: Counter[str] | None = None) -> dict[str, Any]:
    """{checked, kinds: [...], vague_phrases: [...]} from each plan's hints (as JSON dicts)."""
    wrong = wrong or Counter()
    plans_with: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    phrase_plans: Counter[str] = Counter()
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
