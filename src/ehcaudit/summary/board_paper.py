"""The board paper: findings in plain English, then charts and tables a manager can hand in unedited.

HTML only (no scripts, no network); charts are HTML and CSS so labels wrap rather than overlap or cut,
and a print stylesheet lays it out on A4.
"""

from __future__ import annotations

import html

from ehcaudit.summary.shape import CriterionQuality, ScaleEntry, Summary
from ehcaudit.summary.tables import SummaryTable, held_back_line, summary_tables
from ehcaudit.output.words import plural

SMALL_SAMPLE = 10  # fewer plans than this: figures are shown with a warning in words
GRADE_COLOURS = ["#1a7f37", "#7cc47f", "#f0b429", "#c62828", "#6a1b9a", "#37474f", "#90a4ae", "#000", "#999"]


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _pct(v: float | None) -> str:
    return "no grades" if v is None else f"{v:g}%"


def _questions(s: Summary) -> dict[str, str]:
    return {c["id"]: c.get("question", "") for c in s["quality"]["criteria"]}


def _area_titles(s: Summary) -> dict[str, str]:
    return {a["id"]: a["title"] for a in s["quality"]["areas"]}


def small_sample_warning(n: int, what: str = "plan") -> str | None:
    """A warning in words when a figure rests on too few plans to read much into."""
    if n == 0:
        return None
    if n < SMALL_SAMPLE:
        return (f"Based on only {plural(n, what)}: one {what} more or less moves the percentage by "
                f"{round(100 / n)} points, so read it as an indication, not a measure.")
    return None


def findings(s: Summary) -> list[str]:
    """The opening paragraphs: overall quality, strongest and weakest areas, trend, and trust."""
    q = s["quality"]
    overall = q["overall"]
    cohorts = ", ".join(s["cohorts"]) or "all cohorts"
    out: list[str] = []
    n = overall["n"]
    held = held_back_line(s)  # reviews a blind calibration session holds back: said, never silently left out
    if not n:
        return [f"No submitted audits yet for {cohorts}: there are no findings to report." + (f" {held}" if held else "")]
    good = round(overall["good_or_better_pct"] * n / 100) if overall["good_or_better_pct"] is not None else 0
    first = (f"In {cohorts}, {plural(s['plans'], 'plan')} {'was' if s['plans'] == 1 else 'were'} audited. "
             f"{good} of {plural(n, 'plan')} ({_pct(overall['good_or_better_pct'])}) "
             f"{'is' if n == 1 else 'are'} Good or better overall, with a mean grade of {overall['mean']} "
             f"on a scale of {min(x['value'] for x in s['scale'])} to {max(x['value'] for x in s['scale'])}.")
    warning = small_sample_warning(n)
    out.append(first + (f" {warning}" if warning else "") + (f" {held}" if held else ""))

    areas = [a for a in q["areas"] if a["n"] and a["good_or_better_pct"] is not None]
    if len(areas) >= 2:
        ranked = sorted(areas, key=lambda a: (a["good_or_better_pct"], a["mean"] or 0))
        weakest, strongest = ranked[0], ranked[-1]
        questions = _questions(s)
        by_area: dict[str, list[CriterionQuality]] = {}
        for c in q["criteria"]:  # weakest first already
            if c["n"]:
                by_area.setdefault(c["area"], []).append(c)

        def criterion_words(c: CriterionQuality) -> str:
            return f"{c['id']} ({_pct(c['good_or_better_pct'])} Good or better: “{questions.get(c['id'], '')}”)"

        weak_c = by_area.get(weakest["id"], [])[:1]
        strong_c = by_area.get(strongest["id"], [])[-1:]
        text = (f"The strongest area is {strongest['title']} ({_pct(strongest['good_or_better_pct'])} Good or better)"
                + (f", led by {criterion_words(strong_c[0])}" if strong_c else "")
                + f". The weakest is {weakest['title']} ({_pct(weakest['good_or_better_pct'])} Good or better)"
                + (f", where the weakest criterion is {criterion_words(weak_c[0])}" if weak_c else "") + ".")
        out.append(text)

    trend = [t for t in s["trend"] if t["overall"]["n"]]
    if len(trend) >= 2:
        a, b = trend[-2], trend[-1]
        pa, pb = a["overall"]["good_or_better_pct"], b["overall"]["good_or_better_pct"]
        if pa is not None and pb is not None:
            change = pb - pa
            way = "improved" if change > 0 else "fell" if change < 0 else "held steady"
            text = (f"Across audit rounds, the share of plans Good or better {way} from {_pct(pa)} in {a['cohort']} "
                    f"({plural(a['overall']['n'], 'plan')}) to {_pct(pb)} in {b['cohort']} ({plural(b['overall']['n'], 'plan')})")
            if min(a["overall"]["n"], b["overall"]["n"]) < SMALL_SAMPLE:
                text += "; with so few plans in a round, a change of this size may be chance"
            out.append(text + ".")
    else:
        out.append("This is the only audit round with grades, so there is no trend yet.")

    agreed = s["consistency"]["overall"]
    plans2 = s["consistency"].get("plans_scored_by_two_or_more", agreed.get("plans", 0))
    alpha = agreed.get("alpha_ordinal")
    if agreed.get("pairs") and alpha is not None:
        if alpha >= 0.8:
            trust = "the grades can be trusted: reviewers agree closely"
        elif alpha >= 0.667:
            trust = "the grades can be trusted only tentatively: reviewers agree, but not closely enough to rely on single grades"
        else:
            trust = "the grades cannot yet be trusted: reviewers often disagree, so calibration is needed before drawing firm conclusions"
        text = (f"On whether the grades can be trusted: {plural(plans2, 'plan')} {'was' if plans2 == 1 else 'were'} "
                f"scored independently by two or more reviewers. They gave the same grade {_pct(agreed.get('exact_pct'))} of the time "
                f"and were within one grade {_pct(agreed.get('adjacent_pct'))} of the time (Krippendorff's alpha {alpha}), "
                f"so {trust}.")
        if plans2 < SMALL_SAMPLE:
            text += f" Agreement measured on only {plural(plans2, 'plan')} is itself uncertain."
        out.append(text)
    else:
        out.append("No plan was scored independently by two reviewers, so whether the grades can be trusted "
                   "cannot be measured yet; double-score a few plans each round.")
    sources = s.get("grade_sources") or {}
    if sources:
        words = {"moderated": "the moderated grades", "single review": "the only review",
                 "first review, awaiting moderation": "the first review (awaiting moderation)"}
        out.append("Grades used: " + "; ".join(f"{words.get(k, k)} for {plural(v, 'plan')}" for k, v in sources.items()) + ".")
    return out


