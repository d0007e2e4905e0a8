"""Audits: grades, notes and evidence, each action one transaction plus one event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import json
import sqlite3

from ehcaudit.audit.history import AuditState, derive
from ehcaudit.audit.model import Audit, Evidence, Judgement
from ehcaudit.errors import AuditError, EhcauditError, NotFound
from ehcaudit.store.db import Database, inserted_id, now, transaction
from ehcaudit.store.events import Action, Event, append_event

if TYPE_CHECKING:  # the plan list's statuses need no rubric: it is read when an audit opens
    from ehcaudit.rubric import Rubric

UNDOABLE = (Action.GRADE_SET, Action.NOTE_SET, Action.EVIDENCE_ADDED, Action.EVIDENCE_EDITED, Action.EVIDENCE_DELETED)


def register_rubric(db: Database, rubric: Rubric) -> str:
    """Store the rubric's exact text under its content hash (once)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO rubrics (sha256, rubric_id, version, title, source, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
            [rubric.sha256, rubric.id, rubric.version, rubric.title, rubric.source, now()],
        )
    return rubric.sha256


def _event(conn: sqlite3.Connection, audit_id: int, plan_id: int, actor: str, action: Action,
           criterion_id: str | None = None, **detail: object) -> int:
    return append_event(conn, Event(action, actor, audit_id, plan_id, criterion_id, detail))


def find_audit(db: Database, plan_id: int, reviewer: str, rubric_sha256: str, kind: str = "review") -> int | None:
    row = db.execute(
        "SELECT id FROM audits WHERE plan_id = ? AND reviewer = ? AND rubric_sha256 = ? AND kind = ? AND discarded_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        [plan_id, reviewer, rubric_sha256, kind],
    ).fetchone()
    return row[0] if row else None


def insert_audit(conn: sqlite3.Connection, plan_id: int, reviewer: str, rubric_sha256: str, current_criterion: str, at: str, *,
                 kind: str = "review", session_id: int | None = None, submitted: bool = False,
                 overall_grade: int | None = None) -> int:
    """One row of audits inside the caller's transaction (in progress, unless submitted at `at`); its id."""
    cur = conn.execute(
        "INSERT INTO audits (plan_id, reviewer, rubric_sha256, kind, status, current_criterion, started_at, updated_at,"
        " submitted_at, overall_grade, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [plan_id, reviewer, rubric_sha256, kind, "submitted" if submitted else "in_progress", current_criterion, at, at,
         at if submitted else None, overall_grade, session_id],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def open_audit(db: Database, plan_id: int, reviewer: str, rubric: Rubric, kind: str = "review",
               session_id: int | None = None) -> Audit:
    """This reviewer's audit of the plan against this rubric, started if new, else resumed.

    A training audit belongs to its calibration session: one per trainee per session.
    """
    sha = register_rubric(db, rubric)
    if session_id is None:
        audit_id = find_audit(db, plan_id, reviewer, sha, kind)
    else:
        row = db.execute("SELECT id FROM audits WHERE session_id = ? AND reviewer = ? AND kind = ? AND discarded_at IS NULL",
                         [session_id, reviewer, kind]).fetchone()
        audit_id = row[0] if row else None
    if audit_id is None:
        at = now()
        with transaction(db) as conn:
            audit_id = insert_audit(conn, plan_id, reviewer, sha, rubric.criteria[0].id, at, kind=kind, session_id=session_id)
            in_session = {} if session_id is None else {"session_id": session_id}
            _event(conn, audit_id, plan_id, reviewer, Action.AUDIT_STARTED, rubric.criteria[0].id,
                   rubric_id=rubric.id, rubric_version=rubric.version, kind=kind, **in_session)
    return load_audit(db, audit_id)


def load_audit(db: Database, audit_id: int) -> Audit:
    row = next(db.query(
        "SELECT id, plan_id, reviewer, rubric_sha256, kind, status, current_criterion, submitted_at FROM audits WHERE id = ?",
        [audit_id],
    ), None)
    if row is None:
        raise NotFound(f"no audit {audit_id} in this database")
    audit = Audit(**row)
    for r in db.query("SELECT criterion_id, grade, not_applicable, note FROM judgements WHERE audit_id = ?", [audit_id]):
        audit.judgements[r["criterion_id"]] = Judgement(r["criterion_id"], r["grade"], bool(r["not_applicable"]), r["note"] or "")
    audit.evidence = [
        Evidence(**r)
        for r in db.query(
            "SELECT id, criterion_id, section_code, page_number, quote FROM evidence WHERE audit_id = ? ORDER BY id", [audit_id]
        )
    ]
    return audit


