"""The moderation screen at 80x24 and 120x40: at any moment the moderator sees which plan, the criterion's question,
every reviewer's grade, the agreed grade and reason, and the reviewers' notes and evidence side by side."""


import pytest
from textual.widgets import DataTable

from conftest import shown_text
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.modals import PickModal, PromptModal
from ehcaudit.output.words import fit_words
from ehcaudit.tui.moderation_screen import ModerationScreen, name_forms, short_names
from moderation_data import add_reviewers

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def four(demo, rubric):
    """The demo, with plan-01 scored by four reviewers (two more with notes and evidence on V2)."""
    add_reviewers(demo, rubric)
    return demo


async def _open(pilot):
    await pilot.press("M")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ModerationScreen)
    return screen


def _pane(pane) -> str:
    from textual.widgets import Static

    return shown_text(pane.query_one(Static))


def _headers(table: DataTable) -> list[str]:
    return [str(c.label) for c in table.columns.values()]


async def _go_to(pilot, screen, cid: str) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=screen._order.index(cid))
    await pilot.pause()


def test_reviewer_names_shorten_only_as_far_as_the_width_needs():
    assert name_forms("Jo Smith-Jones (team a)") == ["Jo Smith-Jones (team a)", "Jo Smith-Jones", "J. Smith-Jones",
                                                     "Smith-Jones", "JSJ"]
    assert name_forms("Trainee 1 (demo)")[:4] == ["Trainee 1 (demo)", "Trainee 1", "Trainee 1", "Trainee 1"]
    names = ["Demo reviewer", "R. Patel"]
    assert short_names(names, 60) == names
    assert short_names(names, 23) == ["D. reviewer", "R. Patel"]
    assert short_names(names, 22) == ["reviewer", "Patel"]
    assert short_names(["Jo Smith (team a)", "Jo Smith (team b)"], 20) == ["Jo Smith1", "Jo Smith2"]
    assert fit_words("Own words present throughout section A", 20) == "Own words present…"


@pytest.mark.parametrize("size", SIZES)
async def test_moderation_shows_plan_question_every_grade_reason_and_notes_without_scrolling_sideways(four, size):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        assert "plan-01" in shown_text(screen.query_one("#moderation-header"))
        headers = _headers(table)
        assert headers[-2:] == ["Agreed", "Reason"] and len(headers) == 1 + 4 + 3
        assert table.virtual_size.width <= table.size.width, "no column is off to the right"
        await _go_to(pilot, screen, "V2")
        assert "Is it clear who is speaking" in shown_text(screen.query_one("#moderation-question"))
        panes = list(screen.query(".moderation-reviewer"))
        assert len(panes) >= 2 and len({p.region.y for p in panes}) == 1, "side by side"
        assert all(p.region.right <= size[0] for p in panes)
        assert "R. Patel" in _pane(panes[0]) and "J. Okafor" in _pane(panes[1])
        assert table.size.height >= 6, "the criteria list keeps room above the notes"


async def test_at_80_columns_reviewers_page_two_at_a_time_and_say_so(four):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _go_to(pilot, screen, "V2")
        assert "reviewers 1-2 of 4, ] next" in shown_text(screen.query_one("#moderation-status"))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        panes = list(screen.query(".moderation-reviewer"))
        assert len(panes) == 2
        text = _pane(panes[0]) + _pane(panes[1])
        assert "Demo reviewer" in text and "A. N. Other" in text and "voice is quoted" in text
        assert "reviewers 3-4 of 4" in shown_text(screen.query_one("#moderation-status"))


async def test_at_80_columns_p_picks_another_plan_and_the_header_names_it(four):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert not screen.query_one("#moderation-plans").display, "the plan list gives its columns to the criteria"
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen and "plan-03" in shown_text(screen.query_one("#moderation-header"))


async def test_the_plan_picker_searches_the_plans_by_what_is_typed(four):
    from textual.widgets import OptionList

    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("p")
        await pilot.pause()
        picker = app.screen
        assert "type to search" in shown_text(picker.query_one(".dialog-help"))
        last = picker.choices[-1][1].split()[0]  # a plan's label, e.g. plan-13
        await pilot.press(*last)
        await pilot.pause()
        assert picker.query_one(OptionList).highlighted == len(picker.choices) - 1


@pytest.mark.parametrize("size", SIZES)
async def test_an_agreed_grade_moves_the_cursor_to_the_next_criterion_still_without_one(four, size):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot)
        first, second, third = screen._order[:3]
        await pilot.press("2", *"Agreed", "enter")
        await pilot.pause()
        assert screen._selected_criterion() == second
        await _go_to(pilot, screen, third)
        await pilot.press("3", *"Agreed", "enter")
        await pilot.pause()
        assert screen._selected_criterion() == screen._order[3], "past the ones already agreed"


async def test_reviewer_columns_are_named_in_full_when_there_is_room(demo, rubric):
    add_reviewers(demo, rubric, reviewers=("Demo reviewer",))
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert _headers(screen.query_one(DataTable))[1:4] == ["R. Patel", "J. Okafor", "Demo reviewer"]


async def test_the_reason_column_uses_the_room_there_is(four):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        first = screen._order[0]
        await pilot.press("3", *"Own words present in A", "enter")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert str(table.get_row(first)[-1]) == "Own words present in A"


async def test_a_moderator_who_scored_the_plan_is_told_in_full_at_80_columns(four):
    app = EhcauditApp(db=four, reviewer="Demo reviewer")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert "you scored this plan" in shown_text(screen.query_one("#moderation-header"))
        await pilot.press("3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptModal)
        help_line = shown_text(dialog.query_one(".dialog-help"))
        assert "the moderation records that." in help_line and "escape cancel" in help_line


@pytest.mark.parametrize("size", SIZES)
def test_moderation_four_reviewers_snapshot(snap_compare, four, size):
    async def on_v2(pilot):
        await pilot.press("M")
        await pilot.pause()
        await _go_to(pilot, pilot.app.screen, "V2")
        await pilot.press("right_square_bracket")  # the reviewers who wrote notes and kept evidence
        await pilot.pause()

    assert snap_compare(EhcauditApp(db=four, reviewer="Moderator"), run_before=on_v2, terminal_size=size)


def _cursor_in_view(table: DataTable) -> bool:
    rows = table.scrollable_content_region.height - (table.header_height if table.show_header else 0)
    return table.scroll_y <= table.cursor_row < table.scroll_y + rows


async def test_at_80_columns_the_cursor_row_stays_in_view_when_the_panes_below_grow(demo, rubric):
    long = " ".join(["The outcome is broad and not measurable by the next review."] * 6)
    add_reviewers(demo, rubric, notes={"G3": long})  # G3 agrees (3 by all), so it is low in the list
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        await _go_to(pilot, screen, "G3")
        assert _cursor_in_view(table)
        for _ in range(2):  # reviewers 3-4 have the long note, 1-2 none: the panes below grow, then shrink
            await pilot.press("right_square_bracket")
            await pilot.pause()
            await pilot.pause()
            assert _cursor_in_view(table), (table.cursor_row, table.scroll_y, table.size.height)


async def test_home_end_and_page_keys_move_the_cursor_so_a_digit_grades_a_row_in_view(four):
    app = EhcauditApp(db=four, reviewer="Moderator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        for key, row in [("end", table.row_count - 1), ("home", 0), ("pagedown", None), ("pageup", None)]:
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            if row is not None:
                assert table.cursor_row == row, key
            assert _cursor_in_view(table), key
        await pilot.press("end", "home")
        await pilot.pause()
        assert screen._selected_criterion() == screen._order[0]  # the row a digit would grade is the one in view
