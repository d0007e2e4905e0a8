"""The board paper: findings in plain English, then charts and tables a manager can hand in unedited.

HTML only (no scripts, no network); charts are HTML and CSS so labels wrap rather than overlap or cut,
and a print stylesheet (board_paper.css) lays it out on A4.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources

from ehcaudit.output.safe import html_text
from ehcaudit.output.words import plural
from ehcaudit.summary.agreement import TOO_FEW
from ehcaudit.summary.findings import SMALL_SAMPLE, few_plans_note, findings, listed, small_sample_warning
from ehcaudit.summary.shape import ScaleEntry, Summary, TrendRow
from ehcaudit.summary.tables import Cell, SummaryTable, summary_tables

__all__ = ["SMALL_SAMPLE", "findings", "grade_fills", "small_sample_warning", "to_html"]

# Fills from the best grade to the worst: far enough apart in lightness (CIE L* about 22, 47, 64, 84)
# to tell apart when printed in greyscale, the worst hatched as well, and every wide enough segment
# carries its count.
DARK_GREEN, GREEN, AMBER, RED, GREY = "#0d3d14", "#4caf50", "#ffca28", "#d32f2f", "#9e9e9e"
_FILLS = {1: [GREEN], 2: [GREEN, RED], 3: [DARK_GREEN, AMBER, RED], 4: [DARK_GREEN, GREEN, AMBER, RED]}


def grade_fills(k: int) -> list[tuple[str, bool]]:
    """(colour, hatched) for each of k grades, best first; the worst is always red and hatched."""
    colours = _FILLS.get(k) or [[DARK_GREEN, GREEN, AMBER][min(i, 2)] for i in range(k - 1)] + [RED]
    return [(c, i == k - 1 or (k > 4 and i >= 3)) for i, c in enumerate(colours)]


def lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white) of a #rrggbb colour: roughly the grey it prints as."""
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def _e(text: object) -> str:
    return html_text("" if text is None else text)


def _fill(colour: str, hatched: bool) -> tuple[str, str]:
    """(style, class) for a filled segment or swatch."""
    return f"background-color:{colour}", ("dark" if lightness(colour) < 55 else "light") + (" hatch" if hatched else "")


@lru_cache(maxsize=1)
def _style() -> str:
    return resources.files("ehcaudit.summary").joinpath("board_paper.css").read_text(encoding="utf-8")


def _scale(scale: list[ScaleEntry]) -> list[ScaleEntry]:
    return sorted(scale, key=lambda x: -x["value"])  # best first, as the legend reads


def _legend(scale: list[ScaleEntry]) -> str:
    items = []
    for x, (colour, hatched) in zip(_scale(scale), grade_fills(len(scale))):
        style, cls = _fill(colour, hatched)
        items.append(f'<li><span class="swatch {cls}" style="{style}"></span>{_e(x["value"])} {_e(x["label"])}</li>')
    return f'<ul class="legend" aria-label="Key">{"".join(items)}</ul>'


def _label_fits(width_pct: float, count: int) -> bool:
    # A count is written in its segment only where it fits (the bar is at least ~320 px wide, on A4 too).
    return width_pct >= 2.5 + 1.6 * len(str(count))


def _bars(rows: list[tuple[str, dict[str, int], int]], scale: list[ScaleEntry], caption: str) -> str:
    """A stacked bar per row; the label is a table cell, so it wraps and is never cut."""
    ordered = _scale(scale)
    fills = grade_fills(len(ordered))
    body = []
    for name, dist, n in rows:
        total = sum(dist.get(str(x["value"]), 0) for x in ordered)
        cells = []
        for x, (colour, hatched) in zip(ordered, fills):
            count = dist.get(str(x["value"]), 0)
            if count:
                width = 100.0 * count / total
                style, cls = _fill(colour, hatched)
                label = str(count) if _label_fits(width, count) else ""
                cells.append(f'<span class="seg {cls}" style="width:{width:.2f}%;{style}" '
                             f'title="{_e(x["label"])}: {count}">{label}</span>')
        bar = "".join(cells) or '<span class="empty">no grades</span>'
        body.append(f'<tr><th scope="row" dir="auto">{_e(name)}</th><td class="bar"><div class="stack">{bar}</div></td>'
                    f'<td class="n">{_e(plural(n, "plan"))}</td></tr>')
    return (f'<figure class="keep"><figcaption>{_e(caption)}</figcaption><table class="chart"><tbody>{"".join(body)}</tbody></table>'
            f"{_legend(scale)}</figure>")


