"""Replay an audit from its event log: the state after every step, and time spent per criterion."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from datetime import datetime

from ehcaudit.audit.history import AuditState, apply_event
from ehcaudit.audit.model import Evidence, Judgement
from ehcaudit.store.events import Action


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


def _grade_text(grade: int | None, na: bool | None) -> str:
    return "N/A" if na else ("-" if grade is None else str(grade))


def _page_text(detail: dict[str, Any], evidence: list[Evidence]) -> str:
    page = next((x.page_number for x in evidence if x.id == detail.get("evidence_id")), None)
    return str(page) if page else "?"


def _undo_change(cid: str | None, target: dict[str, Any]) -> str:
    what, td = target.get("action"), target.get("detail", {})
    if what == Action.GRADE_SET:
        back = _grade_text(td.get("previous_grade"), td.get("previous_not_applicable"))
        return (f"{cid}: took back the grade {_grade_text(td.get('grade'), td.get('not_applicable'))} "
                f"({'now not graded' if back == '-' else f'back to {back}'})")
    if what == Action.NOTE_SET:
        return f"{cid}: took back the change to the note"
    if what == Action.EVIDENCE_ADDED:
        return f"{cid}: took back the evidence from page {td.get('page') or '?'}"
    if what == Action.EVIDENCE_EDITED:
        return f"{cid}: took back the edit to the evidence"
    if what == Action.EVIDENCE_DELETED:
        return f"{cid}: put back the deleted evidence from page {td.get('page') or '?'}"
    return f"{cid}: took back the last change"


def _change(e: dict[str, Any], by_id: dict[int, dict[str, Any]], evidence: list[Evidence]) -> tuple[str, str]:
    """(what one event did in words, the same without grades); "" for the second means the same."""
    action, cid, d = e["action"], e["criterion"], e["detail"]
    if action == Action.AUDIT_STARTED:
        return f"started the audit ({d.get('rubric_id', '')} {d.get('rubric_version', '')})", ""
    if action in (Action.CRITERION_VIEWED, Action.SECTION_VIEWED):
        sections = list(d.get("sections") or [])
        return (f"looked at section{'s' if len(sections) > 1 else ''} {' '.join(sections)}" if sections
                else f"moved to {cid}"), ""
    if action == Action.GRADE_SET:
        before = _grade_text(d.get("previous_grade"), d.get("previous_not_applicable"))
        after = _grade_text(d.get("grade"), bool(d.get("not_applicable")))
        if before == "-":
            return f"{cid}: graded {after}", f"{cid}: graded"
        return f"{cid}: {before} → {after}, a change of mind", f"{cid}: changed the grade, a change of mind"
    if action == Action.NOTE_SET:
        return f"{cid}: note {'changed' if d.get('previous_note') else 'written'}", ""
    if action == Action.EVIDENCE_ADDED:
        return f"{cid}: kept evidence from page {d.get('page')}", ""
    if action == Action.EVIDENCE_EDITED:
        return f"{cid}: edited the evidence from page {_page_text(d, evidence)}", ""
    if action == Action.EVIDENCE_DELETED:
        return f"{cid}: deleted the evidence from page {d.get('page') or '?'}", ""
    if action == Action.UNDONE:
        return _undo_change(cid, by_id.get(d.get("event_id"), {})), ""
    if action == Action.SUBMITTED:
        return f"submitted: overall {d.get('overall_grade')}", "submitted"
    if action == Action.REOPENED:
        return f"reopened: {d.get('reason', '')}", ""
    if action == Action.IMPORTED:
        return f"imported from {d.get('source', 'a spreadsheet')}: no step-by-step record", ""
    return "", ""


def replay_states(events: list[dict[str, Any]]) -> list[ReplayState]:
    """One state per event, in order, rebuilt only from the log (the same fold as audit.history.derive)."""
    states: list[ReplayState] = []
    state = AuditState()
    criterion: str | None = None
    sections: list[str] = []
    by_id = {e["id"]: e for e in events}
    for e in events:
        if e["criterion"]:
            criterion = e["criterion"]
        if e["action"] in (Action.CRITERION_VIEWED, Action.SECTION_VIEWED):
            sections = list(e["detail"].get("sections") or [])
        apply_event(state, e, by_id)
        change, blind = _change(e, by_id, state.evidence)
        snapshot = state.copy()
        states.append(ReplayState(e, criterion, sections, snapshot.judgements, snapshot.evidence, change, blind or change))
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
        if criterion and e["action"] not in (Action.SUBMITTED, Action.REOPENED):
            gap = (_at(nxt["at"]) - _at(e["at"])).total_seconds()
            # A gap of over ten minutes is a break, not thinking time.
            spent[criterion] = spent.get(criterion, 0.0) + min(max(gap, 0.0), 600.0)
    return spent
