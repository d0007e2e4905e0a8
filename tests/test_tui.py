"""Driving the app with the keyboard, as a reviewer would (Textual Pilot)."""

import io

from conftest import shown_text
from ehcaudit.store import audits as A
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.help_screen import HelpScreen
from ehcaudit.tui.modals import ConfirmModal
from ehcaudit.tui.plan_list import PlanListScreen


def make_app(db, reviewer="Alice"):
    return EhcauditApp(db=db, reviewer=reviewer)


async def test_a_whole_audit_from_plan_list_to_submit_with_keys_only(plans_db, rubric):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.plan.label == "plan-01"
        for criterion in rubric.criteria:
            assert screen.criterion.id == criterion.id
            await pilot.press("3" if criterion.area != "voice" else "4")
            await pilot.press("n")
        await pilot.press("m")
        await pilot.press(*"Clear, specific plan.")
        await pilot.press("ctrl+s")
        await pilot.press("e")  # keep the line under the cursor as evidence
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and screen.audit.submitted
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen)
    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    audit = A.load_audit(plans_db, A.find_audit(plans_db, plan.id, "Alice", rubric.sha256))
    assert audit.submitted
    assert audit.judgement("V1").grade == 4 and audit.judgement("G3").grade == 3
    assert audit.judgement("G3").note == "Clear, specific plan." and len(audit.evidence_for("G3")) == 1


async def test_submit_is_refused_until_complete_and_jumps_to_the_gap(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "n", "3", "S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen) and not screen.audit.submitted
        assert screen.criterion.id == "V3"  # the first criterion with no grade


async def test_na_only_where_allowed(plans_db, rubric):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "x")
        await pilot.pause()
        screen = app.screen
        assert not screen.audit.judgement("V1").done  # V1 does not allow N/A
        await pilot.press("g")
        await pilot.press("H", "2", "enter")
        await pilot.pause()
        assert screen.criterion.id == "H2"
        await pilot.press("0")
        await pilot.pause()
        assert screen.audit.judgement("H2").not_applicable


async def test_reopening_the_plan_resumes_where_the_reviewer_was(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "2", "n", "n", "n", "escape")
        await pilot.pause()
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.criterion.id == "V4"
        assert app.screen.audit.judgement("V1").grade == 2


async def test_undo_key_reverts_the_last_grade(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "2", "4", "u")
        await pilot.pause()
        assert app.screen.audit.judgement("V1").grade == 2


async def test_the_plan_shows_the_criterions_sections_with_look_for_phrases(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one("#plan-view")
        assert view.lines[0].heading and view.lines[0].section == "A"
        assert {ln.section for ln in view.lines} == {"A"}
        assert view.pattern.search("I like Lego")
        await pilot.press("g", "O", "1", "enter")
        await pilot.pause()
        assert {ln.section for ln in view.lines} == {"E"}


async def test_search_finds_text_anywhere_in_the_plan(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "slash", *"melatonin", "enter")
        await pilot.pause()
        view = app.screen.query_one("#plan-view")
        assert "melatonin" in view.lines[view.highlighted].text


async def test_evidence_keeps_selected_lines_with_their_page(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "space", "space", "e")
        await pilot.pause()
        [evidence] = app.screen.audit.evidence_for("V1")
        assert evidence.section_code == "A" and evidence.page_number == 3
        view = app.screen.query_one("#plan-view")
        assert view.lines[1].text in evidence.quote and view.lines[2].text in evidence.quote


async def test_section_correction_is_stored_and_used(plans_db):
    from ehcaudit.store.plans import plan_sections

    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "w")  # whole plan
        await pilot.pause()
        plan_id = app.screen.plan.id
        found = plan_sections(plans_db, plan_id)
        view = app.screen.query_one("#plan-view")
        # J's first line, said to belong to I: it moves, and both sections are then the reviewer's.
        start = next(i for i, ln in enumerate(view.lines) if ln.section == "J" and ln.rows)
        moved = view.lines[start].rows  # a paragraph: one or more printed lines
        view.highlighted = start
        await pilot.press("space", "c", "I", "enter")
        await pilot.pause()
    corrected = plan_sections(plans_db, plan_id)
    j_rows = found["J"].text.splitlines()
    assert corrected["I"].source == "corrected" and corrected["I"].heading == found["I"].heading
    assert corrected["I"].text.splitlines() == found["I"].text.splitlines() + [j_rows[r] for r in moved]
    assert corrected["J"].text.splitlines() == [ln for r, ln in enumerate(j_rows) if r not in moved]


async def test_other_reviewers_grades_are_hidden_while_yours_is_open(plans_db, rubric):
    plan = next(p for p in list_plans(plans_db) if p.label == "plan-01")
    bob = A.open_audit(plans_db, plan.id, "Bob", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, bob.id, rubric, c.id, 1, "Bob")
    A.submit(plans_db, bob.id, rubric, "Bob")
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        body = app.screen.query_one("#criterion-detail")
        assert "V1" in shown_text(app.screen.query_one("#criterion-title")) and "Bob" not in shown_text(body)
        for _ in rubric.criteria:
            await pilot.press("4")
            await pilot.press("n")
        await pilot.press("S", "y")
        await pilot.pause()
        await pilot.press("g", "V", "1", "enter")
        await pilot.pause()
        assert "Bob: 1" in shown_text(body)  # once Alice has submitted, Bob's grades appear


