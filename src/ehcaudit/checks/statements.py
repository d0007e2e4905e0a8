"""Section text -> statements (bullets, table cells, sentences), and the page each is printed on."""

from __future__ import annotations

import re
from functools import lru_cache

from ehcaudit.checks.model import Statement

BULLET = re.compile(r"^\s*(?:[•●◦▪▫■□‣⁃∙·*o]\s+|[-–—]\s+|\(?\d{1,2}[.)]\s+|\(?[a-hA-H][.)]\s+)")
ENDS_SENTENCE = re.compile(r"""[.!?]['"’”)\]]*$""")
# A possible sentence end: . ! ? (and closing quotes) then a space and a capital or digit.
SENTENCE_END = re.compile(r"""[.!?]['"’”)]*\s+(?=["'‘“(\[]?[A-Z0-9])""")
# Words after which a full stop does not end the sentence (checked on the word before the stop).
NOT_AN_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|St|no|approx)|\b[A-Z])$")
REVIEW_CELL = re.compile(r"^(to be )?review|^(half[- ]?termly|termly|annual|weekly|daily)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
WORD = re.compile(r"[A-Za-z]+")


def squeeze(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _is_heading_line(line: str) -> bool:
    """A short line without sentence punctuation, mostly capitalised words: a sub-heading or a column header."""
    words = line.split()
    if not words or len(words) > 9 or ENDS_SENTENCE.search(line) or line.rstrip().endswith(","):
        return False
    return line[0].isupper() or line[0].isdigit()


def blocks(text: str) -> list[tuple[str, str, bool]]:
    """(block text, sub-heading above it, is a bullet) for each bullet, cell or paragraph, wrapped lines joined."""
    lines = [squeeze(ln) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return []
    width = max(len(ln) for ln in lines)
    full = max(40, int(width * 0.72))
    out: list[tuple[str, str, bool]] = []
    current: list[str] = []
    heading = ""
    is_bullet = False
    prev = ""

    def flush() -> None:
        nonlocal current, is_bullet, heading
        if current:
            text = " ".join(current)
            if not is_bullet and _is_heading_line(text) and not REVIEW_CELL.match(text):
                heading = text
            out.append((text, heading, is_bullet))
        current = []
        is_bullet = False

    for line in lines:
        bullet = BULLET.match(line)
        if bullet:
            flush()
            current = [line[bullet.end():].strip()]
            is_bullet = True
        elif not current:
            current = [line]
        elif ENDS_SENTENCE.search(prev) or prev.endswith(":"):
            if line[0].islower() and not prev.endswith(":"):
                current.append(line)
            else:
                flush()
                current = [line]
        elif line[0].islower() or line[0] in "(&%+/–-" or prev.endswith((",", "-", "–", "/", "&", "and", "or", "of", "the", "to", "a", "with", "for", "by", "in")) or len(prev) >= full:
            current.append(line)
        else:
            flush()
            current = [line]
        prev = line
    flush()
    return out


def sentences(block: str) -> list[str]:
    """A block split into sentences (a bullet or cell of one sentence comes back whole)."""
    out: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(block):
        if block[m.start()] == "." and NOT_AN_END.search(block[start : m.start()]):
            continue
        piece = block[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = block[start:].strip()
    if tail:
        out.append(tail)
    return out


# A table's header row: two or more column names on one line ("Provision By whom How often").
COLUMN = re.compile(r"\b(provision|support|by whom|who|provider|delivered by|frequency|how often|how long|duration|ratio|staffing|outcomes?|review|area|need)\b", re.IGNORECASE)
TINY_CELL_WORDS = 4


def _is_table(text: str) -> bool:
    return any(len({m.lower() for m in COLUMN.findall(line)}) >= 2 and len(line.split()) <= 10 for line in text.splitlines())


def statements(section: str, text: str, *, split_sentences: bool = True) -> list[Statement]:
    """Every statement of a section: each bullet or cell, and each sentence of a paragraph.

    In a table, the short cells after a provision cell ("SENCo", "As needed") are the same row's
    'by whom' and 'how often': they join the statement before them.
    """
    from ehcaudit.checks.lexicon import area_patterns

    table = _is_table(text)
    out: list[Statement] = []
    for block, heading, bullet in blocks(text):
        if table and out and len(WORD.findall(block)) <= TINY_CELL_WORDS and not re.match(r"(to be )?review", block, re.IGNORECASE) \
                and not COLUMN.fullmatch(block.strip()) and not any(h.search(block) for h, _w in area_patterns().values()):
            last = out[-1]
            out[-1] = Statement(section=last.section, text=f"{last.text} {block}", heading=last.heading, bullet=last.bullet)
            continue
        if _is_heading_line(block):
            continue
        pieces = [block] if bullet or not split_sentences else sentences(block)
        for piece in pieces:
            if len(WORD.findall(piece)) >= 2:
                out.append(Statement(section=section, text=piece, heading=heading, bullet=bullet))
    return out


@lru_cache(maxsize=8)
def _squeezed(pages: tuple[str, ...]) -> list[str]:
    return [squeeze(p) for p in pages]


def page_of(quote: str, pages: list[str], first: int = 1, last: int | None = None) -> int:
    """The page (1-based) the quote starts on, looked for between first and last; first if not found."""
    last = last or len(pages)
    probe = squeeze(quote)
    pages = _squeezed(tuple(pages))
    for n in range(max(1, first), min(len(pages), last) + 1):
        if probe[:60] and probe[:60] in pages[n - 1]:
            return n
    # The quote may wrap onto the next page: look for its first few words.
    head = " ".join(probe.split()[:6])
    for n in range(max(1, first), min(len(pages), last) + 1):
        if head and head in pages[n - 1]:
            return n
    return max(1, first)