def _editable(conn: sqlite3.Connection, audit_id: int) -> tuple[int, str]:
    row = conn.execute("SELECT plan_id, status, discarded_at FROM audits WHERE id = ?", [audit_id]).fetchone()
    if row is None:
        raise NotFound(f"no audit {audit_id} in this database")
    if row[2]:
        raise AuditError("this audit was discarded; open the plan again to start a new one")
    if row[1] == "submitted":
        raise AuditError("this audit is submitted and read-only; reopen it with a reason to change it")
    return row[0], row[1]


def _current(conn: sqlite3.Connection, audit_id: int, criterion_id: str) -> tuple[int | None, bool, str]:
    row = conn.execute(
        "SELECT grade, not_applicable, note FROM judgements WHERE audit_id = ? AND criterion_id = ?", [audit_id, criterion_id]
    ).fetchone()
    return (row[0], bool(row[1]), row[2] or "") if row else (None, False, "")


# One judgement (audit, criterion, grade, not applicable, note, updated at), new or replacing the last.
JUDGEMENT_UPSERT = """INSERT INTO judgements (audit_id, criterion_id, grade, not_applicable, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(audit_id, criterion_id) DO UPDATE SET grade = excluded.grade,
             not_applicable = excluded.not_applicable, note = excluded.note, updated_at = excluded.updated_at"""


def _write_judgement(conn: sqlite3.Connection, audit_id: int, criterion_id: str, grade: int | None, na: bool, note: str, at: str) -> None:
    conn.execute(JUDGEMENT_UPSERT, [audit_id, criterion_id, grade, int(na), note, at])
    conn.execute("UPDATE audits SET updated_at = ?, current_criterion = ? WHERE id = ?", [at, criterion_id, audit_id])


def set_grade(db: Database, audit_id: int, rubric: Rubric, criterion_id: str, grade: int | None, actor: str) -> None:
    """Grade a criterion (None = N/A, only where the rubric allows it)."""
    rubric.check_grade(criterion_id, grade)
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        old_grade, old_na, note = _current(conn, audit_id, criterion_id)
        at = now()
        _write_judgement(conn, audit_id, criterion_id, grade, grade is None, note, at)
        _event(conn, audit_id, plan_id, actor, Action.GRADE_SET, criterion_id,
               grade=grade, not_applicable=grade is None, previous_grade=old_grade, previous_not_applicable=old_na)


def set_note(db: Database, audit_id: int, criterion_id: str, note: str, actor: str) -> None:
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        grade, na, old_note = _current(conn, audit_id, criterion_id)
        _write_judgement(conn, audit_id, criterion_id, grade, na, note, now())
        _event(conn, audit_id, plan_id, actor, Action.NOTE_SET, criterion_id, note=note, previous_note=old_note)


def add_evidence(db: Database, audit_id: int, criterion_id: str, quote: str,
                 section_code: str | None, page_number: int | None, actor: str) -> int:
    """Keep a quotation from the plan as evidence for a criterion."""
    return keep_quotes(db, audit_id, criterion_id, [(quote, section_code, page_number)], actor)[0]


def keep_quotes(db: Database, audit_id: int, criterion_id: str, quotes: list[tuple[str, str | None, int | None]],
                actor: str) -> list[int]:
    """Keep several quotations (quote, section, page) at once, as one keypress does: one transaction, and one
    undo takes them all back (their events share a batch, the first quote's evidence id)."""
    ids: list[int] = []
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        at = now()
        for quote, section_code, page_number in quotes:
            cur = conn.execute(
                "INSERT INTO evidence (audit_id, criterion_id, section_code, page_number, quote, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [audit_id, criterion_id, section_code, page_number, quote, at],
            )
            ids.append(inserted_id(cur))
            batch = {"batch": ids[0]} if len(quotes) > 1 else {}
            _event(conn, audit_id, plan_id, actor, Action.EVIDENCE_ADDED, criterion_id,
                   evidence_id=ids[-1], section=section_code, page=page_number, quote=quote, **batch)
        conn.execute("UPDATE audits SET updated_at = ?, current_criterion = ? WHERE id = ?", [at, criterion_id, audit_id])
    return ids