_READING_WORDS = {"reliable": "reliable", "tentative": "tentative", "unreliable": "unreliable", TOO_FEW: "too few plans"}
_READING_FILLS = {"reliable": (DARK_GREEN, False), "tentative": (AMBER, False), "unreliable": (RED, True)}


def _alpha_bars(heading: str, rows: list[tuple[str, str, float | None, int, str]]) -> str:
    body = []
    for cid, question, alpha, pairs, reading in rows:
        label = f'<th scope="row" dir="auto"><b>{_e(cid)}</b> {_e(question)}</th>'
        if alpha is None:
            body.append(f'{label}<td class="bar"><span class="empty">not enough double-scored plans</span></td><td class="n"></td>')
            continue
        style, cls = _fill(*_READING_FILLS.get(reading, (GREY, False)))
        width = max(0.0, min(1.0, alpha)) * 100
        words = _READING_WORDS.get(reading, reading)
        body.append(f'{label}<td class="bar"><div class="stack alpha"><span class="seg {cls}" style="width:{width:.1f}%;{style}"></span>'
                    f'<span class="mark" style="left:80%"></span></div></td>'
                    f'<td class="n">{alpha:.3f} {_e(words)}<br>{_e(plural(pairs, "pair"))}</td>')
    rows_html = [f"<tr>{r}</tr>" for r in body]
    legend = []
    for words, (colour, hatched) in [("0.800 or more: reliable", _READING_FILLS["reliable"]),
                                     ("0.667 to 0.800: tentative", _READING_FILLS["tentative"]),
                                     ("below 0.667: unreliable", _READING_FILLS["unreliable"]),
                                     ("too few double-scored plans to read", (GREY, False))]:
        style, cls = _fill(colour, hatched)
        legend.append(f'<li><span class="swatch {cls}" style="{style}"></span>{_e(words)}</li>')
    # The heading, caption, key and first rows stay on one page; the rest may run on (a fixed layout, so the
    # second table's columns line up with the first's).
    first, rest = "".join(rows_html[:3]), "".join(rows_html[3:])
    return (f'<figure><div class="keep">{heading}<figcaption>Agreement by criterion (Krippendorff\'s alpha, ordinal; the dashed '
            f'line marks 0.800, reliable; a negative alpha shows no bar)</figcaption><ul class="legend">{"".join(legend)}</ul>'
            f'<table class="chart"><tbody>{first}</tbody></table></div>'
            + (f'<table class="chart rest"><tbody>{rest}</tbody></table>' if rest else "") + "</figure>")


def _when(stamp: str) -> str:
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = " UTC" if t.utcoffset() is not None and not t.utcoffset() else ""
    return f"{t.day}\u00a0{t:%B}\u00a0{t:%Y} at {t:%H:%M}{zone}"  # the date is not broken over two lines


def to_html(s: Summary) -> str:
    """One self-contained page: findings first, then charts and every table, criteria by their question."""
    q = s["quality"]
    questions = {c["id"]: c.get("question", "") for c in q["criteria"]}
    titles = {a["id"]: a["title"] for a in q["areas"]}
    cohorts = ", ".join(s["cohorts"]) or "all cohorts"
    body = [f'<h1 dir="auto">EHC plan quality: {_e(cohorts)}</h1>',
            f'<p class="sub">{_e(plural(s["plans"], "plan"))} · {_e(plural(s["audits"], "submitted audit"))} · '
            f'rubric {_e(s["rubric"]["title"])}, {_e(s["rubric"]["id"])} version {_e(s["rubric"]["version"])} · '
            f'produced by ehcaudit on {_e(_when(s["generated_at"]))}</p>']
    body.append('<section class="findings"><h2>Findings</h2>' + "".join(f"<p>{_e(p)}</p>" for p in findings(s)) + "</section>")

    area_rows = [("Overall", q["overall"]["distribution"], q["overall"]["n"])]
    area_rows += [(a["title"], a["distribution"], a["n"]) for a in q["areas"]]
    body.append("<h2>Grades by area</h2>" + _bars(area_rows, s["scale"], "How many plans got each grade, overall and by area"))
    warning = small_sample_warning(q["overall"]["n"])
    if warning:
        body.append(f'<p class="warning">{_e(warning)}</p>')
    trend = [t for t in s["trend"] if t["overall"]["n"]]
    if len(trend) >= 2:
        body.append("<h2>Grades by audit round</h2>" + _bars(
            [(t["cohort"], t["overall"]["distribution"], t["overall"]["n"]) for t in trend], s["scale"],
            "How many plans got each overall grade, by audit round"))
        few = [t for t in trend if t["overall"]["n"] < SMALL_SAMPLE]
        if few:
            body.append(f'<p class="warning">{_e(_few_rounds(few, trend))}</p>')

    double_scored = bool(s["consistency"]["overall"]["pairs"])
    heading = "<h2>Agreement between reviewers</h2>"
    if double_scored:
        body.append(_alpha_bars(heading, [(c["id"], questions.get(c["id"], ""), c["alpha_ordinal"], c["pairs"], c["reading"])
                                 for c in s["consistency"]["criteria"]]))
    else:
        body.append(heading + '<p class="note">No plan was scored independently by two reviewers, so there are no agreement '
                    "figures yet; double-score a few plans each round.</p>")

    for t in summary_tables(s):
        if t.name in ("consistency", "agreement-criteria") and not double_scored:
            continue
        if t.name == "grades-used":
            body.extend(_grades_used(t, [c["id"] for c in q["criteria"]], questions, titles))
            continue
        body.append(_table_html(t, questions, titles, q["overall"]["n"]))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>EHC plan quality: {_e(cohorts)}</title><style>{_style()}</style></head><body>{''.join(body)}</body></html>\n")


