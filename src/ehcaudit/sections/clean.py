"""Page text -> body lines: running headers, footers, page numbers and contents pages out."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ehcaudit.pdf.extract import Style, squeeze

EDGE = 3  # how many lines at the top and bottom of a page can be running matter
PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*$", re.I)
PAGE_OF = re.compile(r"\bpage\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b", re.I)
TOC_LEADER = re.compile(r"(?:\.{3,}|…+|_{3,}|\s{3,}|\t)\s*\d{1,3}\s*$")
TOC_TRAILING_NUMBER = re.compile(r"[A-Za-z)].*\s\d{1,3}\s*$")
CONTENTS_TITLES = {"contents", "table of contents", "contents page", "index", "plan contents"}
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    text: str
    toc: bool = False  # an entry (or the title) of a contents list
    style: Style | None = None  # how it was printed, when the PDF said


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


def _styler(looks: list[tuple[str, Style]]):
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


def clean_pages(pages: list[str], styles: list[list[tuple[str, Style]]] | None = None) -> list[Line]:
    """Every body line of the document in order, tagged with its page (and its look, given the styles)."""
    # Justified text comes out with runs of spaces; one space reads better and matches the same.
    split = [[squeeze(ln) for ln in page.splitlines() if ln.strip()] for page in pages]
    contents_pages = [_is_contents_page(lines) for lines in split]
    # A contents page repeats the headings that open the body pages: it must not make them look running.
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
    } if body_pages > 1 else set()

    out: list[Line] = []
    for page_number, (lines, contents) in enumerate(zip(split, contents_pages), start=1):
        style_of = _styler(styles[page_number - 1] if styles and page_number <= len(styles) else [])
        last_toc = -1
        if contents:
            for i, ln in enumerate(lines):
                if TOC_LEADER.search(ln) or TOC_TRAILING_NUMBER.search(ln) or _shape(ln).strip(" :") in CONTENTS_TITLES:
                    last_toc = i
        n = len(lines)
        for i, ln in enumerate(lines):
            style = style_of(ln)
            at_edge = i < EDGE or i >= n - EDGE
            if at_edge and (
                _shape(ln) in running or PAGE_NUMBER.match(ln) or (PAGE_OF.search(ln) and len(ln.split()) <= 12)
            ):
                continue
            toc = (contents and i <= last_toc) or bool(TOC_LEADER.search(ln) and len(ln) < 160)
            out.append(Line(page_number, ln, toc, style))
    return out