async def test_help_lists_every_key(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from ehcaudit.tui.help_screen import bindings_table

        console = Console(width=200, record=True, file=io.StringIO())
        for title, bindings in app.screen.sections:
            console.print(bindings_table(title, bindings))
        text = console.export_text()
        for words in ("1, 2, 3, 4", "4 Outstanding", "N/A", "Next criterion", "note", "evidence", "Undo", "Submit", "Search", "Correct a section", "Enter", "?"):
            assert "question_mark" not in text
            assert words in text


async def test_plan_list_filters_and_search(plans_db, rubric):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#plan-table")
        total = table.row_count
        assert total >= 12
        await pilot.press("slash", *"plan-1")
        await pilot.pause()
        assert 0 < table.row_count < total
        await pilot.press("ctrl+a", "ctrl+k")  # clear the search box
        await pilot.press(*"pln-07")  # a typing mistake still finds it
        await pilot.pause()
        assert any("plan-07" in str(table.get_row_at(i)[0]) for i in range(table.row_count))
        for query in ("plan-7", "plan07", "Plan 7"):
            await pilot.press("ctrl+a", "ctrl+k", *query)
            await pilot.pause()
            assert str(table.get_row_at(0)[0]) == "plan-07", query  # the best match first


async def test_first_run_asks_who_is_reviewing_and_remembers(plans_db):
    from ehcaudit import config

    app = EhcauditApp(db=plans_db, reviewer=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"Priya", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen) and app.screen.reviewer == "Priya"
    assert config.saved_reviewer() == "Priya"


async def test_import_screen_runs_in_a_worker_with_progress(tmp_path, sample_plans_dir, monkeypatch):
    from ehcaudit.store import open_db

    db = open_db(tmp_path / "empty.db")
    app = make_app(db)
    monkeypatch.chdir(sample_plans_dir)  # short names to type: each key pressed is a round trip through the app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.press(".", "enter")
        await pilot.pause()
        assert not app.screen.running  # Enter in the path field moves to the cohort, it does not start
        await pilot.press(*"2026-11", "enter", *"metadata.csv", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.screen.query_one("#import-progress")
        assert bar.progress == bar.total >= 12
        assert shown_text(app.screen.query_one("#import-current")).startswith("imported")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#plan-table").row_count >= 12
    plans = list_plans(db)
    assert {p.cohort for p in plans} == {"2026-11"} and any(p.metadata.get("phase") for p in plans)


async def test_high_contrast_theme_toggles(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        assert app.theme == "ehcaudit-high-contrast"


async def test_command_palette_offers_screen_actions(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for words in ("Submit", "note", "evidence", "Wider criterion panel", "Next criterion after a grade"):
            assert any(words in t for t in titles), words


async def test_a_plan_with_doubtful_sections_says_check_sections_on_the_plan_list(tmp_path):
    from textual.widgets import DataTable

    from councilmaker import ORDER, Layout, make_council_plan
    from ehcaudit.ingest.importer import import_plans
    from ehcaudit.store import open_db

    # A plan missing half its sections: the reviewer must fix it before grading.
    make_council_plan(tmp_path / "gappy.pdf", Layout(headings="statutory", order=ORDER[:6]))
    db = open_db(tmp_path / "p.db")
    assert import_plans(db, [tmp_path / "gappy.pdf"]).imported == 1
    [plan] = list_plans(db)
    assert sum("was not found" in x.message for x in plan.warnings) == 6  # one warning per missing section ...
    app = make_app(db)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        assert "check sections" in shown_text(app.screen.query_one(DataTable))  # ... and the plan list says look
    db.conn.close()


async def test_a_correction_moves_exactly_the_selected_lines_and_u_undoes_it(plans_db):
    from ehcaudit.store.plans import plan_sections

    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        plan_id = app.screen.plan.id
        found = plan_sections(plans_db, plan_id)
        await pilot.press("w")  # whole plan
        await pilot.pause()
        view = app.screen.query_one("#plan-view")
        # From I's last line to J's first, across J's heading, a page break and its furniture: only the
        # two lines of text move; the heading stays J's and the page furniture stays set aside.
        last_of_i = max(i for i, ln in enumerate(view.lines) if ln.section == "I" and ln.rows)
        first_of_j = next(i for i, ln in enumerate(view.lines) if ln.section == "J" and ln.rows)
        assert any(ln.aside for ln in view.lines[last_of_i:first_of_j])
        i_rows, moved_rows = found["I"].text.splitlines(), set(view.lines[last_of_i].rows)
        j_rows = found["J"].text.splitlines()
        view.highlighted = last_of_i
        await pilot.press("space")
        view.highlighted = first_of_j
        await pilot.press("space", "c", "J", "enter")
        await pilot.pause()
        corrected = plan_sections(plans_db, plan_id)
        assert corrected["J"].source == "corrected" and corrected["J"].heading == found["J"].heading
        assert corrected["J"].text.splitlines() == [i_rows[r] for r in sorted(moved_rows)] + j_rows
        assert corrected["I"].text.splitlines() == [ln for r, ln in enumerate(i_rows) if r not in moved_rows]
        assert "set-aside lines stay set aside" in shown_text(app.screen.query_one("#audit-status"))
        assert "from I into J; saved for everyone" in shown_text(app.screen.query_one("#audit-status"))
        await pilot.press("u")
        await pilot.pause()
        assert plan_sections(plans_db, plan_id) == found
    actions = [r[0] for r in plans_db.execute("SELECT action FROM events WHERE plan_id = ? ORDER BY id", [plan_id])]
    assert actions[-2:] == ["section_corrected", "section_correction_undone"]


async def test_c_moves_selected_lines_into_a_section_which_keeps_its_own_lines(plans_db):
    """The tester's case: outcomes text found in A is moved into E; E's outcomes stay, A loses the lines."""
    from ehcaudit.store.plans import plan_sections

    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert screen.plan.label == "plan-02" and screen.criterion.id == "V1"
        found = plan_sections(plans_db, screen.plan.id)
        view = screen.query_one("#plan-view")
        view.highlighted = next(i for i, ln in enumerate(view.lines) if ln.text.startswith("Progress towards"))
        await pilot.press("space", "space", "c", "E", "enter")
        await pilot.pause()
        assert shown_text(screen.query_one("#audit-status")).startswith("2 lines moved from A into E; saved for everyone")
        after = plan_sections(plans_db, screen.plan.id)
        a_rows = found["A"].text.splitlines()
        # Two lines on screen, four printed lines: "Progress towards ... parents." and "Staff who know ... dog."
        assert after["E"].text.splitlines() == a_rows[:4] + found["E"].text.splitlines()
        assert after["A"].text.splitlines() == a_rows[4:] and after["B"] == found["B"]
        # The plan on screen is drawn again from the sections: the lines are no longer shown in A.
        assert not any(ln.text.startswith("Progress towards") for ln in view.lines)
        reopened = "\n".join(ln.text for ln in screen._criterion_lines(["A"]))
        assert "Progress towards" not in reopened and "Staff who know" not in reopened
        assert "By the end of Year 5" in "\n".join(ln.text for ln in screen._criterion_lines(["E"]))
        await pilot.press("u")
        await pilot.pause()
        assert plan_sections(plans_db, screen.plan.id) == found
        assert any(ln.text.startswith("Progress towards") for ln in view.lines)


async def test_plan_list_cells_from_a_csv_are_text_never_markup(plans_db):
    from textual.widgets._data_table import default_cell_formatter

    # A cohort or phase comes from a metadata CSV: markup in it is shown as typed, never obeyed.
    plans_db.execute("UPDATE plans SET cohort = '[link=https://example.org]2026-11[/link]', phase = '[b]primary[/b]'")
    app = make_app(plans_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#plan-table")
        # What the table draws for each cell (a str is read as markup there, a Text is drawn as it is).
        shown = [default_cell_formatter(c).plain for c in table.get_row_at(0)]
        assert "[link=https://example.org]2026-11[/link]" in shown and "[b]primary[/b]" in shown


async def test_each_import_run_starts_a_clean_log_and_ends_with_its_totals(tmp_path):
    from textual.widgets import Input, RichLog

    from ehcaudit.store import open_db

    notes = tmp_path / "notes.txt"
    notes.write_text("not a plan")
    app = make_app(open_db(tmp_path / "empty.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        for path in (tmp_path / "does-not-exist", notes):
            screen.query_one("#import-path", Input).value = str(path)
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
        log = "".join(line.text for line in screen.query_one(RichLog).lines)  # a long path wraps
        assert "does-not-exist" not in log and "notes.txt" in log  # the run before is gone
        totals = screen.query_one("#import-current")
        assert totals.region.y > screen.query_one(RichLog).region.y  # the totals come after the file lines


async def test_the_demo_reviewer_name_dialog_reads_whole_at_80_columns(plans_db):
    app = make_app(plans_db)
    app.remember_reviewer = False  # as in `ehcaudit demo`: the longer help line
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        help_line, box = app.screen.query_one(".dialog-help"), app.screen.query_one(".dialog")
        assert shown_text(help_line).rstrip().endswith("escape: no change")
        assert help_line.region.right <= box.content_region.right, "the help line is not cut by the dialog's edge"


async def test_the_command_palette_leaves_out_what_does_nothing_here(plans_db):
    app = make_app(plans_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Back to list" not in titles and "Summary" in titles  # the list already has the keys
        await pilot.press("/")
        await pilot.pause()
        assert "Back to list" in [c.title for c in app.get_system_commands(app.screen)]  # from the search box
