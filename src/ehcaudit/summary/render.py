"""Render a summary as text, Markdown, CSV, HTML (self-contained, with charts) or XLSX."""

from __future__ import annotations

import csv
import html
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
    out.write(f"# EHC plan quality: {', '.join(s['cohorts'])}\n\n")
    for line in headline(s):
        out.write(f"{line}\n")
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


def _bars_svg(rows: list[tuple[str, list[int]]], labels: list[str], colours: list[str], title: str) -> str:
    """A stacked horizontal bar per row (grade distribution), as inline SVG."""
    height = 24 * len(rows) + 50
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="720" height="{height}" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (name, counts) in enumerate(rows):
        y = 10 + 24 * i
        total = sum(counts) or 1
        parts.append(f'<text x="0" y="{y + 14}">{html.escape(name[:34])}</text>')
        x = 260.0
        for count, colour in zip(counts, colours):
            w = 440.0 * count / total
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"><title>{count}</title></rect>')
            x += w
    for j, (label, colour) in enumerate(zip(labels, colours)):
        parts.append(f'<rect x="{260 + 110 * j}" y="{height - 24}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{276 + 110 * j}" y="{height - 14}">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _agreement_svg(rows: list[tuple[str, float | None]]) -> str:
    height = 22 * len(rows) + 30
    parts = [f'<svg role="img" aria-label="Agreement by criterion" width="720" height="{height}" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (name, alpha) in enumerate(rows):
        y = 6 + 22 * i
        parts.append(f'<text x="0" y="{y + 13}">{html.escape(name)}</text>')
        if alpha is None:
            parts.append(f'<text x="80" y="{y + 13}" fill="#666">not enough data</text>')
            continue
        colour = "#1a7f37" if alpha >= 0.8 else "#b58900" if alpha >= 0.667 else "#c62828"
        parts.append(f'<rect x="80" y="{y}" width="{max(0.0, alpha) * 500:.1f}" height="16" fill="{colour}"/>'
                     f'<text x="{86 + max(0.0, alpha) * 500:.1f}" y="{y + 13}">{alpha:.3f}</text>')
    parts.append(f'<line x1="{80 + 0.8 * 500}" y1="0" x2="{80 + 0.8 * 500}" y2="{height - 20}" stroke="#1a7f37" stroke-dasharray="4"/>')
    parts.append(f'<text x="{80 + 0.8 * 500 - 60}" y="{height - 6}">0.800 reliable</text></svg>')
    return "".join(parts)


GRADE_COLOURS = ["#1a7f37", "#7cc47f", "#f0b429", "#c62828", "#6a1b9a", "#37474f", "#90a4ae", "#000", "#999"]


def to_html(s: dict) -> str:
    """One self-contained page: no scripts, no network, charts as inline SVG."""
    scale = [str(x["value"]) for x in s["scale"]]
    labels = [f"{x['value']} {x['label']}" for x in s["scale"]]
    colours = GRADE_COLOURS[: len(scale)]
    q = s["quality"]
    area_rows = [(a["title"], [a["distribution"][v] for v in scale]) for a in q["areas"]]
    area_rows.insert(0, ("Overall", [q["overall"]["distribution"][v] for v in scale]))
    body = [f"<h1>EHC plan quality: {html.escape(', '.join(s['cohorts']))}</h1>"]
    body += [f"<p>{html.escape(line)}</p>" for line in headline(s)]
    body.append("<h2>Grades by area</h2>" + _bars_svg(area_rows, labels, colours, "Grade distribution by area"))
    body.append("<h2>Agreement by criterion (Krippendorff's alpha, ordinal)</h2>"
                + _agreement_svg([(c["id"], c["alpha_ordinal"]) for c in s["consistency"]["criteria"]]))
    for t in summary_tables(s):
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(x))}</td>" for x in r) + "</tr>" for r in t.rows)
        head = "".join(f"<th>{html.escape(h)}</th>" for h in t.header)
        body.append(f'<h2>{html.escape(t.title)}</h2><table id="{t.name}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
    body.append(f"<footer>Generated by ehcaudit at {html.escape(s['generated_at'])}. Rubric {html.escape(s['rubric']['title'])}.</footer>")
    style = ("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#111}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
             "th{background:#eef}footer{color:#666;font-size:.9em;margin-top:2em}")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>EHC plan quality summary</title>'
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")


def write_xlsx(s: dict, path: Path) -> None:
    """One sheet per table, plus a first sheet with the headline."""
    import xlsxwriter
    import xlsxwriter.exceptions

    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("summary")
    for i, line in enumerate(headline(s)):
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
