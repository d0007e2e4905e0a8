"""Set-aside lines in the app: stored at import, dimmed in the whole-plan view, movable into a section, undoable."""

import pytest

from conftest import shown_text
from councilmaker import Layout, make_council_plan
from ehcaudit.ingest.importer import import_plans
from ehcaudit.store import open_db
from ehcaudit.store.plans import list_plans, plan_sections, plan_set_aside
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.modals import PickModal

HEADER = "OFFICIAL - SENSITIVE"


@pytest.fixture
def headed_db(tmp_path):
    make_council_plan(tmp_path / "headed.pdf", Layout(headings="statutory", running_header=HEADER,
                                                      footer="Page {n} of {nb}", none_sections=("C", "G")))
    db = open_db(tmp_path / "h.db")
    assert import_plans(db, [tmp_path / "headed.pdf"]).imported == 1
    yield db
    db.conn.close()


def test_import_stores_every_set_aside_line_with_its_place_on_the_page(headed_db):
    [plan] = list_plans(headed_db)
    aside = plan_set_aside(headed_db, plan.id)
    headers = [a for a in aside if a.text == HEADER]
    assert headers and all(a.why == "running header" and a.place == 0 for a in headers)
    assert {a.page for a in headers} == set(range(1, plan.page_count + 1))
    assert any(a.why == "page number" for a in aside)
    assert all(a.restored_to is None for a in aside)


async def open_whole_plan(app, pilot):
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AuditScreen)
    await pilot.press("w")
    await pilot.pause()
    return app.screen.query_one("#plan-view")


async def test_the_whole_plan_shows_set_aside_lines_dimmed_with_their_reason(headed_db):
    app = EhcauditApp(db=headed_db, reviewer="Alice")
    async with app.run_test(size=(140, 40)) as pilot:
        view = await open_whole_plan(app, pilot)
        header_lines = [i for i, ln in enumerate(view.lines) if ln.text == HEADER]
        assert header_lines and all(view.lines[i].aside == "running header" for i in header_lines)
        body = next(i for i, ln in enumerate(view.lines) if ln.section == "B" and ln.rows)
        assert view.lines[body].aside == "" and view.lines[body].aside_id is None
        drawn = view.line_text(header_lines[0])
        assert "set aside: running header" in drawn.plain
        assert any("dim" in str(span.style) for span in drawn.spans) or "dim" in str(drawn.style)
        view.highlighted = header_lines[0]
        view.scroll_to_highlight(top=True)
        await pilot.pause()
        assert "set aside: running header" in shown_text(view)


async def test_c_moves_a_set_aside_line_into_a_section_and_u_takes_it_back(headed_db):
    [plan] = list_plans(headed_db)
    found = plan_sections(headed_db, plan.id)
    app = EhcauditApp(db=headed_db, reviewer="Alice")
    async with app.run_test(size=(140, 40)) as pilot:
        view = await open_whole_plan(app, pilot)
        # The running header on B's first page: the reviewer says it is part of B.
        b_page = found["B"].page_start
        at = next(i for i, ln in enumerate(view.lines) if ln.text == HEADER and ln.page == b_page)
        view.highlighted = at
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await pilot.press("B", "enter")
        await pilot.pause()
        moved = plan_sections(headed_db, plan.id)
        assert moved["B"].source == "corrected" and HEADER in moved["B"].text.splitlines()
        assert moved["B"].text.replace(HEADER + "\n", "", 1) == found["B"].text
        assert {c: s for c, s in moved.items() if c != "B"} == {c: s for c, s in found.items() if c != "B"}
        # The audit reads it in B, and the whole plan no longer shows it as set aside.
        assert HEADER in "\n".join(ln.text for ln in app.screen._criterion_lines(["B"]))
        assert app.screen.mode == "plan" and view.lines[at].aside == ""
        assert [a.restored_to for a in plan_set_aside(headed_db, plan.id) if a.page == b_page and a.text == HEADER] == ["B"]
        await pilot.press("u")
        await pilot.pause()
        assert plan_sections(headed_db, plan.id) == found
        assert view.lines[at].aside == "running header"
        assert all(a.restored_to is None for a in plan_set_aside(headed_db, plan.id))
    rows = headed_db.execute("SELECT action, detail FROM events WHERE plan_id = ? ORDER BY id", [plan.id]).fetchall()
    assert [r[0] for r in rows][-2:] == ["section_corrected", "section_correction_undone"]
    assert '"set_aside_id"' in rows[-2][1]


async def test_c_on_an_ordinary_line_still_asks_for_a_first_and_last_line(headed_db):
    app = EhcauditApp(db=headed_db, reviewer="Alice")
    async with app.run_test(size=(140, 40)) as pilot:
        view = await open_whole_plan(app, pilot)
        view.highlighted = next(i for i, ln in enumerate(view.lines) if ln.section == "B" and ln.rows)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        assert "select the first and the last line" in shown_text(app.screen.query_one("#audit-status"))


@pytest.fixture
def saying_db(tmp_path):
    """C says plainly there is nothing, D is a heading with no text under it, J is not in the plan at all."""
    from pdfmaker import blocks_for, make_plan
    from test_sections import STATUTORY

    blocks = blocks_for(STATUTORY, [c for c in STATUTORY if c != "J"])
    next(b for b in blocks if b.code == "C").body = ["No health needs identified."]
    next(b for b in blocks if b.code == "D").body = []
    make_plan(tmp_path / "saying.pdf", blocks)
    db = open_db(tmp_path / "s.db")
    assert import_plans(db, [tmp_path / "saying.pdf"]).imported == 1
    yield db
    db.conn.close()


async def test_the_plan_list_tells_absent_from_heading_only_from_says_none(saying_db):
    app = EhcauditApp(db=saying_db, reviewer="Alice")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        status = shown_text(app.screen.query_one("#plans-status"))
        assert "· section J not found in this plan" in status and "heading only: D" in status
        assert "shown · " in status and " · says none: C “No health needs identified.”" in status
        assert "sections" not in status  # C says none: it is not missing


async def test_the_audit_screen_tells_absent_from_heading_only_from_says_none(saying_db):
    app = EhcauditApp(db=saying_db, reviewer="Alice")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        shown = {code: "\n".join(ln.text for ln in screen._criterion_lines([code])) for code in ("C", "D", "J")}
        assert "says none: “No health needs identified.”" in shown["C"] and "No health needs identified." in shown["C"]
        assert "heading only, no text under it" in shown["D"] and "says none" not in shown["D"]
        assert "not found in this plan" in shown["J"]
        # What the reviewer reads on screen when a criterion looks at C and D.
        screen.query_one("#plan-view").show(screen._criterion_lines(["C", "D"]))
        await pilot.pause()
        text = shown_text(screen.query_one("#plan-view"))
        assert "says none" in text and "heading only" in text