def _few_rounds(few: list[TrendRow], trend: list[TrendRow]) -> str:
    names = [t["cohort"] for t in few]
    which = f"Round {names[0]} has" if len(names) == 1 else f"Rounds {listed(names)} have"
    if len(names) == len(trend) and len(names) > 1:
        which = "Every round has"
    return (f"{which} fewer than {SMALL_SAMPLE} plans: "
            "read a change between rounds as an indication, not a measure.")


def _grades_used(t: SummaryTable, criteria: list[str], questions: dict[str, str], titles: dict[str, str]) -> list[str]:
    """Only the double-scored plans, in full: a plan scored once is counted by its one review."""
    every = set(criteria)
    rows = [[*r[:-1], "all" if set(str(r[-1]).split()) == every else r[-1]] for r in t.rows if isinstance(r[1], int) and r[1] >= 2]
    once = len(t.rows) - len(rows)
    out = []
    if rows:
        out.append(_table_html(SummaryTable(t.name, t.title, t.header, rows), questions, titles))
    if once:
        sentence = (f"{'The other ' if rows else ''}{plural(once, 'plan')} {'was' if once == 1 else 'were'} scored once; "
                    f"{'its' if once == 1 else 'their'} grades are that review's.")
        out.append(("" if rows else f"<h2>{_e(t.title)}</h2>") + f'<p class="note">{_e(sentence)}</p>')
    return out


def _number(header: str, v: int | float) -> str:
    h = header.lower()
    if h.startswith("%"):
        return f"{v:.1f}"
    if h.startswith("alpha"):
        return f"{v:.3f}"
    if isinstance(v, int):
        return str(v)
    if "mean diff" in h:
        return f"{v:+.2f}"
    if h.startswith("mean"):
        return f"{v:.2f}"
    return f"{v:g}"


def _table_html(t: SummaryTable, questions: dict[str, str], titles: dict[str, str], sample: int = 0) -> str:
    """A table with every criterion by its question (an Area column folds under the question)."""
    header = list(t.header)
    merge_area = "Question" in header and "Area" in header
    name_criteria = header[:1] == ["Criterion"] and "Question" not in header
    shown = [i for i, h in enumerate(header) if not (merge_area and h == "Area")]
    head = "".join(f'<th scope="col">{_e(header[i])}</th>' for i in shown)
    rows = []
    for r in t.rows:
        cells = []
        for i in shown:
            v: Cell = r[i]
            text = "" if v is None else str(v)
            if i == 0:
                if name_criteria and text in questions:
                    cells.append(f'<th scope="row" dir="auto"><b>{_e(text)}</b> {_e(questions[text])}</th>')
                else:
                    short = ' class="short"' if len(text) <= 16 else ""
                    cells.append(f'<th scope="row" dir="auto"{short}>{_e(text)}</th>')
            elif header[i] == "Question":
                area = r[header.index("Area")] if merge_area else None
                area_html = f'<span class="area">{_e(titles.get(str(area), area))}</span>' if area else ""
                cells.append(f'<td class="q" dir="auto">{_e(text)}{area_html}</td>')
            elif header[i] == "Area" and text in titles:
                cells.append(f'<td dir="auto">{_e(titles[text])}</td>')
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(f'<td class="num">{_e(_number(header[i], v))}</td>')
            else:
                cells.append(f'<td dir="auto">{_e(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = few_plans_note(t, sample)
    return (f'<h2>{_e(t.title)}</h2><div class="scroll"><table id="{_e(t.name)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>" + (f'<p class="warning">{_e(note)}</p>' if note else ""))
