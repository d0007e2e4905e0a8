"""Pre-check hints kept per plan (worked out at import, or when first asked for after its sections change),
and reviewers marking a hint wrong (an event, so the project learns how often each kind is right)."""

from __future__ import annotations

from typing import Any

import json
from collections.abc import Collection

from ehcaudit.checks import Hint, check_sections
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_event
from ehcaudit.store.plans import plan_pages, plan_sections

HINT_WRONG = Action.HINT_MARKED_WRONG


def _hint(d: dict[str, Any]) -> Hint:
    return Hint(d["kind"], d["section"], int(d["page"]), d["quote"], d["message"], d.get("suggestion"))


def store_hints(db: Database, plan_id: int, hints: list[Hint]) -> None:
    store_many_hints(db, [(plan_id, hints)])


def store_many_hints(db: Database, batch: list[tuple[int, list[Hint]]]) -> None:
    """Several plans' hints in one transaction (an import stores them in batches; a plan left out is
    worked out when first asked for)."""
    if not batch:
        return
    at = now()
    with transaction(db) as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO plan_hints (plan_id, hints, checked_at) VALUES (?, ?, ?)",
            [(pid, json.dumps([h.to_dict() for h in hints], ensure_ascii=False), at) for pid, hints in batch],
        )


def plan_hints(db: Database, plan_id: int) -> list[Hint]:
    """The plan's hints from its current sections (copying aside: that needs the whole sample)."""
    row = db.execute("SELECT hints FROM plan_hints WHERE plan_id = ?", [plan_id]).fetchone()
    if row is not None:
        return [_hint(d) for d in json.loads(row[0])]
    hints = check_sections(list(plan_sections(db, plan_id).values()), plan_pages(db, plan_id))
    store_hints(db, plan_id, hints)
    return hints


def mark_hint_wrong(db: Database, plan_id: int, hint: Hint, reviewer: str,
                    audit_id: int | None = None, criterion_id: str | None = None) -> None:
    """Log that a reviewer found a hint wrong; it never touches a grade."""
    detail = {"kind": hint.kind, "section": hint.section, "page": hint.page, "quote": hint.quote}
    with transaction(db) as conn:
        append_event(conn, Event(HINT_WRONG, reviewer, audit_id, plan_id, criterion_id, detail))


def hints_marked_wrong(db: Database, plan_ids: Collection[int] | None = None) -> dict[str, int]:
    """Kind -> how many times reviewers marked a hint of that kind wrong."""
    out: dict[str, int] = {}
    for plan_id, detail in db.execute("SELECT plan_id, detail FROM events WHERE action = ?", [HINT_WRONG]):
        if plan_ids is None or plan_id in plan_ids:
            kind = json.loads(detail).get("kind", "?")
            out[kind] = out.get(kind, 0) + 1
    return out


def wrong_quotes(db: Database, plan_id: int) -> set[tuple[str, str]]:
    """(kind, quote) of the plan's hints someone has marked wrong."""
    rows = db.execute("SELECT detail FROM events WHERE action = ? AND plan_id = ?", [HINT_WRONG, plan_id]).fetchall()
    return {(d.get("kind", ""), d.get("quote", "")) for d in (json.loads(r[0]) for r in rows)}