def _evidence_row(conn: sqlite3.Connection, audit_id: int, evidence_id: int) -> tuple[Any, ...]:
    row: tuple[Any, ...] | None = conn.execute(
        "SELECT criterion_id, section_code, page_number, quote, created_at FROM evidence WHERE id = ? AND audit_id = ?",
        [evidence_id, audit_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no evidence {evidence_id} in this audit (already deleted?)")
    return row


def edit_evidence(db: Database, audit_id: int, evidence_id: int, quote: str, actor: str) -> None:
    """Change the words of a kept quotation (trimmed to what matters); logged and undoable."""
    quote = quote.strip()
    if not quote:
        raise AuditError("a quotation cannot be empty; delete it instead (d)")
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        cid, _section, _page, old, _at = _evidence_row(conn, audit_id, evidence_id)
        conn.execute("UPDATE evidence SET quote = ? WHERE id = ?", [quote, evidence_id])
        _event(conn, audit_id, plan_id, actor, Action.EVIDENCE_EDITED, cid, evidence_id=evidence_id, quote=quote, previous_quote=old)


def delete_evidence(db: Database, audit_id: int, evidence_id: int, actor: str) -> None:
    """Remove a kept quotation; the event keeps all of it so undo can put it back."""
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        cid, section, page, quote, created = _evidence_row(conn, audit_id, evidence_id)
        conn.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])
        _event(conn, audit_id, plan_id, actor, Action.EVIDENCE_DELETED, cid, evidence_id=evidence_id,
               section=section, page=page, quote=quote, created_at=created)


def record_view(db: Database, audit_id: int, criterion_id: str, actor: str,
                sections: list[str] | None = None, action: Action = Action.CRITERION_VIEWED) -> None:
    """Remember where the reviewer is (resume) and what they looked at (replay)."""
    with transaction(db) as conn:
        row = conn.execute("SELECT plan_id, status FROM audits WHERE id = ?", [audit_id]).fetchone()
        if row is None or row[1] == "submitted":
            return
        conn.execute("UPDATE audits SET current_criterion = ? WHERE id = ?", [criterion_id, audit_id])
        _event(conn, audit_id, row[0], actor, action, criterion_id, sections=sections or [])


def _pending(conn: sqlite3.Connection | Database, audit_id: int) -> list[tuple[Any, ...]]:
    """The audit's undoable events not yet undone, newest first: (id, action, criterion, detail)."""
    undone = {json.loads(d)["event_id"] for (d,) in conn.execute(
        "SELECT detail FROM events WHERE audit_id = ? AND action = ?", [audit_id, Action.UNDONE])}
    rows = conn.execute(
        f"SELECT id, action, criterion_id, detail FROM events WHERE audit_id = ? AND action IN ({','.join('?' * len(UNDOABLE))})"
        " ORDER BY id DESC",
        [audit_id, *UNDOABLE],
    ).fetchall()
    return [r for r in rows if r[0] not in undone]


def last_undoable_event(db: Database, audit_id: int) -> int | None:
    """The id of the event `undo` would reverse next, if any."""
    pending = _pending(db, audit_id)
    return pending[0][0] if pending else None


def undo(db: Database, audit_id: int, actor: str) -> str | None:
    """Reverse the last grade, note or evidence change not yet undone; a line saying what, or None."""
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        rows = _pending(conn, audit_id)
        if not rows:
            return None
        target = rows[0]
        event_id, action, cid, detail = target[0], target[1], target[2], json.loads(target[3])
        grade, na, note = _current(conn, audit_id, cid)
        at = now()
        if action == Action.GRADE_SET:
            _write_judgement(conn, audit_id, cid, detail["previous_grade"], detail["previous_not_applicable"], note, at)
            what = f"grade for {cid}"
        elif action == Action.NOTE_SET:
            _write_judgement(conn, audit_id, cid, grade, na, detail["previous_note"], at)
            what = f"note for {cid}"
        elif action == Action.EVIDENCE_ADDED:
            together = [r for r in rows[1:] if r[1] == Action.EVIDENCE_ADDED and detail.get("batch") is not None
                        and json.loads(r[3]).get("batch") == detail["batch"]]
            for other in together:  # quotes kept with one keypress go back with one undo
                conn.execute("DELETE FROM evidence WHERE id = ?", [json.loads(other[3])["evidence_id"]])
                _event(conn, audit_id, plan_id, actor, Action.UNDONE, cid, event_id=other[0], undone_action=action)
            conn.execute("DELETE FROM evidence WHERE id = ?", [detail["evidence_id"]])
            what = f"{len(together) + 1} quotes kept for {cid}" if together else f"evidence for {cid}"
        elif action == Action.EVIDENCE_EDITED:
            conn.execute("UPDATE evidence SET quote = ? WHERE id = ?", [detail["previous_quote"], detail["evidence_id"]])
            what = f"edit of the evidence for {cid}"
        else:  # evidence_deleted: put the quotation back under its old id
            conn.execute(
                "INSERT INTO evidence (id, audit_id, criterion_id, section_code, page_number, quote, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [detail["evidence_id"], audit_id, cid, detail.get("section"), detail.get("page"), detail["quote"], detail.get("created_at") or at],
            )
            what = f"deletion of the evidence for {cid}"
        _event(conn, audit_id, plan_id, actor, Action.UNDONE, cid, event_id=event_id, undone_action=action)
        return f"undid the {what}"


