"""Page text -> body lines, and the page furniture set aside (running headers, footers, page numbers, watermarks).

Furniture is told by what makes it furniture: where it sits on the page (a top or bottom band)
and that it sits there page after page, or a page-number pattern, or text drawn at an angle.
A short line that repeats in the body ("None identified.") is body text wherever it is.
Nothing is dropped: every line is either a body line or a SetAside with the reason.
"""

from __future__ import annotations

from typing import Any

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ehcaudit.pdf.extract import PageGeometry, PrintedLine, Style, squeeze
from ehcaudit.sections.model import states_none

EDGE = 3  # without positions: how many lines at the top and bottom of a page can be running matter
BAND = 0.1  # with positions: the top and bottom tenth of the page is where running matter sits
PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$", re.I)
PAGE_OF = re.compile(r"\bpage\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b", re.I)
TOC_LEADER = re.compile(r"(?:\.{3,}|…+|_{3,}|\s{3,}|\t)\s*\d{1,3}\s*$")
TOC_TRAILING_NUMBER = re.compile(r"[A-Za-z)].*\s\d{1,3}\s*$")
CONTENTS_TITLES = {"contents", "table of contents", "contents page", "index", "plan contents"}
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]{2,}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    text: str
    toc: bool = False  # an entry (or the title) of a contents list
    style: Style | None = None  # how it was printed, when the PDF said
    x: float | None = None  # left edge in points, when the PDF said
    y: float | None = None  # baseline in points from the top of the page
    parts: tuple[tuple[float, str], ...] = ()  # pieces drawn at different x on the line (table cells)
    edge: str = ""  # "top" or "bottom": printed in the band where running headers and footers sit
    place: int = 0  # its place among the page's non-blank lines, from 0


@dataclass(frozen=True)
class SetAside:
    page: int
    text: str
    why: str
    place: int | None = None  # its place among the page's non-blank lines, from 0, when known

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "text": self.text, "why": self.why}


@dataclass
class CleanPages:
    lines: list[Line] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)


def _shape(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.lower())).strip()


TOC_NUMBERED_ENTRY = re.compile(r"^(?:section|part|\d{1,2}[.)]?)\s.*\s\d{1,3}\s*$", re.I)


def _is_contents_page(lines: list[str]) -> bool:
    if any(_shape(line).strip(" :") in CONTENTS_TITLES for line in lines[: EDGE + 3]):
        return True
    if sum(1 for line in lines if TOC_LEADER.search(line)) >= 3:
        return True
    # A contents table with no title or leaders: "Section A All about me 3", line after line.
    return sum(1 for line in lines if TOC_NUMBERED_ENTRY.match(line)) >= 4


def _styler(looks: list[tuple[str, Style]]) -> Callable[[str], Style | None]:
    """Look up each line's style in page order (the same words can be a heading and a body line)."""
    at = 0

    def style_of(text: str) -> Style | None:
        nonlocal at
        for k in range(at, min(at + 4, len(looks))):
            if looks[k][0] == text:
                at = k + 1
                return looks[k][1]
        return None

    return style_of


def _alike(a: str, b: str) -> bool:
    """Two running lines that say the same, page numbers and the section named aside."""
    if a == b:
        return True
    # "EHC plan - Section B ..." / "EHC plan - Section C ...": a header naming the section. Three words
    # in common at the start, not "Part # - ..." or "Section B: ..." (headings at the top of their pages).
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    common = 0
    for x, y in zip(wa, wb):
        if x != y:
            break
        common += 1
    return common >= 3


def _page_number_why(text: str) -> str | None:
    if PAGE_NUMBER.match(text):
        return "page number"
    if PAGE_OF.search(text) and len(text.split()) <= 12:
        return "page number"
    return None


def _furniture_by_place(printed: list[list[PrintedLine]], geometry: list[PageGeometry | None],
                        body_style: Style | None) -> dict[tuple[int, int], str]:
    """(page index, line index) -> why, for lines that sit in a page's top or bottom band page after page."""
    why: dict[tuple[int, int], str] = {}
    banded: list[tuple[int, int, str, float, str]] = []  # page, line, band, y, shape
    placed: Counter[tuple[str, int, int]] = Counter()
    pages_with_text = sum(1 for p in printed if p)
    for p, (lines, box) in enumerate(zip(printed, geometry)):
        if not lines or box is None or box.height <= 0:
            continue
        for i, ln in enumerate(lines):
            if ln.rotated:
                why[p, i] = "watermark"
                continue
            if ln.y is None:
                continue
            band = "top" if ln.y < BAND * box.height else "bottom" if ln.y > (1 - BAND) * box.height else ""
            if band:
                number = _page_number_why(ln.text)
                if number:
                    why[p, i] = number
                    continue
                banded.append((p, i, band, ln.y, _shape(ln.text)))
            elif ln.x is not None and len(ln.text.split()) <= 4 and ln.style != body_style and not states_none(ln.text):
                placed[_shape(ln.text), round(ln.y / 4), round(ln.x / 4)] += 1
    styles_at = {(p, i): printed[p][i].style for p, i, *_ in banded}
    threshold = max(2, math.ceil(0.5 * pages_with_text))
    # Text that only nearly repeats (a header naming the section) must be on more pages to count.
    alike_threshold = max(3, math.ceil(0.7 * pages_with_text))
    for p, i, band, y, shape in banded:
        # The same (or nearly the same) text at the same height on most pages.
        here = [(q, s2) for q, _, b, y2, s2 in banded if b == band and abs(y2 - y) <= 3]
        same = {q for q, s2 in here if s2 == shape}
        alike = {q for q, s2 in here if _alike(shape, s2)}
        if states_none(shape) and len(same) < pages_with_text:
            continue
        # Printed smaller than the body, at the same height on every page: a header or footer, whatever it says.
        look = styles_at.get((p, i))
        small = look is not None and body_style is not None and look[0] < body_style[0]
        everywhere = small and len({q for q, j, b, y2, _s in banded if b == band and abs(y2 - y) <= 1.5
                                    and styles_at.get((q, j)) == look}) >= max(2, math.ceil(0.8 * pages_with_text))
        if len(same) >= threshold or len(alike) >= alike_threshold or everywhere:
            why[p, i] = "running header" if band == "top" else "running footer"
    # The same short word drawn at the same place on most pages, away from the bands ("DRAFT").
    for p, lines in enumerate(printed):
        for i, ln in enumerate(lines):
            if (p, i) not in why and ln.y is not None and ln.x is not None and \
                    placed[_shape(ln.text), round(ln.y / 4), round(ln.x / 4)] >= max(3, threshold):
                why[p, i] = "watermark"
    return why


