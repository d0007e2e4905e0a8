"""Paragraphs copied between plans of a sample, child's details aside; boilerplate is learnt from the sample."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ehcaudit.checks.lexicon import words
from ehcaudit.checks.statements import blocks

TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "theirs", "himself", "herself", "themselves"}
SHINGLE = 4
MIN_WORDS = 15
MIN_SHARED = 10
CONTAINMENT = 0.6
SKIP_SECTIONS = frozenset({"I", "J", "K"})


@dataclass(frozen=True)
class Paragraph:
    plan: int  # index into the sample
    section: str
    text: str
    page_start: int
    page_end: int


@dataclass(frozen=True)
class Copy:
    paragraph: Paragraph
    other_plan: int
    other_section: str
    shared: float


@cache
def _common_words() -> frozenset[str]:
    return frozenset(w.lower() for w in words()["copies"]["not_names"])


def normalise(text: str) -> list[str]:
    """Words with the child's details masked: names and places as N, numbers as #, pronouns as P."""
    common = _common_words()
    out = []
    for tok in TOKEN.findall(text):
        low = tok.lower()
        if tok[0].isdigit():
            out.append("#")
        elif low in PRONOUNS:
            out.append("P")
        elif tok[0].isupper() and low not in common:
            out.append("N")
        else:
            out.append(low)
    return out


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def paragraphs(plan_index: int, sections: list[tuple[str, str, int, int]]) -> list[Paragraph]:
    """The plan's paragraphs long enough to be worth comparing; sections as (code, text, page_start, page_end)."""
    out = []
    for code, text, first, last in sections:
        if code in SKIP_SECTIONS:
            continue
        for block, _heading, _bullet in blocks(text):
            if len(block.split()) >= MIN_WORDS:
                out.append(Paragraph(plan_index, code, block, first, last))
    return out


def boilerplate_share(n_plans: int) -> int:
    """A passage in this many plans or more is the sample's standard text, not copying."""
    return max(4, math.ceil(0.2 * n_plans))


def find_copies(paras: list[Paragraph], n_plans: int) -> list[Copy]:
    """Each paragraph nearly verbatim in another plan, once the text most plans share is set aside."""
    sets = [shingles(normalise(p.text)) for p in paras]
    plans_with: dict[tuple, set[int]] = defaultdict(set)
    for p, s in zip(paras, sets):
        for sh in s:
            plans_with[sh].add(p.plan)
    common = boilerplate_share(n_plans)
    sets = [{sh for sh in s if len(plans_with[sh]) < common} for s in sets]
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            index[sh].append(i)
    found: list[Copy] = []
    for i, s in enumerate(sets):
        if len(s) < MIN_SHARED:
            continue
        overlap: dict[int, int] = defaultdict(int)
        for sh in s:
            for j in index[sh]:
                if paras[j].plan != paras[i].plan:
                    overlap[j] += 1
        best: dict[int, tuple[float, int]] = {}
        for j, n in overlap.items():
            if n < MIN_SHARED:
                continue
            share = n / min(len(s), len(sets[j]))
            if share >= CONTAINMENT and n / max(len(s), len(sets[j])) >= 0.4:
                plan = paras[j].plan
                if plan not in best or share > best[plan][0]:
                    best[plan] = (share, j)
        # A passage in several plans beyond the standard text is still copying; name each other plan.
        for plan, (share, j) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            found.append(Copy(paras[i], plan, paras[j].section, share))
    return found
