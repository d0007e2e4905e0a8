"""A calibration session as a handout: per criterion, the plan extract, the reference and the group."""

from __future__ import annotations

import html

from ehcaudit.store.db import Database

from ehcaudit.training.scoring import NA, alpha_text, compare
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import md_text
from ehcaudit.store.calibration import get_session, session_audits
from ehcaudit.store.plans import plan_sections
from ehcaudit.output.words import plural
from ehcaudit.training.shape import CriterionFigures, Pack

EXTRACT_CHARS = 700
CSS = {"exact": "exact", "adjacent": "adjacent", "2+ apart": "far", "N/A against a grade": "far", "n/a": "na"}


def build_pack(db: Database, session_id: int, rubric: Rubric) -> Pack:
    """Everything a trainer hands out, JSON-ready."""
    session = get_session(db, session_id)
    reference, trainees = session_audits(db, session_id)
    figures = compare(rubric, reference, trainees)
    sections = plan_sections(db, session.plan_id)
    for row, c in zip(figures["criteria"], rubric.criteria):
        quotes = [e.quote for e in reference.evidence_for(c.id)]
        if quotes:
            row["extract"] = quotes
        else:
            text = " ".join(" ".join(sections[code].text.split()) for code in c.sections if code in sections)
            row["extract"] = [text[:EXTRACT_CHARS] + ("…" if len(text) > EXTRACT_CHARS else "")] if text else []
        row["sections"] = list(c.sections)
    return {
        "session": {"id": session.id, "name": session.name, "plan": session.plan_label, "trainer": session.trainer,
                    "reference_audit": reference.id, "reference_reviewer": reference.reviewer},
        "scale": [{"value": s.value, "label": s.label} for s in rubric.scale],
        **figures,
    }


def _g(value: object) -> str:
    return "-" if value is None else html.escape(str(value))


def pack_markdown(pack: Pack) -> str:
    """The pack as Markdown; every piece of plan, rubric or reviewer text is escaped (md_text)."""
    s = pack["session"]
    m = md_text
    out = [f"# Calibration: {m(s['name'])}", "",
           f"Plan {m(s['plan'])} · reference audit by {m(s['reference_reviewer'])} · trainer {m(s['trainer'])} · {plural(pack['trainees'], 'trainee')}", "",
           (f"Group agreement (Krippendorff's alpha, ordinal): {m(alpha_text(pack['group_alpha']))}; "
            f"with the reference: {m(alpha_text(pack['with_reference_alpha']))}. {m(pack['alpha_note'])}"),
           ""]
    for c in pack["criteria"]:
        out += [f"## {m(c['id'])}: {m(c['question'])}", "", f"Sections {m(' '.join(c['sections']))}", ""]
        out += [f"> {m(q)}" for q in c["extract"]] + [""]
        ref = "N/A" if c["reference_na"] else _g(c["reference"])
        out += [f"**Reference grade: {ref}.** {m(c['rationale'])}".rstrip(), ""]
        if c["grades"]:
            out += ["| Trainee | Grade | Against the reference |", "|---|---|---|"]
            out += [f"| {m(name)} | {_g(g)} | {m(c['closeness'][name])} |" for name, g in c["grades"].items()]
            out += ["", f"Spread: {m(spread_text(c))}", ""]
    out += ["## Trainees", "", "| Trainee | Exact % | Adjacent % | Mean difference | 2+ apart on | N/A against a grade on |",
            "|---|---|---|---|---|---|"]
    out += [f"| {m(p['trainee'])} | {_g(p['exact_pct'])} | {_g(p['adjacent_pct'])} | {_g(p['mean_difference'])} | "
            f"{m(', '.join(p['two_or_more_apart']) or '-')} | {m(', '.join(p['na_against_grade']) or '-')} |"
            for p in pack["people"]]
    return "\n".join(out) + "\n"


