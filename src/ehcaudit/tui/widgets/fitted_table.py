"""Summary tables that fit the terminal: short whole-word headers, numbers never split, words never cut.

When a table's columns do not all fit, the most telling ones are shown first and the rest are one key away
(the summary screen's `w`): each page repeats the row's name, so every figure stays in a column under its header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ehcaudit.output.safe import one_line
from ehcaudit.summary.tables import Cell, SummaryTable, number_text

# Header -> (what the terminal shows, rank). Rank 1 is shown first; higher ranks move to the next page first.
# Headers wrap between words, so each is whole words: "N/A vs grade" reads as "N/A vs / grade" in a narrow column.
COLUMNS: dict[str, tuple[str, int]] = {
    "Plans": ("Plans", 3),
    "Pairs": ("Pairs", 2),
    "% exact": ("Exact %", 1),
    "% adjacent": ("Adjacent %", 1),
    "N/A against a grade": ("N/A vs grade", 4),
    "Alpha (ordinal)": ("Alpha", 1),
    "95% interval": ("95% interval", 2),
    "n values": ("Values", 4),
    "Reading": ("Reading", 1),
    "% Good or better": ("% Good+", 1),
    "Mean": ("Mean", 1),
    "N/A": ("N/A", 2),
    "Audits": ("Audits", 2),
    "Grades": ("Grades", 3),
    "Mean grade": ("Mean grade", 1),
    "vs moderated: n": ("n vs moderated", 2),
    "vs moderated: mean diff": ("Diff vs moderated", 1),
    "vs others: n": ("n vs others", 2),
    "vs others: mean diff": ("Diff vs others", 1),
}
NAME_ROOM = 20  # cells the name column keeps before other columns are fitted: a wrapped name costs a line per row
BOX = 3  # cells a column costs in a boxed table besides its text: a rule and a space either side
_NUMBER = re.compile(r"^[-+]?\d[\d.,]*%?( to [-+]?\d[\d.,]*)?$")  # 2.5, -0.034, 12%, "0.121 to 0.581"


@dataclass(frozen=True)
class Column:
    index: int  # in the SummaryTable's header
    header: str  # as shown
    rank: int
    number: bool  # never wrapped
    width: int  # the fewest cells it can take without splitting a word or number
    natural: int  # the cells it takes with its header and every cell on one line


def _text(cell: Cell, header: str = "") -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return number_text(header, cell)  # as the board paper writes it: one number of decimals down a column
    return "" if cell is None else one_line(cell)


def _cells(t: SummaryTable, i: int) -> list[str]:
    """Column `i`'s texts; a criterion's name reads with its question after the code, as the board paper shows it."""
    head = t.header[i]
    if i == 0 and "Question" in t.header:
        q = t.header.index("Question")
        return [" ".join(x for x in (_text(r[0], head), _text(r[q])) if x) for r in t.rows]
    return [_text(r[i], head) for r in t.rows]


def _longest_word(texts: list[str]) -> int:
    return max((len(w) for t in texts for w in t.split()), default=0)


def columns(t: SummaryTable, drop: tuple[str, ...] = ("Question", "Area")) -> list[Column]:
    """The columns the terminal shows, each with its narrowest whole-word width."""
    out = []
    for i, head in enumerate(t.header):
        if i and head in drop:
            continue
        # A grade column is headed by its digit; the grade key above the tables says what each digit means.
        short, rank = COLUMNS.get(head) or ((head.split(" ", 1)[0], 1) if head[:1].isdigit() else (head, 2))
        cells = _cells(t, i)
        number = bool(i) and all(isinstance(r[i], int | float) or not _text(r[i]) or _NUMBER.match(_text(r[i]))
                                 for r in t.rows)
        longest = max((len(c) for c in cells), default=0)
        width = max(_longest_word([short]), longest if number else _longest_word(cells), 1)
        out.append(Column(i, one_line(short), 0 if i == 0 else rank, number, width, max(len(short), longest, 1)))
    return out


def pages(cols: list[Column], width: int) -> list[list[Column]]:
    """Split the columns into pages that each fit `width`: the name column on every page, the rest by rank."""
    name, rest = cols[0], cols[1:]
    out: list[list[Column]] = []
    while rest:
        used = 1 + BOX + min(name.natural, max(name.width, NAME_ROOM))
        page: list[Column] = []
        for c in sorted(rest, key=lambda c: (c.rank, c.index)):
            if used + BOX + c.width <= width or not page:  # a page always takes one column, even an over-wide one
                page.append(c)
                used += BOX + c.width
        out.append(sorted(page, key=lambda c: c.index))
        rest = [c for c in rest if c not in page]
    return [[name, *p] for p in out] or [[name]]


def widths(shown: list[Column], width: int) -> list[int]:
    """Each column's cells: its narrowest, then as much more (up to one line per header and cell) as the width allows,
    the name column first (a wrapped name costs a line on every row, a wrapped header one line), then by rank."""
    out = [c.width for c in shown]
    spare = width - 1 - sum(BOX + w for w in out)
    for i in sorted(range(len(shown)), key=lambda i: (shown[i].rank, shown[i].index)):
        grow = max(0, min(spare, shown[i].natural - out[i]))
        out[i] += grow
        spare -= grow
    return out


def fitted_table(t: SummaryTable, width: int, page: int = 0) -> tuple[RenderableType, int]:
    """The table for `width` columns, showing page `page` (wrapping round) of its columns; and how many pages it has."""
    split = pages(columns(t), width)
    shown = split[page % len(split)]
    cells = widths(shown, width)
    # The title above the table, not in it: a table narrower than its title would wrap it.
    title = Text(one_line(t.title), style="bold")
    table = Table(header_style="bold", expand=False)
    for c, w in zip(shown, cells):
        # Fixed widths, worked out above: left to itself a table squeezes a column until its words break.
        table.add_column(Text(c.header, no_wrap=False), justify="right" if c.number else "left", no_wrap=c.number, width=w, overflow="fold")
    texts = [_cells(t, c.index) for c in shown]
    for row in zip(*texts):
        table.add_row(*[Text(x) for x in row])
    if len(split) == 1:
        return Group(title, table), 1
    others = [c.header for p in split if p is not shown for c in p[1:]]
    hint = Text(f"figures {page % len(split) + 1} of {len(split)} · w shows {', '.join(others)}", style="dim")
    return Group(title, table, hint), len(split)
