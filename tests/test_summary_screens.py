"""The summary and moderation screens, driven by keys."""

from pathlib import Path
import pytest

from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.moderation_screen import ModerationScreen
from ehcaudit.tui.summary_screen import SummaryScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def test_summary_screen_computes_in_a_worker_and_cycles_filters(demo):
    app = EhcauditApp(db=demo, reviewer="Manager")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen) and screen.summary["plans"] == 14
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.breakdown == "need" and "need" in screen.summary["breakdowns"]
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.cohort == "2026-11"


async def test_summary_export_from_the_screen(demo, tmp_path, monkeypatch):
    app = EhcauditApp(db=demo, reviewer="Manager")
    monkeypatch.chdir(tmp_path)  # a short name to type: each key pressed is a round trip through the app
    out = Path("board.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("x", *str(out), "enter")
        await pilot.pause()
    assert out.read_text().startswith("# EHC plan quality")


async def test_moderation_lists_disagreements_first_and_records_the_agreed_grade(demo):
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("M")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModerationScreen) and len(screen.plans) == 7
        table = screen.query_one("#moderation-table")
        spreads = [int(str(table.get_row_at(i)[-3])) for i in range(table.row_count)]
        assert spreads == sorted(spreads, reverse=True)
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        await pilot.press("3", *"Agreed at panel", "enter")
        await pilot.pause()
        plan_id = screen.current
    row = demo.execute("SELECT grade, reason, moderator FROM moderations WHERE plan_id = ? AND criterion_id = ?", [plan_id, first]).fetchone()
    assert row == (3, "Agreed at panel", "Moderator")
    logged = demo.execute("SELECT actor, detail FROM events WHERE action = 'moderated'").fetchall()
    assert logged and logged[0][0] == "Moderator"


@pytest.mark.parametrize("size", SIZES)
def test_summary_screen_snapshot(snap_compare, demo, size):
    async def ready(pilot):
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(EhcauditApp(db=demo, reviewer="Manager"), run_before=ready, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_moderation_screen_snapshot(snap_compare, demo, size):
    assert snap_compare(EhcauditApp(db=demo, reviewer="Moderator"), press=["M"], terminal_size=size)


# ------------------------------------------------------------------ every tab reads at 80 columns

TAB_TABLES = {"quality": ["criteria", "trend"], "consistency": ["consistency", "agreement-criteria"],
              "breakdown": ["by-phase"], "reviewers": ["reviewers"]}


def _tokens(text: str) -> set[str]:
    import re

    return set(re.split(r"[\s│┃┏┓┗┛┡┩└┘┳┻╇╈━─]+", text)) - {""}


async def _tab_text(pilot, tab: str) -> str:
    from conftest import shown_text

    screen = pilot.app.screen
    screen.query_one("#summary-tabs").active = f"tab-{tab}"
    await pilot.pause()
    await pilot.pause()
    return shown_text(screen.query_one(f"#{tab}-body"))


@pytest.mark.parametrize("size", SIZES)
async def test_every_summary_figure_and_word_reads_whole_on_every_tab(demo, size):
    from ehcaudit.summary.tables import number_text, summary_tables

    app = EhcauditApp(db=demo, reviewer="Manager")
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        tables = {t.name: t for t in summary_tables(screen.summary)}
        for tab, names in TAB_TABLES.items():
            text = await _tab_text(pilot, tab)
            for line in text.splitlines():
                if line and line[0] in "┃│┏┡└":  # a table line is closed on the right: nothing cut off
                    assert line.rstrip()[-1] in "┃│┓┩┘", (tab, line)
            seen = _tokens(text)
            if "w shows" in text:  # the rest of a too-wide table's figures are one key away
                await pilot.press("w")
                await pilot.pause()
                seen |= _tokens(await _tab_text(pilot, tab))
                await pilot.press("w")
                await pilot.pause()
            for name in names:
                t = tables[name]
                keep = [i for i, h in enumerate(t.header) if h != "Area"]  # a criterion reads by its question too
                for row in t.rows:
                    for i in keep:
                        cell = row[i]
                        shown = number_text(t.header[i], cell) if isinstance(cell, int | float) else "" if cell is None else str(cell)
                        for word in shown.split():  # figures as the board paper writes them (2.50, 0.600)
                            assert word in seen, (tab, name, t.header[i], word)


async def test_the_reviewers_table_at_80_columns_has_whole_headers_and_names(demo):
    app = EhcauditApp(db=demo, reviewer="Manager")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = await _tab_text(pilot, "reviewers")
        seen = _tokens(text)
        assert {"Reviewer", "Audits", "Mean", "grade", "moderated", "others"} <= seen
        assert not {"Reviewe", "r", "moderat", "ed:"} & seen
        assert all(any(name in line for line in text.splitlines()) for name in ("J. Okafor", "R. Patel"))


@pytest.mark.parametrize("tab", ["consistency", "reviewers"])
def test_summary_tab_snapshot_at_80_columns(snap_compare, demo, tab):
    async def ready(pilot):
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.screen.query_one("#summary-tabs").active = f"tab-{tab}"
        await pilot.pause()

    assert snap_compare(EhcauditApp(db=demo, reviewer="Manager"), run_before=ready, terminal_size=(80, 24))


# ------------------------------------------------------------------ the keys reach the tab's text at once


async def test_summary_tabs_scroll_at_once_and_left_right_switch_tabs(demo):
    from textual.containers import VerticalScroll
    from textual.widgets._footer import FooterKey

    app = EhcauditApp(db=demo, reviewer="Manager")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#tab-quality").query_one(VerticalScroll)
        assert app.focused is body
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        footer_keys = lambda: {k.key for k in screen.query(FooterKey)}  # noqa: E731
        assert {"left", "right"} <= footer_keys() and "w" not in footer_keys()  # every quality figure fits at 80
        await pilot.press("right")
        await pilot.pause()
        assert screen.query_one("#summary-tabs").active == "tab-consistency"
        assert app.focused is screen.query_one("#tab-consistency").query_one(VerticalScroll)
        assert "w" in footer_keys()  # the agreement tables have more figures than fit
        await pilot.press("down")
        await pilot.pause()
        assert app.focused.scroll_y > 0
        await pilot.press("left", "left")
        await pilot.pause()
        assert screen.query_one("#summary-tabs").active == "tab-reviewers"
