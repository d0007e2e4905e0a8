"""An audit rebuilt from its event log alone: the one derivation that replay and the rebuild check share.

The judgements and evidence tables are kept for speed; folding the log with `apply_event` gives the
same judgements, evidence and status, step by step (replay) or all at once (`derive`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ehcaudit.audit.model import Evidence, Judgement
from ehcaudit.store.events import Action

IN_PROGRESS, SUBMITTED, DISCARDED = "in_progress", "submitted", "discarded"


@dataclass
class AuditState:
    """What an audit holds after some of its events: judgements, evidence (by id order) and status."""

    judgements: dict[str, Judgement] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    status: str = IN_PROGRESS  # in_progress, submitted or discarded
    overall_grade: int | None = None  # as worked out when it was submitted
    reopened: list[str] = field(default_factory=list)  # the reason given at each reopening

    def copy(self) -> AuditState:
        return AuditState({k: Judgement(v.criterion_id, v.grade, v.not_applicable, v.note) for k, v in self.judgements.items()},
                          list(self.evidence), self.status, self.overall_grade, list(self.reopened))


def _judgement(state: AuditState, cid: str) -> Judgement:
    return state.judgements.setdefault(cid, Judgement(cid))


def _evidence(d: dict[str, Any], cid: str) -> Evidence:
    return Evidence(d.get("evidence_id", 0), cid, d.get("section"), d.get("page"), d.get("quote", ""))


def with_quote(evidence: list[Evidence], evidence_id: Any, quote: str) -> list[Evidence]:
    """The evidence list with one item's quote replaced (an edit, or taking an edit back)."""
    return [Evidence(x.id, x.criterion_id, x.section_code, x.page_number, quote) if x.id == evidence_id else x
            for x in evidence]


def _undo(state: AuditState, target: dict[str, Any]) -> None:
    """Reverse one grade, note or evidence change, exactly as store.audits.undo does to the tables."""
    what, cid, td = target.get("action"), target.get("criterion") or "", target.get("detail", {})
    if what == Action.GRADE_SET:
        j = _judgement(state, cid)
        j.grade, j.not_applicable = td.get("previous_grade"), bool(td.get("previous_not_applicable"))
    elif what == Action.NOTE_SET:
        _judgement(state, cid).note = td.get("previous_note", "")
    elif what == Action.EVIDENCE_ADDED:
        state.evidence = [x for x in state.evidence if x.id != td.get("evidence_id")]
    elif what == Action.EVIDENCE_EDITED:
        state.evidence = with_quote(state.evidence, td.get("evidence_id"), td.get("previous_quote", ""))
    elif what == Action.EVIDENCE_DELETED:
        state.evidence = sorted([*state.evidence, _evidence(td, cid)], key=lambda x: x.id)


def apply_event(state: AuditState, event: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> None:
    """Change the state as one event (a dict from store.audits.audit_events) changed the audit.

    `by_id` finds the event an undo refers to. Events that change nothing (views, start) are ignored.
    """
    action, cid, d = event["action"], event["criterion"], event["detail"]
    if action == Action.GRADE_SET:
        j = _judgement(state, cid)
        j.grade, j.not_applicable = d.get("grade"), bool(d.get("not_applicable"))
    elif action == Action.NOTE_SET:
        _judgement(state, cid).note = d.get("note", "")
    elif action == Action.EVIDENCE_ADDED:
        state.evidence.append(_evidence(d, cid))
    elif action == Action.EVIDENCE_EDITED:
        state.evidence = with_quote(state.evidence, d.get("evidence_id"), d.get("quote", ""))
    elif action == Action.EVIDENCE_DELETED:
        state.evidence = [x for x in state.evidence if x.id != d.get("evidence_id")]
    elif action == Action.UNDONE:
        _undo(state, by_id.get(d.get("event_id"), {}))
    elif action == Action.SUBMITTED:
        state.status, state.overall_grade = SUBMITTED, d.get("overall_grade")
    elif action == Action.REOPENED:
        state.status, state.overall_grade = IN_PROGRESS, None
        state.reopened.append(d.get("reason", ""))
    elif action == Action.DISCARDED:
        # Its grades, notes and evidence go; the log keeps what they were.
        state.status, state.judgements, state.evidence = DISCARDED, {}, []
    elif action == Action.IMPORTED:
        # A spreadsheet audit has no step-by-step record: all its grades arrive at once.
        notes = d.get("notes") or {}
        for icid, g in (d.get("grades") or {}).items():
            state.judgements[icid] = Judgement(icid, None if g == "NA" else g, g == "NA", notes.get(icid) or "")
        state.status = d.get("status") or SUBMITTED
        state.overall_grade = d.get("overall_grade")


def derive(events: list[dict[str, Any]]) -> AuditState:
    """The audit's state after all its events."""
    state = AuditState()
    by_id = {e["id"]: e for e in events}
    for e in events:
        apply_event(state, e, by_id)
    return state
