"""Feedback to the case officer who wrote a plan: grades in plain English, evidence, strengths and agreed actions.

Built from a submitted audit (or a plan's submitted reviews); a moderated plan's agreed grades win and the
report says so. Nothing about the child beyond the plan's label: no file name, and a quote or note that looks
like it holds personal data (a postcode, a date of birth...) is left out with a line saying why.
"""

from __future__ import annotations

from typing import Any

import html

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound
from ehcaudit.ingest.redaction import KINDS, scan_text
from ehcaudit.rounds.actions import describe_section, is_late
from ehcaudit.rounds.dates import today
from ehcaudit.rounds.text import md_cell, plain
from ehcaudit.rubric import derive_grades, load_rubric_text
from ehcaudit.store import actions as action_store
from ehcaudit.store import audits as audit_store
from ehcaudit.store import feedback as feedback_store
from ehcaudit.store import plans as plan_store
from ehcaudit.store.moderation import moderations_for
from ehcaudit.summary.compute import good_threshold

# What each usual grade means, for a reader who has never seen the rubric.
GRADE_MEANINGS = {
    "outstanding": "an example for others: the plan does everything asked here, clearly and specifically",
    "good": "meets the standard: what is needed is there, with small gaps at most",
    "requires improvement": "falls short in ways that matter to the child or family: the plan should be amended",
    "inadequate": "does not meet the standard: the plan needs to be rewritten here",
}


def meaning(label: str) -> str:
    return GRADE_MEANINGS.get(label.strip().lower(), "")


def _safe(text: str, where: str) -> tuple[str, str | None]:
    """The text, or '' and a line saying why it was left out (it looks like personal data)."""
    findings = scan_text(text)
    if not findings:
        return text, None
    kinds = sorted({KINDS[f.kind] for f in findings})
    return "", f"A {where} was left out because it looks like it holds personal data ({', '.join(kinds)}); see the plan itself."


def _resolve(db: Database, ref: str | int) -> tuple[plan_store.PlanRow, list[int], int | None]:
    """AUDIT (a number) or PLAN (a label): the plan, the audits to read, the audit asked for."""
    text = str(ref).strip()
    if text.isdigit():
        audit = audit_store.load_audit(db, int(text))
        if audit.kind == "training":
            raise NotFound(f"audit {text} is a training audit; feedback is written from a review")
        if not audit.submitted:
            raise NotFound(f"audit {text} is not submitted yet; feedback is written from a submitted audit")
        return plan_store.get_plan(db, audit.plan_id), [audit.id], audit.id
    plan = plan_store.get_plan(db, text)
    reviews = feedback_store.submitted_reviews(db, plan.id)
    if not reviews:
        raise NotFound(f"plan '{plan.label}' has no submitted audit yet; feedback is written from a submitted audit")
    sha = reviews[-1][1]  # the rubric of the latest review
    return plan, [aid for aid, s, _ in reviews if s == sha], None


