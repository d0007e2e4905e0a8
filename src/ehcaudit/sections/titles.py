"""Fuzzy scoring of a heading's title against the known section titles."""

from __future__ import annotations

from typing import Any

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache, cache

from rapidfuzz import fuzz, process

from ehcaudit import locations

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


# Abbreviations councils print in headings, spelled out so that they match the long forms.
ABBREVIATIONS = {
    "sen": "special educational needs",
    "send": "special educational needs and disabilities",
    "csdpa": "chronically sick and disabled persons act",
    "ehc": "education health and care",
    "yp": "young person",
    "cyp": "child or young person",
}


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, punctuation to spaces, abbreviations spelled out."""
    text = text.lower().replace("’", "").replace("'", "").replace("&", " and ")
    words = _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip().split()
    return " ".join(ABBREVIATIONS.get(_abbreviation(w), w) for w in words)


def _nearest(word: str, known: list[str]) -> str:
    """The known word a mistyped one was meant to be (80% alike or more), else the word itself."""
    hit = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=80)
    return hit[0] if hit else word


@lru_cache(maxsize=4096)
def _abbreviation(word: str) -> str:
    # "CDSPA" for "CSDPA": a mistyped abbreviation is still that abbreviation.
    if word in ABBREVIATIONS or len(word) < 5:
        return word
    return _nearest(word, list(ABBREVIATIONS))


_FILLER = {"my", "the", "our", "your", "section", "part"}


@dataclass(frozen=True)
class Variant:
    code: str
    text: str
    tokens: frozenset[str]


@lru_cache(maxsize=1)
def variants() -> tuple[Variant, ...]:
    """Every known title, from the data file beside this module."""
    with open(locations.section_titles_file(), "rb") as f:
        data = tomllib.load(f)
    out = []
    for code, entry in data.items():
        for title in entry["titles"]:
            norm = normalise(title)
            out.append(Variant(code, norm, frozenset(norm.split())))
    return tuple(out)


@lru_cache(maxsize=1)
def _choices() -> tuple[list[str], list[Variant]]:
    vs = list(variants())
    return [v.text for v in vs], vs


def score_title(title: str, allow_single_word: bool) -> dict[str, float]:
    """Best match score (0-100) per section code for a normalised title."""
    if not title:
        return {}
    texts, vs = _choices()
    title = " ".join(_spell(t) for t in title.split())
    tokens = set(title.split())
    scores: dict[str, float] = {}
    # Whole-title similarity catches typing mistakes and reworded titles.
    for _, score, i in process.extract(title, texts, scorer=fuzz.token_sort_ratio, limit=8, score_cutoff=55):
        v = vs[i]
        if len(v.tokens) == 1 and not allow_single_word:
            continue
        scores[v.code] = max(scores.get(v.code, 0.0), score)
    # A known title inside a longer heading ("My Outcomes: what I want to achieve").
    for v in vs:
        common = len(tokens & v.tokens)
        if common == 0:
            continue
        if len(v.tokens) == 1:
            # "Outcomes" alone is a heading only with a printed section letter or number.
            if not allow_single_word or not (tokens - v.tokens) <= _FILLER:
                continue
        elif common < 2 or common < len(v.tokens) * 0.6:
            continue
        extra = len(tokens - v.tokens)
        if extra > len(v.tokens) + 3:
            continue
        score = fuzz.token_set_ratio(title, v.text) - 3.5 * extra
        if score > scores.get(v.code, 0.0):
            scores[v.code] = score
    return scores


@cache
def _vocabulary(code: str) -> frozenset[str]:
    return frozenset(t for v in variants() if v.code == code for t in v.tokens)


def title_vocabulary_share(code: str, text: str) -> float:
    """Share of a line's words that occur in the known titles for a code (0-1)."""
    tokens = normalise(text).split()
    if not tokens:
        return 0.0
    vocab = _vocabulary(code)
    return sum(t in vocab for t in tokens) / len(tokens)


@lru_cache(maxsize=1)
def _all_words() -> tuple[frozenset[str], list[str]]:
    words = frozenset(t for v in variants() for t in v.tokens)
    return words, sorted(words)


@lru_cache(maxsize=4096)
def _spell(word: str) -> str:
    """A heading word mistyped ("helath", "avdice") snapped to the known title word it was meant to be."""
    known, ordered = _all_words()
    if word in known or len(word) < 4 or word.isdigit():
        return word
    return _nearest(word, ordered)


@lru_cache(maxsize=1)
def _concepts() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    with open(locations.section_titles_file().with_name("concepts.toml"), "rb") as f:
        data = tomllib.load(f)

    def phrases(table: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(_singular(normalise(p)) for p in v) for k, v in table.items()}

    return phrases(data["topics"]), phrases(data["fields"])


def _singular(text: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split())


def _has(words: str, phrase_list: tuple[str, ...]) -> bool:
    padded = f" {words} "
    return any(f" {p} " in padded for p in phrase_list)


def concept_scores(title: str) -> dict[str, float]:
    """Sections a heading is about by its meaning-bearing words (a normalised title); 0-100 per code.

    "The help I will get with my learning" -> F; "Where I will go to school" -> I;
    "Other help with my care" -> H2. A title with no such words scores nothing.
    """
    words = _singular(" ".join(_spell(t) for t in title.split()))
    if not words or len(words.split()) > 14:
        return {}
    topics, fields = _concepts()
    topic = {k for k, v in topics.items() if _has(words, v)}
    field_ = {k for k, v in fields.items() if _has(words, v)}
    care = "care" in field_ and not _has(words, ("health care", "healthcare"))
    health = "health" in field_
    other = "other" in field_
    if "budget" in topic:
        return {"J": 90.0}
    if "advice" in topic and "provision" not in topic and "needs" not in topic:
        return {"K": 88.0}
    # "Care and support needs", "Things I need help with": help and support that are needed are needs;
    # only the word "provision" makes a heading about provision whatever else it says.
    if "needs_first" in topic or ("needs" in topic and "provision" in topic and " provision" not in f" {words}"):
        topic = (topic - {"provision"}) | {"needs"}
    if "provision" in topic:
        if "csdpa" in field_:
            return {"H1": 90.0}
        if care and not health:
            return {"H2": 90.0} if other else {"H": 86.0}
        if health and not care:
            return {"G": 88.0}
        if "education" in field_ or not field_:
            return {"F": 88.0 if "education" in field_ else 80.0}
        return {}
    if "outcomes" in topic and "needs" not in topic:
        return {"E": 88.0}
    if "needs" in topic or (field_ and not topic and not other):
        if health and not care:
            return {"C": 88.0 if "needs" in topic else 78.0}
        if care and not health:
            return {"D": 88.0 if "needs" in topic else 78.0}
        if "needs" in topic and ("education" in field_ or not field_):
            return {"B": 88.0 if "education" in field_ else 82.0}
        if "education" in field_ and "placement" not in topic and "needs" not in topic:
            return {"B": 76.0}
    if "placement" in topic and "needs" not in topic:
        return {"I": 86.0}
    if "views" in topic:
        return {"A": 86.0}
    return {}