def _legend(scale: list[ScaleEntry]) -> str:
    items = "".join(f'<li><span class="swatch" style="background:{GRADE_COLOURS[i % len(GRADE_COLOURS)]}"></span>'
                    f"{_e(x['value'])} {_e(x['label'])}</li>" for i, x in enumerate(scale))
    return f'<ul class="legend" aria-label="Key">{items}</ul>'


def _bars(rows: list[tuple[str, dict[str, int], int]], scale: list[ScaleEntry], caption: str) -> str:
    """A stacked bar per row; the label is a table cell, so it wraps and is never cut."""
    values = [str(x["value"]) for x in scale]
    body = []
    for name, dist, n in rows:
        total = sum(dist.get(v, 0) for v in values)
        cells = []
        for i, v in enumerate(values):
            count = dist.get(v, 0)
            if count:
                width = 100.0 * count / total
                label = str(count) if width >= 6 else ""
                cells.append(f'<span class="seg" style="width:{width:.2f}%;background:{GRADE_COLOURS[i % len(GRADE_COLOURS)]}" '
                             f'title="{_e(scale[i]["label"])}: {count}">{label}</span>')
        bar = "".join(cells) or '<span class="empty">no grades</span>'
        body.append(f'<tr><th scope="row">{_e(name)}</th><td class="bar"><div class="stack">{bar}</div></td>'
                    f'<td class="n">{_e(plural(n, "plan"))}</td></tr>')
    return (f'<figure class="keep"><table class="chart"><caption>{_e(caption)}</caption><tbody>{"".join(body)}</tbody></table>'
            f"{_legend(scale)}</figure>")


