"""Reviewers' corrections of a plan's sections: lines moved between sections, or in from the set-aside
lines, each logged with what it changed so it can be undone. Every line stays in exactly one place."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ehcaudit.errors import EhcauditError, NotFound
from ehcaudit.sections.codes import SECTION_CODES
from ehcaudit.sections.view_lines import locate_section, merge_in_page_order
from ehcaudit.store.db import Database, now, transaction
from ehcaudit.store.events import Action, Event, append_event


_SECTION_COLS = "code, heading, score, page_start, page_end, text, source, corrected_by, corrected_at"


def restore_set_aside(db: Database, plan_id: int, set_aside_id: int, code: str, *, reviewer: str) -> str:
    """Move one set-aside line into a section, where it was printed among the section's lines.

    Stored and logged as a section correction, so `undo_section_correction` takes it back.
    """
    at = now()
    with transaction(db) as conn:
        row = conn.execute("SELECT page_number, place, text, restored_to FROM set_aside_lines WHERE id = ? AND plan_id = ?",
                           [set_aside_id, plan_id]).fetchone()
        if row is None:
            raise NotFound(f"no set-aside line {set_aside_id} in this plan")
        page, place, line, restored_to = row
        if restored_to:
            raise EhcauditError(f"that line is already in section {restored_to}")
        found = conn.execute(f"SELECT {_SECTION_COLS} FROM sections WHERE plan_id = ? AND code = ?", [plan_id, code]).fetchone()
        before = dict(zip(_SECTION_COLS.split(", "), found)) if found else None
        pages = [r[0] for r in conn.execute("SELECT text FROM pages WHERE plan_id = ? ORDER BY page_number", [plan_id])]
        if before:
            text = merge_in_page_order(before["heading"], before["text"], before["page_start"], before["page_end"], pages,
                                       [(page, place, line)])
            heading, start, end = before["heading"], min(before["page_start"], page), max(before["page_end"], page)
        else:
            text, heading, start, end = "", line, page, page  # a section not found: the line becomes its heading
        _write_corrected(conn, plan_id, code, heading, start, end, text, reviewer, at)
        conn.execute("UPDATE set_aside_lines SET restored_to = ? WHERE id = ?", [code, set_aside_id])
        append_event(conn, Event(Action.SECTION_CORRECTED, reviewer, plan_id=plan_id, at=at, detail={
            "code": code, "page_start": start, "page_end": end, "previous": {code: before},
            "set_aside_id": set_aside_id}))
    return f"the set-aside line on page {page} is now in section {code}; u undoes"


@dataclass(frozen=True)
class LineRef:
    """One line of a section's stored text, as the reviewer saw it: which section, which line (from 0), what it says."""

    section: str
    row: int
    text: str


@dataclass(frozen=True)
class MovedLines:
    code: str
    sources: list[str]  # the sections the lines left, in plan order
    created: bool  # the section was not in the plan: the lines made it (the first is its heading)


def move_lines_into_section(db: Database, plan_id: int, code: str, lines: Sequence[LineRef], *,
                            reviewer: str) -> MovedLines:
    """Move lines of the plan's sections into section `code`, where they were printed among its own lines.

    Each line leaves the section it was in, and the target keeps everything it had, so every line of
    the plan is still in exactly one place. A target the plan did not have is made of the lines, the
    first its heading. Lines already in the target stay where they are. Logged as a section
    correction with what every changed section held before, so `undo_section_correction` puts it back.
    """
    at = now()
    with transaction(db) as conn:
        before = {r[0]: dict(zip(_SECTION_COLS.split(", "), r)) for r in conn.execute(
            f"SELECT {_SECTION_COLS} FROM sections WHERE plan_id = ?", [plan_id])}
        wanted: dict[str, set[int]] = {}
        for ref in lines:
            rows = before[ref.section]["text"].splitlines() if ref.section in before else []
            if not 0 <= ref.row < len(rows) or rows[ref.row] != ref.text:
                raise EhcauditError(f"section {ref.section} has changed since it was shown; v shows it again, "
                                    "then select the lines again")
            if ref.section != code:
                wanted.setdefault(ref.section, set()).add(ref.row)
        if not wanted:
            raise EhcauditError(f"the selected lines are already in section {code}")
        pages = [r[0] for r in conn.execute("SELECT text FROM pages WHERE plan_id = ? ORDER BY page_number", [plan_id])]
        sources = sorted(wanted, key=lambda c: (before[c]["page_start"], SECTION_CODES.index(c) if c in SECTION_CODES else 99))
        moving: list[tuple[int, int | None, str]] = []  # (page, place, text) of each line, in plan order
        for source in sources:
            row = before[source]
            rows = row["text"].splitlines()
            printed = locate_section(row["heading"], row["text"], row["page_start"], row["page_end"], pages).rows
            for i in sorted(wanted[source]):
                page, place = printed[i] or (row["page_start"], None)
                moving.append((page, place, rows[i]))
            kept = [ln for i, ln in enumerate(rows) if i not in wanted[source]]
            conn.execute("UPDATE sections SET text = ? WHERE plan_id = ? AND code = ?", [chr(10).join(kept), plan_id, source])
        moved_pages = [page for page, _, _ in moving]
        target = before.get(code)
        if target:
            text = merge_in_page_order(target["heading"], target["text"], target["page_start"], target["page_end"], pages, moving)
            heading = target["heading"]
            start, end = min(target["page_start"], *moved_pages), max(target["page_end"], *moved_pages)
        else:
            if all(place is not None for _, place, _ in moving):
                moving.sort(key=lambda m: (m[0], m[1]))
            heading, text = moving[0][2], "\n".join(ln for _, _, ln in moving[1:])
            start, end = min(moved_pages), max(moved_pages)
        _write_corrected(conn, plan_id, code, heading, start, end, text, reviewer, at)
        previous = {c: before.get(c) for c in [code, *sources]}
        append_event(conn, Event(Action.SECTION_CORRECTED, reviewer, plan_id=plan_id, at=at, detail={
            "code": code, "page_start": start, "page_end": end, "previous": previous,
            "moved": len(moving), "from": sources}))
    return MovedLines(code, sources, created=target is None)


