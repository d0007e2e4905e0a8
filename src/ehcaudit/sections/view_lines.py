"""What the reviewer reads: a plan's sections as lines, each with its page (no terminal code)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ehcaudit.sections.codes import SECTION_NAMES


Printed = tuple[int, int]  # (page, place among the page's non-blank lines, from 0)


@dataclass(frozen=True)
class ViewLine:
    text: str
    section: str | None
    page: int | None
    heading: bool = False
    aside: str = ""  # why the line belongs to no section (running header, contents, ...), when it was set aside
    aside_id: int | None = None  # the stored set-aside line, so a reviewer can move it into a section
    rows: tuple[int, ...] = ()  # which lines of its section's stored text it shows (from 0), so it can be moved
    rule: bool = False  # a page marker of the whole-plan view, not a section heading


_BULLET = re.compile(r"^(?:[•\-*–·▪]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")


def reflow(lines: list[str], measure: int | None = None, breaks: set[int] | frozenset[int] = frozenset()) -> list[tuple[tuple[int, ...], str]]:
    """Join PDF lines back into paragraphs: (the lines' indices in `lines`, paragraph text).

    A line that nearly fills the measure (by default the longest line) was wrapped by the PDF,
    so the next line carries on the same paragraph; a short line, a bullet or an index in
    `breaks` (a line not printed straight after the one before) starts a new one.
    """
    kept = [(i, _squash(ln).strip()) for i, ln in enumerate(lines) if ln.strip()]
    if not kept:
        return []
    measure = measure or max(len(ln) for _, ln in kept)
    out: list[tuple[tuple[int, ...], str]] = []
    previous = ""
    for i, ln in kept:
        if out and i not in breaks and not _BULLET.match(ln) and len(previous) >= 0.7 * measure \
                and not previous.endswith(":"):
            rows, text = out[-1]
            out[-1] = ((*rows, i), f"{text} {ln}")
        else:
            out.append(((i,), ln))
        previous = ln
    return out


def pages_label(start: int, end: int) -> str:
    """Where a section is printed, as a reviewer reads it: "p3", "p3-4"."""
    return f"p{start}" if start == end else f"p{start}-{end}"


def section_lines(code: str, heading: str, text: str, page_start: int, page_end: int,
                  pages: list[str], source: str = "found", note: str = "") -> list[ViewLine]:
    """A section as display lines, each tagged with the page it was printed on (note: said after the heading)."""
    name = SECTION_NAMES.get(code, code)
    where = pages_label(page_start, page_end)
    mark = ", corrected" if source == "corrected" else ""
    out = [ViewLine(f"{code} · {name} ({where}{mark}) — {heading}{note}", code, page_start, heading=True)]
    located = locate_section(heading, text, page_start, page_end, pages).rows
    page = page_start
    for rows, paragraph in reflow(text.splitlines(), breaks=_gaps(located, pages)):
        printed = next((located[r] for r in rows if located[r] is not None), None)
        if printed is not None:
            page = printed[0]
        else:
            # Not found line by line (a table cell, say): walk forward through the pages to where it was printed.
            probe = page
            head = paragraph[:40]
            while probe <= page_end and probe - 1 < len(pages) and head not in _squash(pages[probe - 1]):
                probe += 1
            if probe <= page_end and probe - 1 < len(pages):
                page = probe
        out.append(ViewLine(paragraph, code, page, rows=rows))
    return out


def _gaps(located: list[Printed | None], pages: list[str]) -> set[int]:
    """The lines not printed straight after the line before: other lines between them on a page, or
    another page that is not the next one's top (a paragraph carried over a page break, with only a
    few lines of page furniture between, is still one paragraph)."""
    gaps: set[int] = set()
    previous: Printed | None = None
    for i, at in enumerate(located):
        if at is None:
            continue
        if previous is not None:
            if at[0] == previous[0]:
                apart = at[1] != previous[1] + 1
            else:
                left = len(_page_body(pages[previous[0] - 1])) - previous[1] - 1
                apart = at[0] != previous[0] + 1 or left > 3 or at[1] > 3
            if apart:
                gaps.add(i)
        previous = at
    return gaps


_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


def _page_body(text: str) -> list[str]:
    """A page's non-blank lines as printed, in order (a set-aside line's place counts these, from 0)."""
    return [_squash(ln).strip() for ln in text.splitlines() if ln.strip()]


def _aside_places(pages: list[str], set_aside: list[Any]) -> dict[Printed, Any]:
    """Where each stored set-aside line is on its page (its stored place, or the first line that reads the same)."""
    aside: dict[Printed, Any] = {}
    for a in set_aside:
        lines = _page_body(pages[a.page - 1]) if 0 < a.page <= len(pages) else []
        place = a.place if a.place is not None and a.place < len(lines) and lines[a.place] == _squash(a.text).strip() \
            else next((i for i, ln in enumerate(lines) if ln == _squash(a.text).strip() and (a.page, i) not in aside), None)
        if place is not None:
            aside[a.page, place] = a
    return aside


def printed_owners(pages: list[str], sections: Mapping[str, Any], aside: Mapping[Printed, Any]) -> dict[Printed, tuple[str, int | None]]:
    """Which section each printed line belongs to: (code, row of its text) or (code, None) for its heading.

    Sections are placed in document order, each taking only places nothing else has; set-aside places are taken.
    """
    taken: set[Printed] = set(aside)
    owners: dict[Printed, tuple[str, int | None]] = {}
    for code, s in sorted(sections.items(), key=lambda item: item[1].page_start):
        found = locate_section(s.heading, s.text, s.page_start, s.page_end, pages, frozenset(taken))
        for place in found.heading:
            owners[place] = (code, None)
        for row, where in enumerate(found.rows):
            if where is not None:
                owners[where] = (code, row)
        taken |= set(found.heading) | {at for at in found.rows if at is not None}
    return owners


def page_lines(pages: list[str], set_aside: list[Any] | None = None,
               sections: Mapping[str, Any] | None = None) -> list[ViewLine]:
    """The whole plan, page by page, as the reader sees it: each section's heading once (with its code),
    its text as paragraphs, and the lines set aside (running header, contents, ...) one by one.

    set_aside: stored set-aside lines (page, place, text, why, id); each is marked where it was on its page.
    sections: the plan's sections by code; each paragraph is tagged with its section and the lines of the
    section's text it shows, so it can be quoted (with its page) or moved into another section. A
    paragraph never runs over a page, a section's edge or a set-aside line: a boundary is always a
    line of its own here, so a wrongly found one can be corrected.
    """
    aside = _aside_places(pages, set_aside or [])
    sections = sections or {}
    owners = printed_owners(pages, sections, aside)
    out: list[ViewLine] = []
    for number, text in enumerate(pages, start=1):
        out.append(ViewLine(f"page {number}", None, number, heading=True, rule=True))
        body = _page_body(text)
        measure = max((len(ln) for ln in body), default=0)
        i = 0
        while i < len(body):
            a = aside.get((number, i))
            code, row = owners.get((number, i), (None, None))
            if a is not None or code is None:
                out.append(ViewLine(body[i], None, number, aside=a.why if a else "", aside_id=a.id if a else None))
                i += 1
            elif row is None:
                if i == 0 or owners.get((number, i - 1)) != (code, None):
                    s = sections[code]
                    out.append(ViewLine(f"{code} · {SECTION_NAMES.get(code, code)} — {_squash(s.heading).strip()}",
                                        code, number, heading=True))
                i += 1
            else:
                # A run of the section's own lines, in the order of its text: joined into paragraphs.
                rows = [row]
                while i + len(rows) < len(body) and (number, i + len(rows)) not in aside \
                        and owners.get((number, i + len(rows))) == (code, rows[-1] + 1):
                    rows.append(rows[-1] + 1)
                run = body[i : i + len(rows)]
                for picked, paragraph in reflow(run, measure=measure):
                    out.append(ViewLine(paragraph, code, number, rows=tuple(rows[k] for k in picked)))
                i += len(rows)
    return out


@dataclass(frozen=True)
class Located:
    """Where a section's heading and each line of its text were printed (None: not found as a printed line)."""

    heading: tuple[Printed, ...]
    rows: list[Printed | None]


