"""Pop-up messages (toasts) at 80x24: one rule for the whole app, at the bottom right above the status line and
the footer, so they never cover a screen's header, a dialog's title or the input being typed into."""

import pytest
from textual.command import CommandInput
from textual.widgets import Footer, Input
from textual.widgets._toast import Toast

from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.modals import PromptModal

SIZES = [(80, 24), (120, 40)]


async def _toasts(pilot) -> list:
    for _ in range(20):  # a toast is mounted a few messages after notify()
        await pilot.pause(0.05)
        toasts = [t for t in pilot.app.screen.query(Toast) if t.region.area]
        if toasts:
            return toasts
    return []


def _overlaps(a, b) -> bool:
    return bool(a.region.intersection(b.region).area)


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_leaves_the_header_status_line_and_footer_in_view(plans_db, size):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=size, notifications=True) as pilot:
        app.notify("wrote board-paper.html")
        toasts = await _toasts(pilot)
        assert toasts
        screen = app.screen
        for widget in (screen.query_one("#plans-header"), screen.query_one("#plans-status"), screen.query_one(Footer),
                       screen.query_one("#plan-search")):
            assert not any(_overlaps(t, widget) for t in toasts), widget
        assert all(t.region.height <= 2 for t in toasts), "a one-line message is a one-line toast"


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_never_covers_the_command_palette_search_box(plans_db, size):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=size, notifications=True) as pilot:
        app.notify("reviewing as Alice from now on")
        await pilot.pause()
        await pilot.press("ctrl+p")
        toasts = await _toasts(pilot)
        box = app.screen.query_one(CommandInput)
        assert toasts
        assert not any(_overlaps(t, box) for t in toasts)


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_raised_over_a_dialog_leaves_its_title_and_input_clear(plans_db, size):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=size, notifications=True) as pilot:
        app.push_screen(PromptModal("Name the session", "e.g. November induction"))
        await pilot.pause()
        app.notify("session 'November induction' started, and a message long enough to wrap at eighty columns")
        toasts = await _toasts(pilot)
        assert toasts
        dialog = app.screen
        for widget in (dialog.query_one(".dialog-title"), dialog.query_one(Input)):
            assert not any(_overlaps(t, widget) for t in toasts), widget


async def test_a_toast_shown_when_a_dialog_opens_is_drawn_once(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("wrote board-paper.html")
        below = await _toasts(pilot)
        app.push_screen(PromptModal("Export the summary to a file", "e.g. board-paper.html"))
        above = await _toasts(pilot)
        assert below and above and {t.region for t in above} == {t.region for t in below}, "one place on every screen"