def _write_corrected(conn: sqlite3.Connection, plan_id: int, code: str, heading: str, page_start: int, page_end: int,
                     text: str, reviewer: str, at: str) -> None:
    """The section as a reviewer corrected it (score 100, source 'corrected'), new or replacing the found one."""
    conn.execute(
        """INSERT INTO sections (plan_id, code, heading, score, page_start, page_end, text, source, corrected_by, corrected_at)
           VALUES (?, ?, ?, 100, ?, ?, ?, 'corrected', ?, ?)
           ON CONFLICT(plan_id, code) DO UPDATE SET heading = excluded.heading, score = 100,
             page_start = excluded.page_start, page_end = excluded.page_end, text = excluded.text,
             source = 'corrected', corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at""",
        [plan_id, code, heading, page_start, page_end, text, reviewer, at],
    )


def last_section_correction(db: Database, plan_id: int, reviewer: str) -> int | None:
    """The event id of the reviewer's last correction of this plan's sections not yet undone, if any."""
    rows = db.execute(
        "SELECT id FROM events WHERE plan_id = ? AND actor = ? AND action = ? ORDER BY id DESC",
        [plan_id, reviewer, Action.SECTION_CORRECTED],
    ).fetchall()
    undone = {json.loads(d)["event_id"] for (d,) in db.execute(
        "SELECT detail FROM events WHERE plan_id = ? AND action = ?", [plan_id, Action.SECTION_CORRECTION_UNDONE])}
    return next((r[0] for r in rows if r[0] not in undone), None)


def undo_section_correction(db: Database, plan_id: int, reviewer: str) -> str | None:
    """Put back every section the reviewer's last correction changed; a line saying what, or None."""
    event_id = last_section_correction(db, plan_id, reviewer)
    if event_id is None:
        return None
    with transaction(db) as conn:
        detail = json.loads(conn.execute("SELECT detail FROM events WHERE id = ?", [event_id]).fetchone()[0])
        if detail.get("set_aside_id"):
            conn.execute("UPDATE set_aside_lines SET restored_to = NULL WHERE id = ?", [detail["set_aside_id"]])
        for code, row in (detail.get("previous") or {}).items():
            if row is None:
                conn.execute("DELETE FROM sections WHERE plan_id = ? AND code = ?", [plan_id, code])
                continue
            conn.execute(
                """INSERT INTO sections (plan_id, code, heading, score, page_start, page_end, text, source, corrected_by, corrected_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(plan_id, code) DO UPDATE SET heading = excluded.heading, score = excluded.score,
                     page_start = excluded.page_start, page_end = excluded.page_end, text = excluded.text,
                     source = excluded.source, corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at""",
                [plan_id, code, row["heading"], row["score"], row["page_start"], row["page_end"], row["text"],
                 row["source"], row["corrected_by"], row["corrected_at"]],
            )
        append_event(conn, Event(Action.SECTION_CORRECTION_UNDONE, reviewer, plan_id=plan_id,
                                 detail={"event_id": event_id, "code": detail["code"]}))
    return f"undid the correction of section {detail['code']}"