def _alpha_bars(rows: list[tuple[str, str, float | None, int]]) -> str:
    body = []
    for cid, question, alpha, pairs in rows:
        label = f'<th scope="row"><b>{_e(cid)}</b> {_e(question)}</th>'
        if alpha is None:
            body.append(f'{label}<td class="bar"><span class="empty">not enough double-scored plans</span></td><td class="n"></td>')
            continue
        colour = "#1a7f37" if alpha >= 0.8 else "#b58900" if alpha >= 0.667 else "#c62828"
        width = max(0.0, min(1.0, alpha)) * 100
        body.append(f'{label}<td class="bar"><div class="stack alpha"><span class="seg" style="width:{width:.1f}%;background:{colour}"></span>'
                    f'<span class="mark" style="left:80%"></span></div></td><td class="n">{alpha:.3f} · {_e(plural(pairs, "pair"))}</td>')
    rows_html = "".join(f"<tr>{r}</tr>" for r in body)
    return (f'<figure><table class="chart"><caption>Agreement by criterion (Krippendorff\'s alpha, ordinal; '
            f"the line marks 0.800, reliable)</caption><tbody>{rows_html}</tbody></table>"
            '<ul class="legend"><li><span class="swatch" style="background:#1a7f37"></span>0.800 or more: reliable</li>'
            '<li><span class="swatch" style="background:#b58900"></span>0.667 to 0.800: tentative</li>'
            '<li><span class="swatch" style="background:#c62828"></span>below 0.667: unreliable</li></ul></figure>')


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}
.findings{font-size:1.05em;background:#f6f8fa;border-left:4px solid #1a7f37;padding:.6em 1em}
.findings p{margin:.5em 0}.warning{color:#8a4b00}
table{border-collapse:collapse;margin:.5em 0 1.2em;width:100%}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
thead th{background:#eef}
td.num{text-align:right;white-space:nowrap}td.q{min-width:16em}tbody th{font-weight:bold}
table.chart td,table.chart th{border:none;padding:.2em .4em}
table.chart th{font-weight:normal;width:38%}
table.chart caption{text-align:left;font-weight:bold;padding-bottom:.3em}
td.bar{width:50%}td.n{white-space:nowrap;color:#444;width:12%}
.stack{display:flex;height:1.3em;background:#f0f0f0;position:relative}
.seg{display:block;height:100%;color:#fff;font-size:.8em;text-align:center;line-height:1.6em;overflow:hidden}
.mark{position:absolute;top:-2px;bottom:-2px;border-left:2px dashed #1a7f37}
.empty{color:#666;font-style:italic}
.legend{list-style:none;padding:0;margin:.3em 0 1em;display:flex;flex-wrap:wrap;gap:.4em 1.4em}
.legend li{display:flex;align-items:center;gap:.4em}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #0003}
figure{margin:0}
footer{color:#666;font-size:.9em;margin-top:2em}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{size:A4;margin:15mm 14mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:10pt}
 table:not(.chart){font-size:8.5pt}
 h2{break-after:avoid}
 figure.keep,tr,.findings{break-inside:avoid}
 thead{display:table-header-group}
 a{color:inherit;text-decoration:none}
}
"""


def to_html(s: Summary) -> str:
    """One self-contained page: findings first, then charts and every table, criteria by their question."""
    q = s["quality"]
    questions = _questions(s)
    titles = _area_titles(s)
    cohorts = ", ".join(s["cohorts"]) or "all cohorts"
    body = [f"<h1>EHC plan quality: {_e(cohorts)}</h1>",
            f'<p class="sub">{_e(s["rubric"]["title"])} · {_e(plural(s["plans"], "plan"))} · '
            f'{_e(plural(s["audits"], "submitted audit"))}</p>']
    body.append('<section class="findings"><h2>Findings</h2>' + "".join(f"<p>{_e(p)}</p>" for p in findings(s)) + "</section>")

    area_rows = [("Overall", q["overall"]["distribution"], q["overall"]["n"])]
    area_rows += [(a["title"], a["distribution"], a["n"]) for a in q["areas"]]
    body.append("<h2>Grades by area</h2>" + _bars(area_rows, s["scale"], "How many plans got each grade, overall and by area"))
    warning = small_sample_warning(q["overall"]["n"])
    if warning:
        body.append(f'<p class="warning">{_e(warning)}</p>')

    body.append("<h2>Agreement between reviewers</h2>" + _alpha_bars(
        [(c["id"], questions.get(c["id"], ""), c["alpha_ordinal"], c["pairs"]) for c in s["consistency"]["criteria"]]))

    for t in summary_tables(s):
        body.append(_table_html(t, questions, titles))
    body.append(f"<footer>Generated by ehcaudit at {_e(s['generated_at'])}. Rubric {_e(s['rubric']['title'])} "
                f"({_e(s['rubric']['id'])} {_e(s['rubric']['version'])}).</footer>")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>EHC plan quality: {_e(cohorts)}</title><style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n")


def _table_html(t: SummaryTable, questions: dict[str, str], titles: dict[str, str]) -> str:
    header = list(t.header)
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    rows = []
    for r in t.rows:
        cells = []
        for i, v in enumerate(r):
            text = "" if v is None else v
            if i == 0:
                cells.append(f'<th scope="row">{_e(text)}</th>')
            elif header[i] == "Question":
                cells.append(f'<td class="q">{_e(text)}</td>')
            elif header[i] == "Area" and str(v) in titles:
                cells.append(f"<td>{_e(titles[str(v)])}</td>")
            elif isinstance(v, (int, float)):
                cells.append(f'<td class="num">{_e(text)}</td>')
            else:
                cells.append(f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<h2>{_e(t.title)}</h2><table id="{_e(t.name)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
