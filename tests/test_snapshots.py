"""What the screens look like, at 80x24 and 120x40 (pytest-textual-snapshot).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

import pytest

from ehcaudit.store import audits as A
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def snapshot_app(db) -> EhcauditApp:
    """The one app the snapshots are taken of: sample plans, reviewer Alice."""
    return EhcauditApp(db=db, reviewer="Alice")


def grade_everything(db, rubric, label="plan-01"):
    plan = next(p for p in list_plans(db) if p.label == label)
    audit = A.open_audit(db, plan.id, "Alice", rubric)
    for i, c in enumerate(rubric.criteria):
        A.set_grade(db, audit.id, rubric, c.id, 4 - i % 3, "Alice")
    A.record_view(db, audit.id, rubric.criteria[0].id, "Alice", ["A"])


@pytest.mark.parametrize("size", SIZES)
def test_plan_list(snap_compare, plans_db, rubric, size):
    grade_everything(plans_db, rubric, "plan-02")
    assert snap_compare(snapshot_app(plans_db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_audit_screen(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "3", "n", "space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_submit_confirmation(snap_compare, plans_db, rubric, size):
    grade_everything(plans_db, rubric)
    assert snap_compare(snapshot_app(plans_db), press=["enter", "S"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_audit_screen_wide_criterion(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "3", "e", "z"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_evidence_list(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "e", "down", "down", "e", "l"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_keep_evidence_confirmation(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_go_to_criterion(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["enter", "g"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_import_screen(snap_compare, plans_db, size):
    assert snap_compare(snapshot_app(plans_db), press=["i", *"/no/such/folder", "enter", "enter", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_whole_plan(snap_compare, plans_db, size):
    # Page 2's end and page 3: set-aside lines marked once per run, section headings, paragraphs.
    assert snap_compare(snapshot_app(plans_db), press=["enter", "w", "pagedown", "pagedown"], terminal_size=size)
