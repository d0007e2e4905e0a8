"""Replay an audit from its event log: the state after every step, and time spent per criterion."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from datetime import datetime

from ehcaudit.store.audits import Evidence, Judgement

STEP_ACTIONS = ("audit_started", "criterion_viewed", "section_viewed", "grade_set", "note_set",
                "evidence_added", "evidence_edited", "evidence_deleted", "undone", "submitted", "reopened", "imported")


@dataclass
class ReplayState:
    """Everything the reviewer had done up to and including one event."""

    event: dict[str, Any]
    criterion: str | None
    sections: list[str]
    judgements: dict[str, Judgement] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    change: str = ""  # what this step did, in words ("V1: 2 → 3, a change of mind")
    change_blind: str = ""  # the same without any grade ("V1: changed the grade, a change of mind"), for hidden grades

    def describe(self, hide_grades: bool) -> str:
        return self.change_blind if hide_grades else self.change

    def judgement(self, criterion_id: str) -> Judgement:
        return self.judgements.get(criterion_id) or Judgement(criterion_id)


def _copy(judgements: dict[str, Judgement]) -> dict[str, Judgement]:
    return {k: Judgement(v.criterion_id, v.grade, v.not_applicable, v.note) for k, v in judgements.items()}


def _grade_text(grade: int | None, na: bool) -> str:
    return "N/A" if na else ("-" if grade is None else str(grade))


def _page_text(detail: dict[str, Any], evidence: list[Evidence]) -> str:
    page = next((x.page_number for x in evidence if x.id == detail.get("evidence_id")), None)
    return str(page) if page else "?"


def replay_states(events: list[dict[str, Any]]) -> list[ReplayState]:
    """One state per event, in order, rebuilt only from the log."""
    states: list[ReplayState] = []
    judgements: dict[str, Judgement] = {}
    evidence: list[Evidence] = []
    criterion: str | None = None
    sections: list[str] = []
    by_id = {e["id"]: e for e in events}
    for e in events:
        action, cid, d = e["action"], e["criterion"], e["detail"]
        change = blind = ""
        if cid:
            criterion = cid
        if action == "audit_started":
            change = f"started the audit ({d.get('rubric_id', '')} {d.get('rubric_version', '')})"
        elif action in ("criterion_viewed", "section_viewed"):
            sections = list(d.get("sections") or [])
            change = f"looked at section{'s' if len(sections) > 1 else ''} {' '.join(sections)}" if sections else f"moved to {cid}"
        elif action == "grade_set":
            j = judgements.setdefault(cid, Judgement(cid))
            before = _grade_text(d.get("previous_grade"), d.get("previous_not_applicable"))
            j.grade, j.not_applicable = d.get("grade"), bool(d.get("not_applicable"))
            after = _grade_text(j.grade, j.not_applicable)
            change = f"{cid}: graded {after}" if before == "-" else f"{cid}: {before} → {after}, a change of mind"
            blind = f"{cid}: graded" if before == "-" else f"{cid}: changed the grade, a change of mind"
        elif action == "note_set":
            judgements.setdefault(cid, Judgement(cid)).note = d.get("note", "")
            change = f"{cid}: note {'changed' if d.get('previous_note') else 'written'}"
        elif action == "evidence_added":
            evidence.append(Evidence(d.get("evidence_id", 0), cid, d.get("section"), d.get("page"), d.get("quote", "")))
            change = f"{cid}: kept evidence from page {d.get('page')}"
        elif action == "evidence_edited":
            evidence = _with_quote(evidence, d.get("evidence_id"), d.get("quote", ""))
            change = f"{cid}: edited the evidence from page {_page_text(d, evidence)}"
        elif action == "evidence_deleted":
            evidence = [x for x in evidence if x.id != d.get("evidence_id")]
            change = f"{cid}: deleted the evidence from page {d.get('page') or '?'}"
        elif action == "undone":
            target = by_id.get(d.get("event_id"), {})
            td = target.get("detail", {})
            j = judgements.setdefault(cid, Judgement(cid))
            what = target.get("action")
            if what == "grade_set":
                j.grade, j.not_applicable = td.get("previous_grade"), bool(td.get("previous_not_applicable"))
                back = _grade_text(j.grade, j.not_applicable)
                change = (f"{cid}: took back the grade {_grade_text(td.get('grade'), td.get('not_applicable'))} "
                          f"({'now not graded' if back == '-' else f'back to {back}'})")
            elif what == "note_set":
                j.note = td.get("previous_note", "")
                change = f"{cid}: took back the change to the note"
            elif what == "evidence_added":
                evidence = [x for x in evidence if x.id != td.get("evidence_id")]
                change = f"{cid}: took back the evidence from page {td.get('page') or '?'}"
            elif what == "evidence_edited":
                evidence = _with_quote(evidence, td.get("evidence_id"), td.get("previous_quote", ""))
                change = f"{cid}: took back the edit to the evidence"
            elif what == "evidence_deleted":
                evidence.append(Evidence(td.get("evidence_id", 0), cid, td.get("section"), td.get("page"), td.get("quote", "")))
                evidence.sort(key=lambda x: x.id)
                change = f"{cid}: put back the deleted evidence from page {td.get('page') or '?'}"
            else:
                change = f"{cid}: took back the last change"
        elif action == "submitted":
            change = f"submitted: overall {d.get('overall_grade')}"
            blind = "submitted"
        elif action == "reopened":
            change = f"reopened: {d.get('reason', '')}"
        elif action == "imported":
            # A spreadsheet audit has no step-by-step record: all its grades arrive at once.
            for icid, g in (d.get("grades") or {}).items():
                judgements[icid] = Judgement(icid, None if g == "NA" else g, g == "NA")
            change = f"imported from {d.get('source', 'a spreadsheet')}: no step-by-step record"
        states.append(ReplayState(e, criterion, sections, _copy(judgements), list(evidence), change, blind or change))
    return states


# Everything in an event's detail that tells a grade (or the note that explains it).
GRADE_KEYS = ("grade", "previous_grade", "not_applicable", "previous_not_applicable", "overall_grade", "area_grades",
              "grades", "note", "previous_note")
HIDDEN = "hidden"


def without_grades(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The event log with every grade, derived grade and note replaced by "hidden" (replay --hide-grades)."""
    out = []
    for e in events:
        detail = {k: (HIDDEN if k in GRADE_KEYS else v) for k, v in e["detail"].items()}
        out.append({**e, "detail": detail})
    return out


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def time_per_criterion(events: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds spent on each criterion: from each event to the next, credited to the criterion in hand."""
    spent: dict[str, float] = {}
    criterion = None
    for e, nxt in zip(events, events[1:]):
        criterion = e["criterion"] or criterion
        if criterion and e["action"] not in ("submitted", "reopened"):
            gap = (_at(nxt["at"]) - _at(e["at"])).total_seconds()
            # A gap of over ten minutes is a break, not thinking time.
            spent[criterion] = spent.get(criterion, 0.0) + min(max(gap, 0.0), 600.0)
    return spent


def _with_quote(evidence: list[Evidence], evidence_id: int, quote: str) -> list[Evidence]:
    """The evidence list with one item's quote replaced (an edit, or taking an edit back)."""
    return [Evidence(x.id, x.criterion_id, x.section_code, x.page_number, quote) if x.id == evidence_id else x
            for x in evidence]
