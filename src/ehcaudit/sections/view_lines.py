"""What the reviewer reads: a plan's sections as lines, each with its page (no terminal code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ehcaudit.sections.codes import SECTION_NAMES


@dataclass(frozen=True)
class ViewLine:
    text: str
    section: str | None
    page: int | None
    heading: bool = False
    aside: str = ""  # why the line belongs to no section (running header, contents, ...), when it was set aside
    aside_id: int | None = None  # the stored set-aside line, so a reviewer can move it into a section


_BULLET = re.compile(r"^(?:[•\-*–·▪]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")


def reflow(lines: list[str]) -> list[tuple[int, str]]:
    """Join PDF lines back into paragraphs: (index of first line, paragraph text).

    A line that nearly fills the measure was wrapped by the PDF, so the next
    line carries on the same paragraph; a short line or a bullet ends it.
    """
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return []
    measure = max(len(ln) for ln in lines)
    out: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        ln = _squash(ln).strip()
        if out and not _BULLET.match(ln) and len(_squash(lines[i - 1]).strip()) >= 0.7 * measure \
                and not lines[i - 1].rstrip().endswith(":"):
            first, text = out[-1]
            out[-1] = (first, f"{text} {ln}")
        else:
            out.append((i, ln))
    return out


def section_lines(code: str, heading: str, text: str, page_start: int, page_end: int,
                  pages: list[str], source: str = "found", note: str = "") -> list[ViewLine]:
    """A section as display lines, each tagged with the page it was printed on (note: said after the heading)."""
    name = SECTION_NAMES.get(code, code)
    where = f"p{page_start}" if page_start == page_end else f"p{page_start}-{page_end}"
    mark = ", corrected" if source == "corrected" else ""
    out = [ViewLine(f"{code} · {name} ({where}{mark}) — {heading}{note}", code, page_start, heading=True)]
    page = page_start
    for _, paragraph in reflow(text.splitlines()):
        # Walk forward through the pages to find where this paragraph was printed.
        probe = page
        head = paragraph[:40]
        while probe <= page_end and probe - 1 < len(pages) and head not in _squash(pages[probe - 1]):
            probe += 1
        if probe <= page_end and probe - 1 < len(pages):
            page = probe
        out.append(ViewLine(paragraph, code, page))
    return out


_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


def _page_body(text: str) -> list[str]:
    """A page's non-blank lines as printed, in order (a set-aside line's place counts these, from 0)."""
    return [_squash(ln).strip() for ln in text.splitlines() if ln.strip()]


def page_lines(pages: list[str], set_aside: list[Any] | None = None) -> list[ViewLine]:
    """The whole plan, page by page, line by line (for search and section correction).

    set_aside: stored set-aside lines (page, place, text, why, id); each is marked where it was on its page.
    """
    aside: dict[tuple[int, int], Any] = {}
    for a in set_aside or []:
        lines = _page_body(pages[a.page - 1]) if 0 < a.page <= len(pages) else []
        place = a.place if a.place is not None and a.place < len(lines) and lines[a.place] == _squash(a.text).strip() \
            else next((i for i, ln in enumerate(lines) if ln == _squash(a.text).strip() and (a.page, i) not in aside), None)
        if place is not None:
            aside[a.page, place] = a
    out: list[ViewLine] = []
    for number, text in enumerate(pages, start=1):
        out.append(ViewLine(f"Page {number}", None, number, heading=True))
        # Raw printed lines here, not paragraphs: correcting a boundary needs the exact line.
        for i, ln in enumerate(_page_body(text)):
            a = aside.get((number, i))
            out.append(ViewLine(ln, None, number, aside=a.why if a else "", aside_id=a.id if a else None))
    return out


def insert_in_page_order(text: str, page_start: int, pages: list[str], page: int, place: int | None, line: str) -> str:
    """A section's text with one more line put where it was printed among the section's own lines."""
    kept = text.splitlines()
    # Where each of the section's lines was printed, found walking forward through the pages.
    printed = [(n, i, ln) for n in range(max(page_start, 1), len(pages) + 1) for i, ln in enumerate(_page_body(pages[n - 1]))]
    at, where = 0, []
    for ln in kept:
        probe = next((k for k in range(at, len(printed)) if printed[k][2] == _squash(ln).strip()), None)
        where.append(printed[probe][:2] if probe is not None else None)
        at = probe + 1 if probe is not None else at
    goal = (page, place if place is not None else 0)
    if all(w is None for w in where):
        last_before = len(kept) - 1  # none of the section's lines found on its pages: the line goes last
    else:
        last_before = max((k for k, w in enumerate(where) if w is not None and w < goal), default=-1)
    return "\n".join(kept[: last_before + 1] + [line] + kept[last_before + 1:])


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any look-for phrase at word boundaries."""
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in cleaned), re.I)