def build_feedback(db: Database, ref: str | int, to: str | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict (render with feedback_html or feedback_markdown)."""
    plan, audit_ids, asked = _resolve(db, ref)
    audits = [audit_store.load_audit(db, i) for i in audit_ids]
    rubric = load_rubric_text(feedback_store.rubric_source(db, audits[0].rubric_sha256), "stored rubric")
    moderated = moderations_for(db, plan.id, rubric)
    base = audits[0]
    grades = {cid: j.grade for cid, j in base.judgements.items()}
    for cid, m in moderated.items():
        grades[cid] = m.grade
    derived = derive_grades(rubric, grades)
    good = good_threshold(rubric)
    left_out: list[str] = []
    area_title = {a.id: a.title for a in rubric.areas}
    criteria = []
    for c in rubric.criteria:
        g = grades.get(c.id)
        notes = []
        for a in audits:
            note = a.judgement(c.id).note.strip()
            if note:
                note, why = _safe(note, "reviewer's note")
                if why:
                    left_out.append(why)
                if note:
                    notes.append(note)
        if c.id in moderated and moderated[c.id].reason.strip():
            reason, why = _safe(moderated[c.id].reason, "moderation note")
            if reason:
                notes.append(f"Agreed at moderation: {reason}")
            elif why:
                left_out.append(why)
        evidence, seen = [], set()
        for a in audits:
            for e in a.evidence_for(c.id):
                key = " ".join(e.quote.split())
                if key in seen:
                    continue
                seen.add(key)
                quote, why = _safe(e.quote, "quotation from the plan")
                if why:
                    left_out.append(why)
                    continue
                # The report adds its own quotation marks.
                quote = quote.strip().strip('"\u201c\u201d').strip()
                evidence.append({"quote": quote, "page": e.page_number, "section": e.section_code})
        criteria.append({
            "question": c.question, "area": area_title[c.area], "grade": g, "not_applicable": g is None,
            "label": rubric.label(g), "descriptor": c.descriptors.get(g, "") if g is not None else "",
            "moderated": c.id in moderated, "notes": notes, "evidence": evidence,
            "good_or_better": g is not None and g >= good,
        })
    actions = [{
        "what": a.what, "section": describe_section(a.section_code), "owner": a.owner, "owner_kind": a.owner_kind,
        "due": a.due, "status": a.status, "done_on": a.done_on, "overdue": is_late(a),
        "criterion": rubric.criterion(a.criterion_id).question if a.criterion_id in {c.id for c in rubric.criteria} else "",
    } for a in action_store.list_actions(db, plan_id=plan.id)]
    overall = derived.overall_grade
    n_mod = len(moderated)
    if n_mod:
        basis = (f"This plan was scored independently by {len(feedback_store.submitted_reviews(db, plan.id, rubric.sha256))} "
                 f"reviewers and moderated: the grades below are the agreed (moderated) grades for {n_mod} of "
                 f"{len(rubric.criteria)} questions, and the first review's grades for the rest.")
    elif len(audits) > 1:
        basis = ("This plan was scored by two reviewers and has not been moderated yet; the grades below are the "
                 "first review's and may change at moderation.")
    else:
        basis = "The grades below are from one reviewer's audit."
    return {
        "plan": plan.label,
        "cohort": plan.cohort,
        "to": to or "the case officer who wrote this plan",
        "date": today().isoformat(),
        "rubric": rubric.title,
        "audit": asked,
        "reviewers": sorted({a.reviewer for a in audits}),
        "moderated": bool(n_mod),
        "basis": basis,
        "overall": {"grade": overall, "label": rubric.label(overall), "meaning": meaning(rubric.label(overall)) if overall else ""},
        "areas": [{"title": a.title, "grade": derived.area_grades[a.id], "label": rubric.label(derived.area_grades[a.id]),
                   "meaning": meaning(rubric.label(derived.area_grades[a.id])) if derived.area_grades[a.id] else ""}
                  for a in rubric.areas],
        "scale": [{"value": s.value, "label": s.label, "meaning": meaning(s.label)} for s in rubric.scale],
        "strengths": [c for c in criteria if c["good_or_better"]],
        "criteria": criteria,
        "actions": actions,
        "left_out": sorted(set(left_out)),
    }


def _grade_text(grade: int | None, label: str) -> str:
    return "Not applicable" if grade is None else label


def _page(e: dict[str, Any]) -> str:
    bits = []
    if e["section"]:
        bits.append(f"section {e['section']}")
    if e["page"]:
        bits.append(f"page {e['page']}")
    return ", ".join(bits)


def _owner(a: dict[str, Any]) -> str:
    return f"{a['owner']} ({'team' if a['owner_kind'] == 'team' else 'person'})"


def _status(a: dict[str, Any]) -> str:
    if a["status"] == "done":
        return f"done {a['done_on'] or ''}".strip()
    return "overdue" if a["overdue"] else "open"


def feedback_markdown(f: dict[str, Any]) -> str:
    """The report in Markdown; every string from a plan, a note or a user escaped."""
    e = md_cell
    out = [f"# Feedback on the EHC plan {e(f['plan'])}", "",
           f"To: {e(f['to'])}  ", f"Date: {e(f['date'])}  ",
           f"Audited by: {e(', '.join(f['reviewers']))}, against *{e(f['rubric'])}*", "",
           e(f["basis"]), "", "## Overall", "",
           f"**{e(_grade_text(f['overall']['grade'], f['overall']['label']))}**"
           + (f": {e(f['overall']['meaning'])}." if f["overall"]["meaning"] else ""), "",
           "| Area | Grade | What the grade means |", "|---|---|---|"]
    out += [f"| {e(a['title'])} | {e(_grade_text(a['grade'], a['label']))} | {e(a['meaning'])} |" for a in f["areas"]]
    out += ["", "## What the plan does well", ""]
    if f["strengths"]:
        for c in f["strengths"]:
            out.append(f"- **{e(c['question'])}** {e(c['label'])}. {e(c['descriptor'])}")
            out += [f"  - \u201c{e(x['quote'])}\u201d ({e(_page(x))})" for x in c["evidence"]]
    else:
        out.append("No question was graded Good or better this time.")
    out += ["", "## Question by question", ""]
    area = None
    for c in f["criteria"]:
        if c["area"] != area:
            area = c["area"]
            out += [f"### {e(area)}", ""]
        out.append(f"#### {e(c['question'])}")
        out.append("")
        grade = _grade_text(c["grade"], c["label"]) + (" (moderated)" if c["moderated"] else "")
        out.append(f"Grade: **{e(grade)}**" + (f". {e(c['descriptor'])}" if c["descriptor"] else ""))
        out.append("")
        out += [f"> {e(n)}" for n in c["notes"]]
        if c["notes"]:
            out.append("")
        out += [f"- \u201c{e(x['quote'])}\u201d ({e(_page(x))})" for x in c["evidence"]]
        if c["evidence"]:
            out.append("")
    out += ["## Agreed actions", ""]
    if f["actions"]:
        out += ["| What must change | Section | Who | Due | Status |", "|---|---|---|---|---|"]
        out += [f"| {e(a['what'])} | {e(a['section'])} | {e(_owner(a))} | {e(a['due'])} | {e(_status(a))} |" for a in f["actions"]]
    else:
        out.append("No actions have been agreed yet.")
    out += [""] + [e(x) for x in f["left_out"]]
    return "\n".join(out).rstrip() + "\n"


_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm;
  @top-left { content: "EHC plan audit: feedback to the plan writer"; font: 9pt sans-serif; color: #555; }
  @top-right { content: ""; } @bottom-left { content: ""; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: #555; } }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111; max-width: 180mm; margin: 1em auto; padding: 0 .5em; }
h1 { font-size: 18pt; margin: 0 0 .3em; } h2 { font-size: 14pt; margin: 1.2em 0 .4em; border-bottom: 1px solid #999; }
h3 { font-size: 12.5pt; margin: 1em 0 .4em; break-after: avoid; } h4 { font-size: 11pt; margin: .1em 0 .2em; }
.meta { color: #333; margin: 0 0 .8em; } .meta p { margin: .1em 0; }
.basis { background: #f2f2f2; border-left: 4px solid #666; padding: .4em .6em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #e8e8e8; } tr { break-inside: avoid; }
.grade { font-weight: bold; white-space: nowrap; } .nowrap { white-space: nowrap; }
.criterion { break-inside: avoid; border: 1px solid #ccc; padding: .3em .6em; margin: 0 0 .5em; }
.criterion p { margin: .2em 0; }
.note { margin: .3em 0; padding-left: .6em; border-left: 3px solid #bbb; }
blockquote { margin: .3em 0 .3em 1em; font-style: italic; } .where { font-style: normal; color: #444; font-size: 9.5pt; }
.leftout { color: #444; font-size: 9.5pt; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def feedback_html(f: dict[str, Any]) -> str:
    """One self-contained page for A4: no scripts, no network; every untrusted string escaped."""
    def h(s: object) -> str:
        return html.escape(str(s), quote=True)

    parts = [f"<h1>Feedback on the EHC plan {h(f['plan'])}</h1>",
             '<div class="meta">',
             f"<p><strong>To:</strong> {h(f['to'])}</p>",
             f"<p><strong>Date:</strong> {h(f['date'])}</p>",
             f"<p><strong>Audited by:</strong> {h(', '.join(f['reviewers']))}, against {h(f['rubric'])}</p></div>",
             f'<p class="basis">{h(f["basis"])}</p>',
             "<h2>Overall</h2>",
             f'<p><span class="grade">{h(_grade_text(f["overall"]["grade"], f["overall"]["label"]))}</span>'
             + (f": {h(f['overall']['meaning'])}." if f["overall"]["meaning"] else "") + "</p>",
             "<table><thead><tr><th>Area</th><th>Grade</th><th>What the grade means</th></tr></thead><tbody>"]
    parts += [f'<tr><td>{h(a["title"])}</td><td class="grade">{h(_grade_text(a["grade"], a["label"]))}</td><td>{h(a["meaning"])}</td></tr>'
              for a in f["areas"]]
    parts.append("</tbody></table><h2>What the plan does well</h2>")
    if f["strengths"]:
        parts.append("<ul>")
        for c in f["strengths"]:
            quotes = "".join(f'<blockquote>\u201c{h(x["quote"])}\u201d <span class="where">({h(_page(x))})</span></blockquote>'
                             for x in c["evidence"])
            parts.append(f"<li><strong>{h(c['question'])}</strong> {h(c['label'])}. {h(c['descriptor'])}{quotes}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>No question was graded Good or better this time.</p>")
    parts.append("<h2>Question by question</h2>")
    area = None
    for c in f["criteria"]:
        if c["area"] != area:
            area = c["area"]
            parts.append(f'<h3 class="area">{h(area)}</h3>')
        grade = _grade_text(c["grade"], c["label"]) + (" (moderated)" if c["moderated"] else "")
        block = [f'<div class="criterion"><h4>{h(c["question"])}</h4>',
                 f'<p><span class="grade">{h(grade)}</span>' + (f". {h(c['descriptor'])}" if c["descriptor"] else "") + "</p>"]
        block += [f'<p class="note">{h(n)}</p>' for n in c["notes"]]
        block += [f'<blockquote>\u201c{h(x["quote"])}\u201d <span class="where">({h(_page(x))})</span></blockquote>'
                  for x in c["evidence"]]
        parts.append("".join(block) + "</div>")
    parts.append("<h2>Agreed actions</h2>")
    if f["actions"]:
        parts.append("<table><thead><tr><th>What must change</th><th>Section</th><th>Who</th><th>Due</th><th>Status</th></tr></thead><tbody>")
        parts += [f"<tr><td>{h(a['what'])}</td><td>{h(a['section'])}</td><td>{h(_owner(a))}</td><td class='nowrap'>{h(a['due'])}</td>"
                  f"<td class='nowrap'>{h(_status(a))}</td></tr>" for a in f["actions"]]
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No actions have been agreed yet.</p>")
    parts += [f'<p class="leftout">{h(x)}</p>' for x in f["left_out"]]
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Feedback on plan {h(f["plan"])}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")


def render_feedback(f: dict[str, Any], fmt: str) -> str:
    return feedback_html(f) if fmt == "html" else feedback_markdown(f)


def default_file_name(f: dict[str, Any], fmt: str) -> str:
    """feedback-<label>.html, with the label reduced to safe file-name characters."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in plain(f["plan"]))[:60].strip("-") or "plan"
    return f"feedback-{safe}.{'html' if fmt == 'html' else 'md'}"
