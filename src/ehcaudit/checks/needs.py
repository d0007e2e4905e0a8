"""The golden thread from B to F: an area of need that B describes should have provision in F."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.checks.lexicon import area_patterns, pattern
from ehcaudit.checks.statements import blocks, sentences

MIN_NEED_WORDS = 12


@dataclass(frozen=True)
class Need:
    area: str
    quote: str  # the first statement B gives about it


def heading_area(heading: str) -> str | None:
    """The area a sub-heading names ('Speech, language and communication' -> communication and interaction)."""
    if not heading:
        return None
    best, best_n = None, 0
    for area, (head, _words) in area_patterns().items():
        n = len(head.findall(heading))
        if n > best_n:
            best, best_n = area, n
    return best


def content_scores(text: str) -> dict[str, int]:
    """How many distinct words of each area the text uses."""
    return {area: len({w.lower() for w in words.findall(text)}) for area, (_h, words) in area_patterns().items()}


def _content_area(text: str, margin: int = 1) -> str | None:
    scores = content_scores(text)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 2 and ranked[0][1] - ranked[1][1] >= margin:
        return ranked[0][0]
    return None


def needs_in_b(text: str) -> list[Need]:
    """The areas B describes as needs (by its sub-headings, else by what each paragraph is about)."""
    by_area: dict[str, list[str]] = {}
    for block, heading, _bullet in blocks(text):
        if block == heading:
            continue
        area = heading_area(heading) or _content_area(block)
        if area:
            by_area.setdefault(area, []).append(block)
    out = []
    for area, texts in by_area.items():
        joined = " ".join(texts)
        if len(joined.split()) < MIN_NEED_WORDS:
            continue
        said_none = pattern("needs", "no_need").search(joined)
        if said_none and len(joined.split()) < 30:
            continue
        out.append(Need(area=area, quote=sentences(texts[0])[0]))
    return out


def provided_areas(text: str) -> set[str]:
    """The areas F has provision for: by its sub-headings and by what its lines are about."""
    found: set[str] = set()
    for block, heading, _bullet in blocks(text):
        if block == heading:
            continue
        if pattern("provision", "not_provision").search(block.lower()):
            continue
        area = heading_area(heading)
        if area:
            found.add(area)
        # A line counts for the area it is most about (several if tied), whatever heading it sits under.
        scores = content_scores(block)
        if area:
            found.update(a for a, n in scores.items() if n >= 2 and n > scores[area])
            continue
        top = max(scores.values())
        if top >= 1:
            found.update(a for a, n in scores.items() if n == top)
    return found


def unprovided_needs(b_text: str, f_text: str) -> list[Need]:
    """Needs B describes that F makes no provision for (nothing is said when F is empty: the finder may have missed it)."""
    if len(f_text.split()) < 5:
        return []
    provided = provided_areas(f_text)
    return [n for n in needs_in_b(b_text) if n.area not in provided]