def pack_html(pack: Pack) -> str:
    """One self-contained page for slides or handouts: no scripts, no network."""
    s = pack["session"]
    e = html.escape
    body = [f"<h1>Calibration: {e(s['name'])}</h1>",
            f"<p>Plan {e(s['plan'])} · reference audit by {e(s['reference_reviewer'])} · trainer {e(s['trainer'])} · {plural(pack['trainees'], 'trainee')}</p>",
            (f"<p>Group agreement (Krippendorff's alpha, ordinal): <b>{e(alpha_text(pack['group_alpha']))}</b>; "
             f"with the reference: {e(alpha_text(pack['with_reference_alpha']))}. {e(pack['alpha_note'])}</p>")]
    for c in pack["criteria"]:
        ref = "N/A" if c["reference_na"] else _g(c["reference"])
        rows = "".join(f"<tr><td>{e(n)}</td><td>{_g(g)}</td><td class='{CSS[c['closeness'][n]]}'>{e(c['closeness'][n])}</td></tr>"
                       for n, g in c["grades"].items())
        quotes = "".join(f"<blockquote>{e(q)}</blockquote>" for q in c["extract"])
        body.append(f"<section><h2>{e(c['id'])}: {e(c['question'])}</h2><p class='muted'>Sections {e(' '.join(c['sections']))}</p>{quotes}"
                    f"<p><b>Reference grade: {ref}.</b> {e(c['rationale'])}</p>"
                    f"<table><tr><th>Trainee</th><th>Grade</th><th>Against the reference</th></tr>{rows}</table>"
                    f"<p class='muted'>Spread: {e(spread_text(c))}</p></section>")
    rows = "".join(f"<tr><td>{e(p['trainee'])}</td><td>{_g(p['exact_pct'])}</td><td>{_g(p['adjacent_pct'])}</td>"
                   f"<td>{_g(p['mean_difference'])}</td><td>{e(', '.join(p['two_or_more_apart']) or '-')}</td>"
                   f"<td>{e(', '.join(p['na_against_grade']) or '-')}</td></tr>" for p in pack["people"])
    body.append("<h2>Trainees</h2><table><tr><th>Trainee</th><th>Exact %</th><th>Adjacent %</th><th>Mean difference</th>"
                f"<th>2+ apart on</th><th>N/A against a grade on</th></tr>{rows}</table>")
    style = ("body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em}section{page-break-inside:avoid;margin-bottom:2em}"
             "blockquote{border-left:4px solid #99c;margin:.5em 0;padding:.3em .8em;background:#f4f4fb}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:.2em .6em}.exact{color:#1a7f37}.adjacent{color:#9a6700}.far{color:#c62828;font-weight:bold}"
             ".muted{color:#666}")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Calibration: {e(s['name'])}</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")


def _or(value: object, missing: str) -> str:
    return missing if value is None else str(value)


def spread_text(c: CriterionFigures) -> str:
    """The spread of the trainees' grades, or why there is none: "all N/A" when every answer was N/A."""
    if c["spread"] is not None:
        return str(c["spread"])
    answers = [g for g in c["grades"].values() if g is not None]
    return "all N/A" if answers and all(g == NA for g in answers) else "no grades yet"


def calibration_text(pack: Pack) -> str:
    """The session's figures as plain lines; a figure that cannot be worked out says why, never "None"."""
    s = pack["session"]
    lines = [f"{s['name']}: plan {s['plan']}, {plural(pack['trainees'], 'trainee')}, group alpha {alpha_text(pack['group_alpha'])}",
             pack["alpha_note"]]
    for c in pack["criteria"]:
        marks = "  ".join(f"{n}:{'-' if g is None else g}({c['closeness'][n]})" for n, g in c["grades"].items())
        reference = "N/A" if c["reference_na"] else _or(c["reference"], "-")
        lines.append(f"  {c['id']:<4} reference {reference}  spread {spread_text(c)}  {marks}".rstrip())
    for p in pack["people"]:
        if p.get("exact_pct") is None:
            lines.append(f"  {p['trainee']}: no grades to compare yet")
            continue
        lines.append(f"  {p['trainee']}: exact {p['exact_pct']}%, adjacent {p['adjacent_pct']}%, "
                     f"mean difference {_or(p.get('mean_difference'), 'none')}")
    return "\n".join(lines) + "\n"
