"""What the reviewer reads: a plan's sections as lines, each with its page (no terminal code)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehcaudit.sections.codes import SECTION_NAMES


@dataclass(frozen=True)
class ViewLine:
    text: str
    section: str | None
    page: int | None
    heading: bool = False


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
                  pages: list[str], source: str = "found") -> list[ViewLine]:
    """A section as display lines, each tagged with the page it was printed on."""
    name = SECTION_NAMES.get(code, code)
    where = f"p{page_start}" if page_start == page_end else f"p{page_start}-{page_end}"
    mark = ", corrected" if source == "corrected" else ""
    out = [ViewLine(f"{code} · {name} ({where}{mark}) — {heading}", code, page_start, heading=True)]
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


def page_lines(pages: list[str]) -> list[ViewLine]:
    """The whole plan, page by page, line by line (for search and section correction)."""
    out: list[ViewLine] = []
    for number, text in enumerate(pages, start=1):
        out.append(ViewLine(f"Page {number}", None, number, heading=True))
        # Raw printed lines here, not paragraphs: correcting a boundary needs the exact line.
        out.extend(ViewLine(_squash(ln).strip(), None, number) for ln in text.splitlines() if ln.strip())
    return out


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any look-for phrase at word boundaries."""
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in cleaned), re.I)
