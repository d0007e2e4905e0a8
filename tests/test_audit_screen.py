"""The audit screen as a reviewer uses it all day: what is in view, evidence, descriptors, moving on."""

import re
from collections import Counter

import pytest

from conftest import shown_text
from ehcaudit import config
from ehcaudit.training.replay import replay_states
from ehcaudit.store import audits as A
from ehcaudit.store import plans as P
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.evidence_list import EvidenceListModal
from ehcaudit.tui.modals import ConfirmModal
from ehcaudit.tui.widgets.plan_view import PlanView

BLOCKS = re.compile(r"[▁▂▃▄▅▆▇█▌▐▔]")


def make_app(db, reviewer="Alice"):
    return EhcauditApp(db=db, reviewer=reviewer)


async def shown_plan_lines(pilot, view: PlanView) -> list[str]:
    """Every line the plan pane draws, scrolling from top to bottom."""
    rows: dict[int, str] = {}
    y = 0
    while True:
        view.scroll_to(y=y, animate=False)
        await pilot.pause()
        top = round(view.scroll_offset.y)
        for row in range(view.size.height):
            rows.setdefault(top + row, view.render_line(row).text)
        if top + view.size.height >= view.virtual_size.height or y > view.virtual_size.height:
            break
        y = top + view.size.height
    return [rows[k] for k in sorted(rows)]


@pytest.mark.parametrize("width", [80, 100, 120, 160])
@pytest.mark.parametrize("height", [24, 40])
async def test_plan_text_keeps_every_word_at_every_width(plans_db, rubric, width, height):
    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    sections = P.plan_sections(plans_db, plan.id)
    app = make_app(plans_db)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.press("enter", "n", "n", "n")  # V4 looks at sections A and E: long enough to scroll
        await pilot.pause()
        criterion = app.screen.criterion
        view = app.screen.query_one(PlanView)
        shown = Counter(BLOCKS.sub(" ", " ".join(await shown_plan_lines(pilot, view))).split())
        wanted = Counter(" ".join(sections[code].text for code in criterion.sections).split())
        missing = wanted - shown
        assert not missing, f"words lost at {width}x{height}: {list(missing)[:10]}"


@pytest.mark.parametrize("width", [80, 100, 120, 160])
@pytest.mark.parametrize("height", [24, 40])
async def test_the_whole_plan_keeps_every_word_pypdf_read_at_every_width(plans_db, width, height):
    """Reflowed into paragraphs, headings and set-aside lines marked: still every word of every page."""
    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    app = make_app(plans_db)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.press("enter", "w")
        await pilot.pause()
        view = app.screen.query_one(PlanView)
        shown = Counter(BLOCKS.sub(" ", " ".join(await shown_plan_lines(pilot, view))).split())
        wanted = Counter(" ".join(P.plan_pages(plans_db, plan.id)).split())
        missing = wanted - shown
        assert not missing, f"words lost at {width}x{height}: {list(missing)[:10]}"


async def test_the_whole_plan_reads_as_paragraphs_under_headings_each_quotable_with_its_page(plans_db):
    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    sections = P.plan_sections(plans_db, plan.id)
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "w")
        await pilot.pause()
        view = app.screen.query_one(PlanView)
        # Each section's heading once, with its code, drawn as a heading.
        headings = [ln for ln in view.lines if ln.heading and not ln.rule]
        assert [ln.section for ln in headings] == list(sections)
        assert all(ln.text.startswith(f"{ln.section} · ") for ln in headings)
        drawn = view.line_text(view.lines.index(headings[0]))
        assert "bold" in str(drawn.style)
        # Parents' views: printed over several lines, one paragraph here, made of the section's own lines.
        at = next(i for i, ln in enumerate(view.lines) if ln.text.startswith("Parents' views"))
        para = view.lines[at]
        a_rows = sections["A"].text.splitlines()
        assert para.section == "A" and len(para.rows) > 1
        assert para.text == " ".join(" ".join(a_rows[r].split()) for r in para.rows)
        assert "Child A to be happy at school" in para.text
        # The "c moves a line" hint is said once, not on every set-aside line.
        assert not any("c moves" in view.line_text(i).plain for i in range(len(view.lines)))
        cover = [i for i, ln in enumerate(view.lines) if ln.aside == "cover"]
        assert len(cover) > 1 and "(set aside: cover)" in view.line_text(cover[0]).plain
        assert all(view.line_text(i).plain.startswith("┆ ") and "set aside" not in view.line_text(i).plain
                   for i in cover[1:])
        # Kept as evidence: the paragraph's words, its section and its page.
        view.highlighted = at
        await pilot.press("e")
        await pilot.pause()
        [kept] = A.load_audit(plans_db, app.screen.audit.id).evidence
        assert (kept.quote, kept.section_code, kept.page_number) == (para.text, "A", para.page)


