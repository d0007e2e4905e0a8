"""Needs, outcomes and provision side by side in one table: each cell goes to its column's section.

A header row whose cells name sections ("B: Needs | E: Outcomes | F: Provision") sets the columns;
every line below it is cut where the PDF drew its pieces and each piece joins the column it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ehcaudit.pdf.extract import squeeze
from ehcaudit.sections.clean import Line
from ehcaudit.sections.titles import concept_scores, normalise

_LETTER = re.compile(r"^\s*(?:sections?\s+|part\s+)?\(?([A-K](?:\s?[12])?)\)?\s*(?:[:.\-–—)]|$)")
# "Needs (B)", "Outcomes - Section E": the letter after the title.
_LETTER_AFTER = re.compile(r"(?:\(\s*(?:section\s+)?([A-K](?:\s?[12])?)\s*\)|\bsection\s+([A-K](?:\s?[12])?))\s*$", re.I)
_NOT_A_SECTION = re.compile(r"\b(?:area of need|by whom|who|frequency|how often|when|review|date|responsible)\b", re.I)
SAME_ROW = 2.5  # points: pieces this close in height are on one row
SLACK = 6.0  # points: a piece a little left of a column's edge is still in it


@dataclass
class ColumnSplit:
    by_code: dict[str, list[Line]] = field(default_factory=dict)
    headers: list[Line] = field(default_factory=list)  # the column header cells: headings of the columns


def column_code(cell: str) -> tuple[str | None, bool]:
    """(section code, named by its letter) for a column header cell."""
    m = _LETTER.match(cell)
    letter = m.group(1) if m else None
    after = _LETTER_AFTER.search(cell)
    if letter is None and after:
        letter = after.group(1) or after.group(2)
    if letter and letter.upper().replace(" ", "") in {"A", "B", "C", "D", "E", "F", "G", "H", "H1", "H2", "I", "J", "K"}:
        return letter.upper().replace(" ", ""), True
    if _NOT_A_SECTION.search(cell) or len(cell.split()) > 8:
        return None, False
    scores = concept_scores(normalise(cell))
    if not scores:
        return None, False
    return max(scores.items(), key=lambda kv: kv[1])[0], False


def _rows(lines: list[Line]) -> list[list[int]]:
    rows: list[list[int]] = []
    for i, ln in enumerate(lines):
        prev = lines[rows[-1][0]] if rows else None
        if prev is not None and ln.y is not None and prev.y is not None and ln.page == prev.page \
                and abs(ln.y - prev.y) <= SAME_ROW:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def _header(lines: list[Line], row: list[int], named_several: bool) -> list[tuple[float, str]] | None:
    cells: list[tuple[float, str]] = sorted(
        (x, squeeze(text)) for i in row for x, text in (lines[i].parts or ((lines[i].x, lines[i].text),))
        if x is not None and text.strip()
    )
    if len(cells) < 2:
        return None
    columns: list[tuple[float, str]] = []
    lettered = 0
    for x, text in cells:
        code, by_letter = column_code(text)
        if code is None:
            continue  # "Area of need" (goes with the first section's column), "By whom" (with the one on its left)
        lettered += by_letter
        columns.append((x, code))
    codes = [c for _, c in columns]
    if len(set(codes)) < 2 or len(set(codes)) != len(codes):
        return None
    # Inside one section ("Section F" with Needs | Outcomes | Provision columns) the table is that section's.
    if not (named_several or lettered >= 2):
        return None
    return columns


_TOPICS = (re.compile(r"\bneeds?\b", re.I), re.compile(r"\boutcomes?\b", re.I),
           re.compile(r"\b(?:provision|support|help)\b", re.I))


def names_needs_outcomes_provision(heading: str) -> bool:
    """A heading for the three together ("My needs, outcomes and provision: communication and interaction")."""
    return all(t.search(heading) for t in _TOPICS)


def split_columns(lines: list[Line], named_several: bool) -> ColumnSplit | None:
    """The lines of a needs/outcomes/provision table, per section code; None if there is no such table."""
    if not lines or all(ln.y is None for ln in lines):
        return None
    rows = _rows(lines)
    for r, row in enumerate(rows):  # noqa: B007 (r, the header row, is used after the loop)
        columns = _header(lines, row, named_several)
        if columns:
            break
    else:
        return None
    first_code = columns[0][1]
    out = ColumnSplit()
    out.by_code = {code: [] for _, code in columns}
    # What comes before the table (an introduction) belongs to the first column's section.
    for row in rows[:r]:
        out.by_code[first_code].extend(lines[i] for i in row)
    out.headers.extend(lines[i] for i in rows[r])
    for row in rows[r + 1:]:
        if _header(lines, row, True) == columns or (
            _header(lines, row, True) and [c for _, c in _header(lines, row, True) or []] == [c for _, c in columns]
        ):
            out.headers.extend(lines[i] for i in row)  # the header row printed again on the next page
            continue
        for i in row:
            ln = lines[i]
            parts = ln.parts or (((ln.x if ln.x is not None else columns[0][0]), ln.text),)
            pieces: dict[str, list[str]] = {}
            for x, text in parts:
                code = first_code
                for cx, c in columns:
                    if x + SLACK >= cx:
                        code = c
                pieces.setdefault(code, []).append(text)
            for code, texts in pieces.items():
                text = squeeze("".join(texts))
                if text:
                    out.by_code[code].append(replace(ln, text=text, parts=()))
    return out
