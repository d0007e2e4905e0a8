"""Rounds in the app, driven by keys: draw a sample, assign it, follow progress, record actions, write feedback."""

from pathlib import Path
from ehcaudit.rounds.round import assign_round, draw_round
from ehcaudit.store import actions as action_store
from ehcaudit.store import audits as A
from ehcaudit.store.plans import get_plan
from ehcaudit.store.rounds import get_round, list_rounds
from ehcaudit.tui.actions_modal import ActionsModal
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.form_modal import FormModal
from ehcaudit.tui.plan_list import PlanListScreen
from ehcaudit.tui.progress_screen import ProgressScreen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_a_qa_lead_draws_a_sample_and_assigns_it_from_the_plan_list(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Q. Lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await pilot.press("tab")  # cohort -> size
        await type_text(pilot, "6")
        await pilot.press("enter")
        await type_text(pilot, "phase")
        await pilot.press("enter", "ctrl+u")
        await type_text(pilot, "34%")
        await pilot.press("enter")
        await type_text(pilot, "123")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        rnd = get_round(plans_db)
        assert (rnd.size, rnd.seed, rnd.stratify, rnd.cohort) == (6, 123, ["phase"], "2026-11")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Ann,Bob,Cat")
        await pilot.press("enter", "ctrl+u")
        await type_text(pilot, "2001-01-01")
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#form-error").render())
        assert "in the past" in error  # one line, the form stays open, nothing saved
        assert plans_db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0
        await pilot.press("ctrl+u")
        await type_text(pilot, "+10d")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        progress = app.screen.progress
        assert progress["reviews_assigned"] == 8 and [r["assigned"] for r in progress["reviewers"]] == [3, 3, 2]
        assert app.screen.query_one("#progress-plans").row_count == 6


async def test_a_bad_sample_is_one_line_in_the_form(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Q. Lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "99")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert "larger than cohort '2026-11' (14 plans)" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen) and list_rounds(plans_db) == []


async def test_a_reviewer_sees_their_own_assignments_first_with_the_due_date(plans_db):
    rnd, _ = draw_round(plans_db, size=4, cohort="2026-11", double_share=0, seed=8)
    assign_round(plans_db, rnd.id, ["Ann", "Bob"], "+10d")
    mine = sorted(label for (label,) in plans_db.execute(
        "SELECT p.label FROM assignments a JOIN plans p ON p.id = a.plan_id WHERE a.reviewer = 'Ann'"))
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#plan-table")
        first = [str(table.get_row_at(i)[0]) for i in range(len(mine))]
        assert first == mine
        assert str(table.get_row_at(0)[-1]).startswith("due ")
        assert "2 yours by" in str(app.screen.query_one("#plans-header").render())


async def test_progress_follows_reviewers_as_they_submit(plans_db, rubric):
    rnd, _ = draw_round(plans_db, size=3, cohort="2026-11", double_share=0, seed=2)
    assign_round(plans_db, rnd.id, ["Ann", "Bob"], "+10d")
    app = EhcauditApp(db=plans_db, reviewer="Q. Lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        assert sum(r["submitted"] for r in screen.progress["reviewers"]) == 0
        pid, who = plans_db.execute("SELECT plan_id, reviewer FROM assignments LIMIT 1").fetchone()
        audit = A.open_audit(plans_db, pid, who, rubric)
        for c in rubric.criteria:
            A.set_grade(plans_db, audit.id, rubric, c.id, 3, who)
        A.submit(plans_db, audit.id, rubric, who)
        await pilot.press("r")
        await pilot.pause()
        row = next(r for r in screen.progress["reviewers"] if r["reviewer"] == who)
        assert row["submitted"] == 1
        assert "done" in str(screen.query_one("#progress-plans").get_row(str(pid))[-1])


async def test_actions_are_recorded_completed_and_reopened_from_the_audit_screen(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        plan = app.screen.plan
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionsModal)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Quantify the speech and language therapy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        actions = action_store.list_actions(plans_db, plan_id=plan.id)
        assert len(actions) == 1 and actions[0].owner == plan.metadata["team"] and actions[0].owner_kind == "team"
        assert actions[0].criterion_id == "V1" and actions[0].created_by == "Ann"
        assert isinstance(app.screen, ActionsModal)
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "Reissued")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert action_store.get_action(plans_db, actions[0].id).status == "done"
        await pilot.press("o")
        await pilot.pause()
        await type_text(pilot, "hours missing")
        await pilot.press("enter")
        await pilot.pause()
        assert action_store.get_action(plans_db, actions[0].id).status == "open"
        events = [e["action"] for e in action_store.action_history(plans_db, actions[0].id)]
        assert events == ["action_added", "action_done", "action_reopened"]