def _printed(pages: list[str], first: int, last: int) -> list[tuple[Printed, str]]:
    return [((n, i), ln) for n in range(max(first, 1), min(last, len(pages)) + 1)
            for i, ln in enumerate(_page_body(pages[n - 1]))]


def locate_section(heading: str, text: str, page_start: int, page_end: int, pages: list[str],
                   taken: set[Printed] | frozenset[Printed] = frozenset()) -> Located:
    """Find each of a section's lines on its pages: the heading (one or more printed lines), then its text.

    A section's lines are in the order they were printed, so each is looked for after the one before:
    a line the plan prints twice is matched where this section has it. The walk starts after the heading,
    or at the top of the first page when that finds more lines (a reviewer moved in lines printed before
    the heading). Places in `taken` belong to something else already.
    """
    printed = [(at, ln) for at, ln in _printed(pages, page_start, page_end) if at not in taken]
    want = _squash(heading).strip()
    head: tuple[Printed, ...] = ()
    after_head = 0
    for k, (_, ln) in enumerate(printed):
        if not want or not ln or not want.startswith(ln):
            continue
        joined, j = ln, k + 1
        while joined != want and j < len(printed) and want.startswith(f"{joined} {printed[j][1]}"):
            joined, j = f"{joined} {printed[j][1]}", j + 1
        if joined == want:
            head, after_head = tuple(at for at, _ in printed[k:j]), j
            break
    places: dict[str, list[int]] = {}
    for k, (_, ln) in enumerate(printed):
        places.setdefault(ln, []).append(k)
    goals = [_squash(line).strip() for line in text.splitlines()]

    def walk(cursor: int) -> list[Printed | None]:
        rows: list[Printed | None] = []
        for goal in goals:
            candidates = places.get(goal, []) if goal else []
            at = bisect_left(candidates, cursor)
            if at == len(candidates):
                rows.append(None)  # not printed as a line of its own here (a table cell, say)
                continue
            rows.append(printed[candidates[at]][0])
            cursor = candidates[at] + 1
        return rows

    rows = walk(after_head)
    if after_head:
        from_top = walk(0)
        if sum(r is not None for r in from_top) > sum(r is not None for r in rows):
            rows = from_top
    return Located(head, rows)


def merge_in_page_order(heading: str, text: str, page_start: int, page_end: int, pages: list[str],
                        lines: list[tuple[int, int | None, str]]) -> str:
    """A section's text with more lines, (page, place, text) each, put where they were printed among the
    section's own lines (a line whose place is not known goes before the section's lines on its page)."""
    kept = text.splitlines()
    where: list[Printed | None] = list(locate_section(heading, text, page_start, page_end, pages).rows)
    for page, place, line in sorted(lines, key=lambda item: (item[0], -1 if item[1] is None else item[1])):
        goal = (page, -1 if place is None else place)
        if all(w is None for w in where):
            at = len(kept)  # none of the section's lines found on its pages: after them
        else:
            at = 1 + max((k for k, w in enumerate(where) if w is not None and w < goal), default=-1)
        kept.insert(at, line)
        where.insert(at, goal)
    return "\n".join(kept)


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any look-for phrase at word boundaries."""
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in cleaned), re.I)