def missing_for_submit(audit: Audit, rubric: Rubric) -> list[str]:
    """What stops the audit being submitted, one line per criterion."""
    problems = []
    for c in rubric.criteria:
        j = audit.judgement(c.id)
        if not j.done:
            problems.append(f"{c.id} has no grade")
        elif j.not_applicable and not j.note.strip():
            problems.append(f"{c.id} is N/A without a note saying why")
    return problems


def submit(db: Database, audit_id: int, rubric: Rubric, actor: str) -> None:
    """Submit a complete audit; it becomes read-only."""
    audit = load_audit(db, audit_id)
    if audit.submitted:
        raise AuditError("this audit is already submitted")
    problems = missing_for_submit(audit, rubric)
    if problems:
        raise AuditError("cannot submit: " + "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
    from ehcaudit.rubric import derive_grades

    derived = derive_grades(rubric, audit.grades())
    with transaction(db) as conn:
        plan_id, _ = _editable(conn, audit_id)
        at = now()
        conn.execute(
            "UPDATE audits SET status = 'submitted', submitted_at = ?, updated_at = ?, overall_grade = ? WHERE id = ?",
            [at, at, derived.overall_grade, audit_id],
        )
        _event(conn, audit_id, plan_id, actor, Action.SUBMITTED, None,
               area_grades=derived.area_grades, overall_grade=derived.overall_grade)


def _reference_of(conn: sqlite3.Connection, audit_id: int) -> str | None:
    row = conn.execute("SELECT name FROM calibration_sessions WHERE reference_audit_id = ? LIMIT 1", [audit_id]).fetchone()
    return row[0] if row else None


def reference_session(db: Database, audit_id: int) -> str | None:
    """The calibration session this audit is the reference for (so it can never be reopened), or None."""
    return _reference_of(db.conn, audit_id)


def reopen(db: Database, audit_id: int, reason: str, actor: str) -> None:
    """Make a submitted audit editable again; the reason is logged."""
    if not reason.strip():
        raise AuditError("give a reason to reopen a submitted audit")
    with transaction(db) as conn:
        row = conn.execute("SELECT plan_id, status FROM audits WHERE id = ?", [audit_id]).fetchone()
        if row is None:
            raise NotFound(f"no audit {audit_id} in this database")
        if row[1] != "submitted":
            raise AuditError("this audit is not submitted; there is nothing to reopen")
        session = _reference_of(conn, audit_id)
        if session:
            # Trainees are compared with it: changing it afterwards would change what they were measured against.
            raise AuditError(f"this audit is the reference for the calibration session '{session}' and cannot be reopened; "
                             "mark another audit as the reference for new sessions")
        conn.execute("UPDATE audits SET status = 'in_progress', submitted_at = NULL, overall_grade = NULL, updated_at = ? WHERE id = ?",
                     [now(), audit_id])
        _event(conn, audit_id, row[0], actor, Action.REOPENED, None, reason=reason.strip())


def discard(db: Database, audit_id: int, actor: str) -> None:
    """Throw away one's own unsubmitted audit: its grades, notes and evidence go; the event log keeps the record."""
    with transaction(db) as conn:
        row = conn.execute("SELECT plan_id, status, reviewer, discarded_at FROM audits WHERE id = ?", [audit_id]).fetchone()
        if row is None:
            raise NotFound(f"no audit {audit_id} in this database")
        plan_id, status, reviewer, discarded = row
        if discarded:
            return
        if reviewer != actor:
            raise AuditError(f"only {reviewer} can discard their own audit")
        if status == "submitted":
            raise AuditError("a submitted audit cannot be discarded; reopen it with a reason to change it")
        at = now()
        graded = conn.execute("SELECT count(*) FROM judgements WHERE audit_id = ?", [audit_id]).fetchone()[0]
        conn.execute("DELETE FROM judgements WHERE audit_id = ?", [audit_id])
        conn.execute("DELETE FROM evidence WHERE audit_id = ?", [audit_id])
        conn.execute("DELETE FROM note_drafts WHERE audit_id = ?", [audit_id])
        conn.execute("UPDATE audits SET discarded_at = ?, updated_at = ? WHERE id = ?", [at, at, audit_id])
        _event(conn, audit_id, plan_id, actor, Action.DISCARDED, None, judgements=graded)


def statuses_for(db: Database, reviewer: str) -> dict[int, str]:
    """plan id -> this reviewer's audit status (in_progress or submitted); absent = not started."""
    rows = db.execute(
        "SELECT plan_id, status FROM audits WHERE reviewer = ? AND kind = 'review' AND discarded_at IS NULL ORDER BY id", [reviewer]
    ).fetchall()
    return {plan_id: status for plan_id, status in rows}


def other_reviews(db: Database, plan_id: int, reviewer: str) -> list[Audit]:
    """Other reviewers' submitted audits of a plan, only once this reviewer has submitted their own."""
    own = db.execute(
        "SELECT status FROM audits WHERE plan_id = ? AND reviewer = ? AND kind = 'review' AND discarded_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        [plan_id, reviewer],
    ).fetchone()
    if own is None or own[0] != "submitted":
        return []  # independence: nothing to see until your own audit is in
    from ehcaudit.store.calibration import blind_audit_ids

    hidden = blind_audit_ids(db, reviewer)  # a calibration reference stays blind until its session is revealed
    ids = [r[0] for r in db.execute(
        "SELECT id FROM audits WHERE plan_id = ? AND reviewer != ? AND kind = 'review' AND status = 'submitted'",
        [plan_id, reviewer],
    ) if r[0] not in hidden]
    return [load_audit(db, i) for i in ids]


def submitted_audits(db: Database, viewer: str | None = None) -> list[dict[str, Any]]:
    """Every submitted audit (reviews and training) the viewer may see, newest first, for choosing one to replay.

    A calibration session's reference and other trainees' audits stay out until the trainer reveals it.
    """
    from ehcaudit.store.calibration import blind_audit_ids

    hidden = blind_audit_ids(db, viewer)
    rows = db.query(
        """SELECT a.id, p.label AS plan, a.reviewer, a.kind, a.submitted_at, a.overall_grade, a.is_reference
           FROM audits a JOIN plans p ON p.id = a.plan_id WHERE a.status = 'submitted' ORDER BY a.submitted_at DESC, a.id DESC"""
    )
    return [r for r in rows if r["id"] not in hidden]


def audit_events(db: Database, audit_id: int) -> list[dict[str, Any]]:
    """The audit's event log in order."""
    rows = db.execute(
        "SELECT id, at, actor, action, criterion_id, detail FROM events WHERE audit_id = ? ORDER BY id", [audit_id]
    ).fetchall()
    return [
        {"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "criterion": r[4], "detail": json.loads(r[5])}
        for r in rows
    ]


def rebuild_audit(db: Database, audit_id: int) -> AuditState:
    """The audit's judgements, evidence and status worked out from its event log alone (the tables are a cache of it)."""
    return derive(audit_events(db, audit_id))


def export_scores(db: Database, include_training: bool = False) -> list[dict[str, Any]]:
    """Every judgement as plan, reviewer, criterion, score, note, cohort, status.

    A blind calibration session's reference and trainees' audits stay out until its trainer reveals it
    (store.blind.held_back_references says which reviews are held back); training audits and references
    written for training only with include_training.
    """
    from ehcaudit.rubric import load_rubric_text
    from ehcaudit.store.blind import BLIND_AUDIT_IDS

    where = f"WHERE a.id NOT IN ({BLIND_AUDIT_IDS})" + (
        "" if include_training else " AND a.kind != 'training' AND NOT a.written_for_training")
    rows = db.execute(
        f"""SELECT p.label, a.reviewer, j.criterion_id, j.grade, j.not_applicable, j.note, p.cohort, a.status
            FROM judgements j JOIN audits a ON a.id = j.audit_id JOIN plans p ON p.id = a.plan_id {where}
            ORDER BY p.label, a.reviewer, j.criterion_id"""
    ).fetchall()
    # Criteria in the rubric's own order (V1 before N1), as people read the rubric.
    order: dict[str, int] = {}
    for (source,) in db.execute("SELECT source FROM rubrics ORDER BY loaded_at DESC"):
        try:
            criteria = load_rubric_text(source, "stored rubric").criteria
        except EhcauditError:
            continue
        for c in criteria:
            order.setdefault(c.id, len(order))
    rows.sort(key=lambda r: (r[0], r[1], order.get(r[2], len(order)), r[2]))
    return [
        {
            "plan": r[0],
            "reviewer": r[1],
            "criterion": r[2],
            "score": "NA" if r[4] else ("" if r[3] is None else r[3]),
            "note": r[5] or "",
            "cohort": r[6] or "",
            "status": r[7],
        }
        for r in rows
    ]