def _furniture_by_text(split: list[list[str]], contents_pages: list[bool]) -> dict[tuple[int, int], str]:
    """Without positions: lines in the first or last few of most pages that read alike, and page numbers."""
    edge_counts: Counter[str] = Counter()
    for lines, is_contents in zip(split, contents_pages):
        if not is_contents:
            edge_counts.update({_shape(ln) for ln in lines[:EDGE] + lines[-EDGE:]})
    body_pages = len(split) - sum(contents_pages)
    threshold = max(2, math.ceil(0.5 * body_pages))
    # A long sentence that happens to end two pages is body text; a long footer is on (nearly) every page.
    long_threshold = min(body_pages, max(3, threshold))
    running = {
        shape for shape, count in edge_counts.items()
        if count >= (threshold if len(shape.split()) <= 8 else long_threshold)
        and not (states_none(shape) and count < body_pages)
    } if body_pages > 1 else set()
    why: dict[tuple[int, int], str] = {}
    for p, lines in enumerate(split):
        n = len(lines)
        for i, ln in enumerate(lines):
            if not (i < EDGE or i >= n - EDGE):
                continue
            number = _page_number_why(ln)
            if number:
                why[p, i] = number
            elif _shape(ln) in running:
                why[p, i] = "running header" if i < EDGE else "running footer"
    return why


def clean_pages(pages: list[str], styles: list[list[tuple[str, Style]]] | None = None,
                printed: list[list[PrintedLine]] | None = None,
                geometry: list[PageGeometry | None] | None = None) -> CleanPages:
    """Every body line of the document in order, tagged with its page (and its look and place, when known),
    and every line set aside as page furniture, with the reason."""
    # Justified text comes out with runs of spaces; one space reads better and matches the same.
    split = [[squeeze(ln) for ln in page.splitlines() if ln.strip()] for page in pages]
    contents_pages = [_is_contents_page(lines) for lines in split]
    placed = [
        printed[p] if printed and p < len(printed) and [ln.text for ln in printed[p]] == split[p] else []
        for p in range(len(split))
    ]
    body: Counter[Style] = Counter()
    for page_lines in placed:
        for printed_line in page_lines:
            if printed_line.style and printed_line.text.endswith((".", ";")):
                body[printed_line.style] += len(printed_line.text)
    body_style = body.most_common(1)[0][0] if body else None
    if any(placed) and geometry:
        boxes = [geometry[p] if p < len(geometry) else None for p in range(len(split))]
        furniture = _furniture_by_place(placed, boxes, body_style)
        # Pages pypdf could not place fall back on the text alone.
        unplaced = [lines if not placed[p] else [] for p, lines in enumerate(split)]
        if any(unplaced):
            furniture.update(_furniture_by_text(unplaced, contents_pages))
    else:
        furniture = _furniture_by_text(split, contents_pages)

    out = CleanPages()
    for p, (lines, contents) in enumerate(zip(split, contents_pages)):
        page_number = p + 1
        style_of = _styler(styles[p] if styles and p < len(styles) else [])
        last_toc = -1
        if contents:
            for i, ln in enumerate(lines):
                if TOC_LEADER.search(ln) or TOC_TRAILING_NUMBER.search(ln) or _shape(ln).strip(" :") in CONTENTS_TITLES:
                    last_toc = i
        for i, ln in enumerate(lines):
            where = placed[p][i] if placed[p] else None
            style = where.style if where else style_of(ln)
            if (p, i) in furniture:
                out.set_aside.append(SetAside(page_number, ln, furniture[p, i], i))
                continue
            toc = (contents and i <= last_toc) or bool(TOC_LEADER.search(ln) and len(ln) < 160)
            box = geometry[p] if geometry and p < len(geometry) else None
            edge = ""
            if where and where.y is not None and box is not None:
                edge = "top" if where.y < BAND * box.height else "bottom" if where.y > (1 - BAND) * box.height else ""
            out.lines.append(Line(page_number, ln, toc, style,
                                  where.x if where else None, where.y if where else None,
                                  where.parts if where else (), edge, i))
    return out
