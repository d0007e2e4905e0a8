"""Paragraphs copied between plans of a sample, child's details aside; boilerplate is learnt from the sample."""

from __future__ import annotations

from typing import Any

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from ehcaudit.checks.lexicon import words
from ehcaudit.checks.statements import blocks, sentences

STATUTE = re.compile(r"\bAct (of )?\d{4}\b|\bCode of Practice\b|\bRegulations (\d{4}|\d+)\b|\bsection \d+[A-Z]? of\b", re.IGNORECASE)
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "theirs", "himself", "herself", "themselves"}
SHINGLE = 4
MIN_WORDS = 15
MIN_SHARED = 5  # shingles in common before two paragraphs are compared word by word
SAME_RATIO = 0.7
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


@lru_cache(maxsize=65536)
def _masked(tok: str) -> str:
    low = tok.lower()
    if tok[0].isdigit():
        return "#"
    if low in PRONOUNS:
        return "P"
    if tok[0].isupper() and low not in _common_words():
        return "N"
    return low


def normalise(text: str) -> list[str]:
    """Words with the child's details masked: names and places as N, numbers as #, pronouns as P."""
    return [_masked(tok) for tok in TOKEN.findall(text)]


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(*(words[k:] for k in range(SHINGLE))))


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


def _residue(words: list[str], common: set[tuple[str, ...]]) -> list[str]:
    """The words not covered by the sample's standard text (shingles most plans share)."""
    covered = [False] * len(words)
    for i, sh in enumerate(zip(*(words[k:] for k in range(SHINGLE)))):
        if sh in common:
            covered[i : i + SHINGLE] = [True] * SHINGLE
    return [w for w, c in zip(words, covered) if not c]


def similarity(a: list[str], b: list[str]) -> tuple[float, int]:
    """(how alike two word lists are, 0-1, and how many words they share in order): a few words changed
    here and there keep it high; one shared sentence in two different paragraphs does not."""
    if not a or not b:
        return 0.0, 0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(m.size for m in matcher.get_matching_blocks())
    return matcher.ratio(), matched


def comparable_words(text: str) -> list[str]:
    """A paragraph's words for comparison: sentences quoting the law (anyone's to quote) left out."""
    kept = [s for s in sentences(text) if not STATUTE.search(s)]
    return normalise(" ".join(kept))


def _alike(a: list[str], b: list[str]) -> float | None:
    ratio, matched = similarity(a, b)
    if ratio >= SAME_RATIO:
        return ratio
    # One plan's paragraph copied inside a longer one of another plan.
    shorter = min(len(a), len(b))
    if shorter >= 30 and matched >= 25 and matched / shorter >= 0.85:
        return matched / shorter
    return None


def find_copies(paras: list[Paragraph], n_plans: int) -> list[Copy]:
    """Each paragraph nearly verbatim in another plan, once the text most plans share is set aside."""
    words = [comparable_words(p.text) for p in paras]
    sets = [shingles(w) for w in words]
    plans_with: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for p, s in zip(paras, sets):
        for sh in s:
            plans_with[sh].add(p.plan)
    share = boilerplate_share(n_plans)
    common = {sh for sh, plans in plans_with.items() if len(plans) >= share}
    residues = [_residue(w, common) for w in words]
    sets = [s - common for s in sets]
    index: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            index[sh].append(i)
    found: list[Copy] = []
    for i, s in enumerate(sets):
        if len(residues[i]) < MIN_WORDS:
            continue
        overlap: dict[int, int] = defaultdict(int)
        for sh in s:
            for j in index[sh]:
                if paras[j].plan != paras[i].plan:
                    overlap[j] += 1
        best: dict[int, tuple[float, int]] = {}
        for j, n in overlap.items():
            if n < MIN_SHARED or len(residues[j]) < MIN_WORDS:
                continue
            alike = _alike(residues[i], residues[j])
            if alike is not None:
                plan = paras[j].plan
                if plan not in best or alike > best[plan][0]:
                    best[plan] = (alike, j)
        # A passage in several plans beyond the standard text is still copying; name each other plan.
        for plan, (alike, j) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            found.append(Copy(paras[i], plan, paras[j].section, alike))
    return found
