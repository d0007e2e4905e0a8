"""Pre-check hints beside the criterion on the audit screen (Textual Pilot)."""

import json

from conftest import shown_text

from ehcaudit.store.hints import HINT_WRONG, hints_marked_wrong, plan_hints
from ehcaudit.store.plans import list_plans
from ehcaudit.summary.prechecks import load_prechecks
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.widgets.hints_panel import HintsPanel
from ehcaudit.tui.widgets.plan_view import PlanView


def _goto_a_hinted_criterion(screen):
    sections = {h.section for h in plan_hints(screen.db, screen.plan.id)}
    screen.index = next(i for i, c in enumerate(screen.rubric.criteria) if sections & set(c.sections))
    screen.show_criterion()


async def test_hints_for_the_criterions_sections_sit_beside_it_and_h_steps_through_them(plans_db):
    plan = list_plans(plans_db)[0]
    assert plan_hints(plans_db, plan.id)
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        _goto_a_hinted_criterion(screen)
        await pilot.pause()
        panel = screen.query_one(HintsPanel)
        assert screen._hints and all(h.section[0] in "".join(screen.criterion.sections) for h in screen._hints)
        await pilot.press("h")
        await pilot.pause()
        assert screen._hint_index == 0
        first = screen._hints[0]
        view = screen.query_one(PlanView)
        assert first.quote.split()[0] in view.lines[view.highlighted].text
        assert "▶" in shown_text(panel)
        if len(screen._hints) > 1:
            await pilot.press("h")
            assert screen._hint_index == 1


async def test_marking_a_hint_wrong_is_logged_and_counted_and_never_grades(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        _goto_a_hinted_criterion(screen)
        await pilot.pause()
        await pilot.press("h", "W")
        await pilot.pause()
        hint = screen._hints[0]
        rows = plans_db.execute("SELECT detail, audit_id FROM events WHERE action = ?", [HINT_WRONG]).fetchall()
        assert len(rows) == 1 and json.loads(rows[0][0])["quote"] == hint.quote and rows[0][1] == screen.audit.id
        assert screen.audit.judgement(screen.criterion.id).grade is None
        assert "marked wrong" in shown_text(screen.query_one(HintsPanel))
    assert hints_marked_wrong(plans_db) == {hint.kind: 1}
    figures = load_prechecks(plans_db, [p.id for p in list_plans(plans_db)])
    assert next(k for k in figures["kinds"] if k["kind"] == hint.kind)["marked_wrong"] == 1


def test_correcting_a_section_drops_the_stored_hints_so_they_are_worked_out_again(plans_db):
    plan = list_plans(plans_db)[0]
    plan_hints(plans_db, plan.id)
    assert plans_db.execute("SELECT count(*) FROM plan_hints WHERE plan_id = ?", [plan.id]).fetchone()[0] == 1
    plans_db.execute("UPDATE sections SET text = text || ' ' WHERE plan_id = ? AND code = 'F'", [plan.id])
    assert plans_db.execute("SELECT count(*) FROM plan_hints WHERE plan_id = ?", [plan.id]).fetchone()[0] == 0
    assert plan_hints(plans_db, plan.id) is not None


async def test_at_80x24_h_puts_the_hints_message_on_the_status_line(plans_db):
    """The compact panel has room only for the hints' count: the message itself goes on the status line."""
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "g", "G", "3", "enter")
        await pilot.pause()
        screen = app.screen
        assert screen.criterion.id == "G3" and screen._hints
        await pilot.press("h")
        await pilot.pause()
        hint = screen._hints[0]
        status = screen.query_one("#audit-status")
        assert shown_text(status).startswith(f"hint 1/{len(screen._hints)} ({hint.section} p{hint.page}): {hint.message[:30]}")
        assert status.size.height == 1
