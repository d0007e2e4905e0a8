"""Audits in the store: every action saved at once, logged, undoable; submit rules; independence."""

import sqlite3

import pytest

from ehcaudit.errors import AuditError
from ehcaudit.store import audits as A
from ehcaudit.store.plans import list_plans
from conftest import shown_text


@pytest.fixture
def plan_id(plans_db):
    return next(p.id for p in list_plans(plans_db) if p.label == "plan-01")


def grade_all(db, audit, rubric, value=3, who="alice"):
    for c in rubric.criteria:
        A.set_grade(db, audit.id, rubric, c.id, value, who)


def test_starting_twice_resumes_the_same_audit(plans_db, plan_id, rubric):
    first = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, first.id, rubric, "V1", 3, "alice")
    second = A.open_audit(plans_db, plan_id, "alice", rubric)
    assert second.id == first.id and second.judgement("V1").grade == 3


def test_each_action_is_logged_with_a_timestamp(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, audit.id, rubric, "V1", 4, "alice")
    A.set_note(plans_db, audit.id, "V1", "Lovely direct quotes.", "alice")
    A.add_evidence(plans_db, audit.id, "V1", "\"I like Lego\"", "A", 3, "alice")
    events = A.audit_events(plans_db, audit.id)
    assert [e["action"] for e in events] == ["audit_started", "grade_set", "note_set", "evidence_added"]
    assert all(e["at"].endswith("+00:00") for e in events)
    assert events[1]["detail"]["grade"] == 4 and events[3]["detail"]["quote"] == "\"I like Lego\""