async def test_at_80x24_the_criterion_shows_question_grade_one_descriptor_and_counts(plans_db, rubric):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "3")
        await pilot.pause()
        screen = app.screen
        c = rubric.criteria[0]
        assert c.question.split()[0] in shown_text(screen.query_one("#criterion-question"))
        grades = shown_text(screen.query_one("#criterion-grades"))
        assert "3 Good" in grades
        assert shown_text(screen.query_one("#criterion-descriptor")).startswith("3 Good:")
        await pilot.press("d")
        assert shown_text(screen.query_one("#criterion-descriptor")).startswith("2 ")
        await pilot.press("d", "d", "d")
        assert shown_text(screen.query_one("#criterion-descriptor")).startswith("3 Good:")  # round the scale
        assert "Evidence 0 quotes · Note none" in shown_text(screen.query_one("#criterion-counts"))
        header = shown_text(screen.query_one("#audit-header"))
        assert "in progress" in header and "1/20 graded" in header
        # The plan keeps most of the screen.
        assert screen.query_one(PlanView).size.height >= 11


async def test_tab_reaches_the_criterion_panel_and_z_widens_it(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen.query_one("#criterion-detail")
        assert not detail.display
        await pilot.press("z")
        await pilot.pause()
        assert detail.display and detail.size.height > 0
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#criterion-pane")
        await pilot.press("z")
        await pilot.pause()
        assert not detail.display


async def test_enter_asks_before_keeping_a_line_as_evidence(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        audit_screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert not A.load_audit(plans_db, audit_screen.audit.id).evidence
        await pilot.press("escape")
        assert not A.load_audit(plans_db, audit_screen.audit.id).evidence
        await pilot.press("enter", "y")
        await pilot.pause()
        assert len(A.load_audit(plans_db, audit_screen.audit.id).evidence) == 1


async def test_two_paragraphs_apart_are_kept_as_two_quotes(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(PlanView)
        first = view.highlighted
        await pilot.press("space", "space", "down", "space", "e")  # lines 1-2, skip 3, line 4
        await pilot.pause()
        kept = A.load_audit(plans_db, app.screen.audit.id).evidence
        assert len(kept) == 2
        assert kept[0].quote == f"{view.lines[first].text} {view.lines[first + 1].text}"
        assert kept[1].quote == view.lines[first + 3].text
        assert all(k.page_number for k in kept)


async def test_evidence_list_edits_and_deletes_and_undo_puts_it_back(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "e", "down", "e")
        await pilot.pause()
        audit_id = app.screen.audit.id
        assert len(A.load_audit(plans_db, audit_id).evidence) == 2
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceListModal)
        listing = shown_text(app.screen.query_one("#evidence-list"))
        assert "page " in listing and "Note:" in listing
        await pilot.press("down", "d")  # delete the first quote
        await pilot.pause()
        assert len(A.load_audit(plans_db, audit_id).evidence) == 1
        await pilot.press("u")
        await pilot.pause()
        assert len(A.load_audit(plans_db, audit_id).evidence) == 2
        await pilot.press("down", "e", "ctrl+a")
        await pilot.pause()
        area = app.screen.query_one("TextArea")
        area.text = "the words that matter"
        await pilot.press("ctrl+s")
        await pilot.pause()
        quotes = [e.quote for e in A.load_audit(plans_db, audit_id).evidence]
        assert "the words that matter" in quotes
        await pilot.press("escape")
        await pilot.pause()
        assert "2 quotes" in shown_text(app.screen.query_one("#criterion-counts"))
    actions = [e["action"] for e in A.audit_events(plans_db, audit_id)]
    assert "evidence_deleted" in actions and "evidence_edited" in actions


def test_edited_and_deleted_evidence_replays_in_words(plans_db, rubric):
    plan = list_plans(plans_db)[0]
    audit = A.open_audit(plans_db, plan.id, "Alice", rubric)
    cid = rubric.criteria[0].id
    A.set_grade(plans_db, audit.id, rubric, cid, 3, "Alice")
    A.undo(plans_db, audit.id, "Alice")
    eid = A.add_evidence(plans_db, audit.id, cid, "a long quote", "A", 3, "Alice")
    A.edit_evidence(plans_db, audit.id, eid, "a quote", "Alice")
    A.delete_evidence(plans_db, audit.id, eid, "Alice")
    assert A.undo(plans_db, audit.id, "Alice").startswith("undid the deletion")
    states = replay_states(A.audit_events(plans_db, audit.id))
    changes = [s.change for s in states]
    assert f"{cid}: took back the grade 3 (now not graded)" in changes
    assert f"{cid}: deleted the evidence from page 3" in changes
    assert not any("grade set" in c or "undid a" in c for c in changes)
    assert [e.quote for e in states[-1].evidence] == ["a quote"]


async def test_moving_on_after_a_grade_is_an_option_and_a_key(plans_db):
    from ehcaudit import locations

    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_text("advance_after_grade = true\n")
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "3")
        await pilot.pause()
        assert app.screen.index == 1
        await pilot.press("A", "2")
        await pilot.pause()
        assert app.screen.index == 1
    assert config.advance_after_grade() is False  # the toggle is remembered ...
    assert locations.config_file().read_text() == "advance_after_grade = true\n"  # ... and the user's file untouched


def test_toggles_never_rewrite_the_users_config_and_its_keys_table():
    from ehcaudit import locations

    text = 'reviewer = "Alice"\n\n[keys]\n"audit.next" = "j"\n'
    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_text(text)
    config.remember_advance_after_grade(True)
    config.remember_theme("textual-dark")
    assert locations.config_file().read_text() == text
    assert config.load_config()["keys"] == {"audit.next": "j"} and config.advance_after_grade() is True


async def test_search_counts_the_matches_says_when_it_goes_round_and_shows_lines_above_the_match(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "slash", *"speech", "enter")
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(PlanView)
        status = screen.query_one("#audit-status")
        total = sum(1 for ln in view.lines if "speech" in ln.text.lower())
        assert total >= 3
        assert shown_text(status).startswith(f"'speech': not in these sections; 1 of {total} in the whole plan (ctrl+n next)")
        seen = []
        for n in range(2, total + 1):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert shown_text(status).startswith(f"'speech': {n} of {total} (ctrl+n next)")
            assert "speech" in view.lines[view.highlighted].text.lower()
            y = view._index_to_line[view.highlighted]
            at_end = round(view.scroll_offset.y) >= view.max_scroll_y
            seen.append(y - round(view.scroll_offset.y) if not at_end else 2)
        # Each match a few rows below the top, with the lines before it in view (unless the plan ends sooner).
        assert all(1 <= row <= 3 for row in seen), seen
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert shown_text(status).startswith(f"'speech': 1 of {total}, back to the first")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_audit_screen_lines_fit_the_width_whatever_is_on(plans_db, size):
    """Header (with auto-next on), the counts line (with evidence) and refusals: never cut or wrapped."""
    app = make_app(plans_db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "A", "e")
        await pilot.pause()
        screen = app.screen
        assert screen.advance
        header = shown_text(screen.query_one("#audit-header")).rstrip()
        assert "auto-next" in header and "2026-11" in header and "6 pages" in header and "…" not in header
        counts = screen.query_one("#criterion-counts")
        assert counts.size.height == 1 and "(p3)" in shown_text(counts)
        assert ("d descriptors" in shown_text(counts)) == (size[0] == 80)  # the side panel at 120 has no room left
        status = screen.query_one("#audit-status")
        for keys in (["c"], ["w"], ["w", "down", "c"]):
            await pilot.press(*keys)
            await pilot.pause()
            said = shown_text(status).rstrip()
            assert said and "…" not in said and len(said) <= size[0] - 1, said


async def test_the_section_list_says_p3_for_a_section_on_one_page(plans_db):
    from ehcaudit.tui.modals import PickModal

    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    sections = P.plan_sections(plans_db, plan.id)
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        shown = dict(app.screen.choices)
        for code, s in sections.items():
            where = shown[code].split()[-1]
            assert where == (f"p{s.page_start}" if s.page_start == s.page_end else f"p{s.page_start}-{s.page_end}")
        assert not any(f"p{n}-{n}" in label for label in shown.values() for n in range(1, 10))