async def test_feedback_key_writes_the_report_once_the_audit_is_submitted(plans_db, rubric, tmp_path, monkeypatch):
    plan = get_plan(plans_db, "plan-01")
    audit = A.open_audit(plans_db, plan.id, "Ann", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, audit.id, rubric, c.id, 3, "Ann")
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    monkeypatch.chdir(tmp_path)  # a short name to type: each key pressed is a round trip through the app
    out = Path("fb.html")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)  # not submitted: a line, no file
        A.submit(plans_db, audit.id, rubric, "Ann")
        app.screen.audit = A.load_audit(plans_db, audit.id)
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("ctrl+u", *str(out), "enter")
        await pilot.pause()
    assert "Feedback on the EHC plan plan-01" in out.read_text()


async def test_an_assigned_annual_review_round_opens_with_its_own_rubric(plans_db):
    rnd, _ = draw_round(plans_db, size=1, cohort="2026-11", double_share=0, seed=1, rubric_id="annual-review")
    assign_round(plans_db, rnd.id, ["Ann"], "+5d")
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen) and app.screen.rubric.id == "annual-review"


async def test_a_round_on_a_councils_own_rubric_file_opens_with_that_rubric(plans_db, tmp_path):
    from ehcaudit import locations
    from ehcaudit.rubric import load_rubric

    text = locations.default_rubric_file().read_text().replace('id = "ehcp-quality"', 'id = "our-council"', 1)
    path = tmp_path / "ours.toml"
    path.write_text(text)
    ours = load_rubric(path)
    rnd, _ = draw_round(plans_db, size=1, cohort="2026-11", double_share=0, seed=1, rubric=ours)
    assert rnd.rubric_id == "our-council"
    assign_round(plans_db, rnd.id, ["Ann"], "+5d")
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen) and app.screen.rubric.sha256 == ours.sha256


def test_progress_screen_snapshot(snap_compare, plans_db):
    rnd, _ = draw_round(plans_db, size=8, cohort="2026-11", stratify=["phase"], double_share=0.25, seed=2026)
    assign_round(plans_db, rnd.id, ["A. Khan", "B. Lewis", "C. Osei"], "2099-12-31")
    assert snap_compare(EhcauditApp(db=plans_db, reviewer="Q. Lead"), press=["P"], terminal_size=(80, 24))


async def test_what_people_typed_is_shown_as_typed_not_as_markup(plans_db):
    plan = get_plan(plans_db, "plan-01")
    action_store.add_action(plans_db, plan_id=plan.id, what="[red]Amend[/red] F [link=http://x]here[/link]",
                            owner="[b]North[/b]", owner_kind="team", due="2099-01-01", actor="QA")
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        row = app.screen.query_one("#actions-table").get_row_at(0)
        assert str(row[1]).startswith("[red]Amend[/red]") and str(row[3]).startswith("[b]North")
        assert "[link=http://x]here[/link]" in str(app.screen.query_one("#actions-detail").render())


async def test_enter_moves_to_the_next_field_everywhere_in_the_sample_form(plans_db):
    from textual.widgets import Select

    app = EhcauditApp(db=plans_db, reviewer="Q. Lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        assert "enter next field · space opens a list · ctrl+s save · escape cancel" in str(form.query_one(".dialog-help").render())
        cohort = form.query_one("#field-cohort", Select)
        assert app.focused is cohort
        await pilot.press("enter")  # on the cohort drop-down: moves on, the list stays shut
        await pilot.pause()
        assert not cohort.expanded and app.focused is form.query_one("#field-size")
        await type_text(pilot, "6")  # reaches the field, not a list
        for _ in range(4):  # stratify, double review, seed, then the rubric drop-down
            await pilot.press("enter")
        await pilot.pause()
        rubric = form.query_one("#field-rubric", Select)
        assert app.focused is rubric
        await pilot.press("space")  # space opens the list ...
        await pilot.pause()
        assert rubric.expanded
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FormModal) and not rubric.expanded
        await pilot.press("enter", "enter")  # ... enter moves on to the name, and enter on the last field saves
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
    assert get_round(plans_db).size == 6


async def test_enter_on_a_drop_down_moves_on_in_the_action_form(plans_db, rubric):
    from ehcaudit.tui.actions_modal import new_action_form
    from textual.widgets import Select

    plan = get_plan(plans_db, "plan-01")
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(new_action_form(plans_db, plan.id, rubric, "Ann", None, None, None))
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Quantify F")
        await pilot.press("enter")
        await pilot.pause()
        section = form.query_one("#field-section", Select)
        assert app.focused is section
        await pilot.press("enter")
        await pilot.pause()
        assert not section.expanded and app.focused is form.query_one("#field-criterion")
