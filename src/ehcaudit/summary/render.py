"""Render a summary as text, Markdown, CSV, HTML (self-contained, with charts) or XLSX."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ehcaudit.errors import EhcauditError
from ehcaudit.summary.tables import headline, summary_tables

FORMATS = ("table", "json", "csv", "md", "html", "xlsx")


def to_json(s: dict) -> str:
    return json.dumps(s, indent=2, ensure_ascii=False) + "\n"


def _cell(v) -> str:
    return "" if v is None else str(v)


def to_text(s: dict) -> str:
    out = io.StringIO()
    for line in headline(s):
        out.write(line + "\n")
    for t in summary_tables(s):
        out.write(f"\n{t.title}\n")
        widths = [max(len(_cell(x)) for x in [h] + [r[i] for r in t.rows]) for i, h in enumerate(t.header)]
        out.write("  ".join(h.ljust(w) for h, w in zip(t.header, widths)).rstrip() + "\n")
        for r in t.rows:
            out.write("  ".join(_cell(x).ljust(w) for x, w in zip(r, widths)).rstrip() + "\n")
    return out.getvalue()


def to_markdown(s: dict) -> str:
    out = io.StringIO()
    from ehcaudit.summary.board_paper import findings

    out.write(f"# EHC plan quality: {', '.join(s['cohorts'])}\n\n## Findings\n\n")
    for paragraph in findings(s):
        out.write(f"{paragraph}\n\n")
    for t in summary_tables(s):
        out.write(f"\n## {t.title}\n\n| {' | '.join(t.header)} |\n|{'---|' * len(t.header)}\n")
        for r in t.rows:
            out.write("| " + " | ".join(_cell(x).replace("|", "\\|") for x in r) + " |\n")
    return out.getvalue()


def to_csv(s: dict) -> str:
    """Long format: one row per table cell, so every table fits one file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for t in summary_tables(s):
        for r in t.rows:
            for h, v in zip(t.header[1:], r[1:]):
                writer.writerow([t.name, r[0], h, _cell(v)])
    return out.getvalue()


def table_names(s: dict) -> list[str]:
    """The names --table accepts, one per summary table."""
    return [t.name for t in summary_tables(s)]


def table_csv(s: dict, name: str) -> str:
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


def _csv_cell(v) -> str:
    # A cell a spreadsheet would run as a formula is quoted as text.
    text = _cell(v)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_html(s: dict) -> str:
    """One self-contained page: no scripts, no network; findings, charts and tables (see board_paper)."""
    from ehcaudit.summary.board_paper import to_html as board_paper_html

    return board_paper_html(s)


def write_xlsx(s: dict, path: Path) -> None:
    """One sheet per table, plus a first sheet with the headline."""
    import xlsxwriter
    import xlsxwriter.exceptions

    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    from ehcaudit.summary.board_paper import findings

    sheet = book.add_worksheet("summary")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 110, wrap)
    for i, line in enumerate(findings(s)):
        sheet.write(i, 0, line)
    for t in summary_tables(s):
        ws = book.add_worksheet(t.name[:31])
        ws.write(0, 0, t.title, bold)
        ws.write_row(2, 0, t.header, bold)
        for i, r in enumerate(t.rows, start=3):
            ws.write_row(i, 0, ["" if v is None else v for v in r])
        ws.set_column(0, 0, 34)
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # it wraps the OSError that callers handle
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise cause from None


def render(s: dict, fmt: str) -> str:
    return {"table": to_text, "json": to_json, "csv": to_csv, "md": to_markdown, "html": to_html}[fmt](s)