def test_the_rubric_version_is_pinned_by_hash(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    source = plans_db.execute("SELECT source FROM rubrics WHERE sha256 = ?", [audit.rubric_sha256]).fetchone()[0]
    assert source == rubric.source


def test_grades_off_the_scale_and_forbidden_na_are_refused(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    with pytest.raises(AuditError, match="not on this rubric's scale"):
        A.set_grade(plans_db, audit.id, rubric, "V1", 7, "alice")
    with pytest.raises(AuditError, match="cannot be N/A"):
        A.set_grade(plans_db, audit.id, rubric, "V1", None, "alice")
    A.set_grade(plans_db, audit.id, rubric, "H2", None, "alice")  # H2 allows N/A
    assert A.load_audit(plans_db, audit.id).judgement("H2").not_applicable


def test_undo_walks_back_through_changes(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, audit.id, rubric, "V1", 2, "alice")
    A.set_grade(plans_db, audit.id, rubric, "V1", 4, "alice")
    A.set_note(plans_db, audit.id, "V1", "changed my mind", "alice")
    A.add_evidence(plans_db, audit.id, "V1", "quote", "A", 3, "alice")
    assert A.undo(plans_db, audit.id, "alice") == "undid the evidence for V1"
    assert A.load_audit(plans_db, audit.id).evidence == []
    assert A.undo(plans_db, audit.id, "alice") == "undid the note for V1"
    assert A.load_audit(plans_db, audit.id).judgement("V1").note == ""
    A.undo(plans_db, audit.id, "alice")
    assert A.load_audit(plans_db, audit.id).judgement("V1").grade == 2
    A.undo(plans_db, audit.id, "alice")
    assert not A.load_audit(plans_db, audit.id).judgement("V1").done
    assert A.undo(plans_db, audit.id, "alice") is None


def test_submit_needs_every_criterion_and_a_note_for_na(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    with pytest.raises(AuditError, match="has no grade"):
        A.submit(plans_db, audit.id, rubric, "alice")
    grade_all(plans_db, audit, rubric)
    A.set_grade(plans_db, audit.id, rubric, "O3", None, "alice")
    with pytest.raises(AuditError, match="O3 is N/A without a note"):
        A.submit(plans_db, audit.id, rubric, "alice")
    A.set_note(plans_db, audit.id, "O3", "Year 4: preparing for adulthood does not apply yet.", "alice")
    A.submit(plans_db, audit.id, rubric, "alice")
    done = A.load_audit(plans_db, audit.id)
    assert done.submitted
    assert plans_db.execute("SELECT overall_grade FROM audits WHERE id = ?", [audit.id]).fetchone()[0] == 3


def test_a_submitted_audit_is_read_only_until_reopened_with_a_reason(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    grade_all(plans_db, audit, rubric)
    A.submit(plans_db, audit.id, rubric, "alice")
    with pytest.raises(AuditError, match="read-only"):
        A.set_grade(plans_db, audit.id, rubric, "V1", 1, "alice")
    with pytest.raises(AuditError, match="give a reason"):
        A.reopen(plans_db, audit.id, "  ", "alice")
    A.reopen(plans_db, audit.id, "Moderation found a missed health need", "alice")
    A.set_grade(plans_db, audit.id, rubric, "H1", 2, "alice")
    reopened = [e for e in A.audit_events(plans_db, audit.id) if e["action"] == "reopened"]
    assert reopened[0]["detail"]["reason"] == "Moderation found a missed health need"


def test_other_reviewers_grades_stay_hidden_until_your_own_is_submitted(plans_db, plan_id, rubric):
    bob = A.open_audit(plans_db, plan_id, "bob", rubric)
    grade_all(plans_db, bob, rubric, value=2, who="bob")
    A.submit(plans_db, bob.id, rubric, "bob")
    alice = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, alice.id, rubric, "V1", 4, "alice")
    assert A.other_reviews(plans_db, plan_id, "alice") == []
    grade_all(plans_db, alice, rubric, value=4)
    A.submit(plans_db, alice.id, rubric, "alice")
    [other] = A.other_reviews(plans_db, plan_id, "alice")
    assert other.reviewer == "bob" and other.judgement("V1").grade == 2


def test_statuses_per_reviewer(plans_db, plan_id, rubric):
    A.open_audit(plans_db, plan_id, "alice", rubric)
    assert A.statuses_for(plans_db, "alice") == {plan_id: "in_progress"}
    assert A.statuses_for(plans_db, "bob") == {}


def test_scores_export_rows(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, audit.id, rubric, "V1", 3, "alice")
    A.set_grade(plans_db, audit.id, rubric, "H2", None, "alice")
    rows = A.export_scores(plans_db)
    assert {"plan": "plan-01", "reviewer": "alice", "criterion": "V1", "score": 3, "note": "",
            "cohort": "2026-11", "status": "in_progress"} in rows
    assert any(r["criterion"] == "H2" and r["score"] == "NA" for r in rows)


def test_a_full_disk_is_one_clear_error_and_keeps_what_was_saved(plans_db, plan_id, rubric):
    from ehcaudit.errors import StoreError

    audit = A.open_audit(plans_db, plan_id, "alice", rubric)
    A.set_grade(plans_db, audit.id, rubric, "V1", 3, "alice")
    pages = plans_db.execute("PRAGMA page_count").fetchone()[0]
    plans_db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as good as a full disk
    with pytest.raises(StoreError, match="disk is full"):
        for i in range(200):
            A.set_note(plans_db, audit.id, "V2", "x" * 5000 + str(i), "alice")
    assert A.load_audit(plans_db, audit.id).judgement("V1").grade == 3
    assert not plans_db.conn.in_transaction


def _fill_the_disk(db) -> None:
    """Forbid the file to grow, then use up every free page: from now on every write fails as on a full disk."""
    db.execute("CREATE TABLE IF NOT EXISTS ballast (b BLOB)")
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    try:
        while True:
            db.execute("INSERT INTO ballast VALUES (zeroblob(2000))")
    except sqlite3.Error:
        pass


async def test_a_full_disk_in_the_app_shows_a_line_not_a_traceback(plans_db, plan_id, rubric):
    from ehcaudit.tui.app import EhcauditApp

    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3")
        await pilot.pause()
        _fill_the_disk(plans_db)
        for _ in range(200):  # the event log's last page fills up within a few dozen actions
            await pilot.press("4", "2")
            if "disk is full" in shown_text(app.screen.query_one("#audit-status")):
                break
        assert "disk is full" in shown_text(app.screen.query_one("#audit-status"))
        assert app.is_running
    audit_id = A.find_audit(plans_db, plan_id, "Alice", rubric.sha256)
    assert not plans_db.conn.in_transaction
    assert A.load_audit(plans_db, audit_id).judgement("V1").grade in (2, 4)  # the last grade that found room


def test_quotes_kept_with_one_keypress_go_back_with_one_undo(plans_db, rubric):
    from ehcaudit.store.plans import list_plans
    from ehcaudit.store import audits as A

    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    audit = A.open_audit(plans_db, plan.id, "Alice", rubric)
    A.add_evidence(plans_db, audit.id, "V1", "an earlier quote", "A", 3, "Alice")
    A.keep_quotes(plans_db, audit.id, "V1", [("first paragraph", "A", 3), ("a paragraph further on", "A", 4)], "Alice")
    assert len(A.load_audit(plans_db, audit.id).evidence) == 3
    assert A.undo(plans_db, audit.id, "Alice") == "undid the 2 quotes kept for V1"
    assert [e.quote for e in A.load_audit(plans_db, audit.id).evidence] == ["an earlier quote"]
    assert A.undo(plans_db, audit.id, "Alice") == "undid the evidence for V1"
    assert A.load_audit(plans_db, audit.id).evidence == []
