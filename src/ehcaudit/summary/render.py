"""Render a summary as text, Markdown, CSV, HTML (self-contained, with charts) or XLSX."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

from ehcaudit.errors import EhcauditError
from ehcaudit.output.files import replacing
from ehcaudit.output.safe import cell, json_dumps, md_text, one_line, printable
from ehcaudit.summary.shape import Summary
from ehcaudit.summary.tables import Cell, headline, summary_tables

def to_json(s: Summary) -> str:
    return json_dumps(s) + "\n"


def _cell(v: Cell) -> str:
    return "" if v is None else str(v)


def to_text(s: Summary) -> str:
    out = io.StringIO()
    for line in headline(s):
        out.write(printable(line) + "\n")
    for t in summary_tables(s):
        out.write(f"\n{one_line(t.title)}\n")
        t.rows = [[one_line(x) if isinstance(x, str) else x for x in r] for r in t.rows]
        widths = [max(len(_cell(x)) for x in [h] + [r[i] for r in t.rows]) for i, h in enumerate(t.header)]
        out.write("  ".join(h.ljust(w) for h, w in zip(t.header, widths)).rstrip() + "\n")
        for r in t.rows:
            out.write("  ".join(_cell(x).ljust(w) for x, w in zip(r, widths)).rstrip() + "\n")
    return out.getvalue()


def to_markdown(s: Summary) -> str:
    out = io.StringIO()
    from ehcaudit.summary.findings import few_plans_note, findings

    out.write(f"# EHC plan quality: {md_text(', '.join(s['cohorts']) or 'all cohorts')}\n\n## Findings\n\n")
    for paragraph in findings(s):
        out.write(f"{md_text(paragraph)}\n\n")
    for t in summary_tables(s):
        out.write(f"\n## {md_text(t.title)}\n\n| {' | '.join(md_text(h) for h in t.header)} |\n|{'---|' * len(t.header)}\n")
        for r in t.rows:
            out.write("| " + " | ".join(md_text(_cell(x)) for x in r) + " |\n")
        note = few_plans_note(t, s["quality"]["overall"]["n"])
        if note:
            out.write(f"\n{md_text(note)}\n")
    return out.getvalue()


def to_csv(s: Summary) -> str:
    """Long format: one row per table cell, so every table fits one file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for t in summary_tables(s):
        for r in t.rows:
            for h, v in zip(t.header[1:], r[1:]):
                writer.writerow([cell(t.name), cell(_cell(r[0])), cell(h), cell(_cell(v))])
    return out.getvalue()


def table_names(s: Summary) -> list[str]:
    """The names --table accepts, one per summary table."""
    return [t.name for t in summary_tables(s)]


def table_csv(s: Summary, name: str) -> str:
    """One table as a tidy CSV: its header, then its rows (for a spreadsheet)."""
    tables = {t.name: t for t in summary_tables(s)}
    if name not in tables:
        raise EhcauditError(f"no summary table '{name}'; the tables are: {', '.join(tables)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    t = tables[name]
    writer.writerow([h or "" for h in t.header])
    for r in t.rows:
        writer.writerow([_csv_cell(x) for x in r])
    return out.getvalue()


def _csv_cell(v: Cell) -> str:
    # A cell a spreadsheet would run as a formula is quoted as text.
    text = _cell(v)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_html(s: Summary) -> str:
    """One self-contained page: no scripts, no network; findings, charts and tables (see board_paper)."""
    from ehcaudit.summary.board_paper import to_html as board_paper_html

    return board_paper_html(s)


def _write_cell(ws: Any, row: int, col: int, value: object, fmt: Any = None) -> None:  # xlsxwriter has no types
    # Never ws.write(): it turns text starting with "=" into a live formula.
    value = cell(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        ws.write_number(row, col, value, fmt)
    elif value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


# Columns of long text are wide and wrap, so a question or an area name is never cut at the cell edge.
_XLSX_WIDTHS = {"Question": (60, True), "Area": (26, True), "Reading": (24, True), "Criteria by the rule": (40, True),
                "Hint": (34, True), "Phrase": (26, True), "95% interval": (16, False)}


def write_xlsx(s: Summary, path: Path) -> None:
    """One sheet per table, plus a first sheet with the headline; every text cell is a plain string."""
    import xlsxwriter
    import xlsxwriter.exceptions

    with replacing(path) as tmp:
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        book = xlsxwriter.Workbook(str(tmp), options)
        bold = book.add_format({"bold": True})
        from ehcaudit.summary.board_paper import findings

        sheet = book.add_worksheet("summary")
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        sheet.set_column(0, 0, 110, wrap)
        for i, line in enumerate(findings(s)):
            _write_cell(sheet, i, 0, line)
        for t in summary_tables(s):
            ws = book.add_worksheet(t.name[:31])
            _write_cell(ws, 0, 0, t.title, bold)
            for j, h in enumerate(t.header):
                _write_cell(ws, 2, j, h, bold)
            for i, r in enumerate(t.rows, start=3):
                for j, v in enumerate(r):
                    _write_cell(ws, i, j, v)
            for j, h in enumerate(t.header):
                width, wrapped = _XLSX_WIDTHS.get(h, (34, True) if j == 0 else (max(9, len(h) + 2), False))
                ws.set_column(j, j, width, wrap if wrapped else None)
            ws.freeze_panes(3, 1)
        try:
            book.close()
        except xlsxwriter.exceptions.FileCreateError as exc:  # it wraps the OSError that callers handle
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise cause from None


def render(s: Summary, fmt: str) -> str:
    return {"table": to_text, "json": to_json, "csv": to_csv, "md": to_markdown, "html": to_html}[fmt](s)
