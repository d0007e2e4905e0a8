"""The reviewer-facing screens at 80x24 and 120x40: headers that fit, words that say what they mean,
the reviewer's name wherever work is signed, and footers that offer only what works."""

import io
import shutil

import pytest

from conftest import shown_text
from ehcaudit.store import audits as A
from ehcaudit.store import calibration as K
from ehcaudit.store import open_db
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.calibration_screen import CalibrationScreen
from ehcaudit.tui.help_screen import HelpScreen
from ehcaudit.tui.moderation_screen import ModerationScreen, short_names
from ehcaudit.tui.widgets.header_bar import fit_header

SIZES = [(80, 24), (120, 40)]


def help_text(screen) -> str:
    from rich.console import Console

    from ehcaudit.tui.help_screen import bindings_table

    console = Console(width=200, record=True, file=io.StringIO())
    for title, bindings in screen.sections:
        console.print(bindings_table(title, bindings))
    return console.export_text()


class _closing:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.conn.close()


def header_of(app, css_id: str) -> str:
    return shown_text(app.screen.query_one(css_id))


def test_a_header_leaves_out_the_least_important_parts_first():
    parts = [("as Jo Bloggs", "", 0), ("12 plans", "", 1), ("a long hint that matters least", "", 3)]
    assert fit_header("Moderation", parts, 120).plain == " Moderation  as Jo Bloggs · 12 plans · a long hint that matters least"
    narrow = fit_header("Moderation", parts, 40).plain
    assert narrow == " Moderation  as Jo Bloggs · 12 plans" and len(narrow) <= 40
    assert fit_header("Moderation", parts, 20).plain.startswith(" Moderation ")
    assert len(fit_header("Moderation", parts, 20).plain) <= 20


# ------------------------------------------------------------------ 1: calibration says blind only when it is


@pytest.mark.parametrize("size", SIZES)
async def test_calibration_header_says_revealed_when_the_session_is_revealed(demo, size):
    app = EhcauditApp(db=demo, reviewer="Demo reviewer")
    async with app.run_test(size=size) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CalibrationScreen)
        header = header_of(app, "#calibration-header")
        assert "revealed" in header and "blind" not in header.lower()
        assert "as Demo reviewer" in header and "…" not in header


async def test_calibration_header_says_blind_before_the_reveal(plans_db, rubric):
    plan = next(p.id for p in list_plans(plans_db) if p.label == "plan-02")
    ref = A.open_audit(plans_db, plan, "Expert", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, ref.id, rubric, c.id, 3, "Expert")
    A.submit(plans_db, ref.id, rubric, "Expert")
    K.start_session(plans_db, "Induction", ref.id, "Trainer")
    app = EhcauditApp(db=plans_db, reviewer="Bob")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        header = header_of(app, "#calibration-header")
        assert "blind" in header and "revealed" not in header and "as Bob" in header


# ------------------------------------------------------------------ 2: moderation


def test_reviewer_columns_are_named_by_words_never_a_cut_bracket():
    assert short_names(["A. Expert (demo)", "Trainee 1 (demo)"], 22) == ["A. Expert", "Trainee 1"]
    assert short_names(["Jonathan Smith-Wellington", "R. Patel"], 31) == ["J. Smith-Wellington", "R. Patel"]
    assert short_names(["Jonathan Smith-Wellington", "R. Patel"]) == ["JSW", "RP"]
    assert short_names(["Jo Smith-Jones (team a)", "Jo Smith-Jones (team b)"]) == ["JSJ1", "JSJ2"]
    forms = {n for width in range(40) for n in short_names(["A. Expert-Reviewer (demo)"], width)}
    assert forms == {"A. Expert-Reviewer (demo)", "A. Expert-Reviewer", "Expert-Reviewer", "AER"}


async def test_moderation_leaves_the_calibration_reference_out_of_the_reviews(demo):
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:  # the plan list is shown from 100 columns
        await pilot.press("M")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModerationScreen)
        reference = demo.execute("SELECT reference_audit_id FROM calibration_sessions").fetchone()[0]
        assert all(a.id != reference for _, _, audits in screen.plans for a in audits)
        plans = shown_text(screen.query_one("#moderation-plans"))
        assert "3 reviews" not in plans and "plan-03 2 reviews" in plans


async def test_moderation_help_lists_only_the_rubric_grades(demo, rubric):
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app.screen)
        top = max(rubric.scale_values)
        assert f"Agree {top + 1}" not in text and "Plan text" not in text
        assert "1, 2, 3, 4" in text and "4 Outstanding" in text and "Next pane" in text


async def test_tab_reaches_every_moderation_pane_and_comes_back_to_the_plans(demo):
    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:  # narrower, the plans are a picker (p)
        await pilot.press("M")
        await pilot.pause()
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            seen.append("reviewer" if focused.has_class("moderation-reviewer") else focused.id)
        assert {"moderation-plans", "moderation-table", "reviewer"} <= set(seen)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id != seen[-1] or seen[-1] == "reviewer"


# ------------------------------------------------------------------ 3: audit round progress in words


def _submit(db, plan_id, who, rubric, grade=3, v1=None):
    audit = A.open_audit(db, plan_id, who, rubric)
    for c in rubric.criteria:
        A.set_grade(db, audit.id, rubric, c.id, v1 if (v1 and c.id == "V1") else grade, who)
    A.submit(db, audit.id, rubric, who)


def test_reviews_submitted_before_the_round_was_drawn_are_not_round_work(plans_db, rubric):
    from datetime import UTC, datetime

    from ehcaudit.rounds.progress import round_progress
    from ehcaudit.rounds.round import assign_round, draw_round
    from ehcaudit.store.db import stamped_by
    from ehcaudit.store.rounds import round_plans

    before, drawn = datetime(2026, 11, 1, 9, tzinfo=UTC), datetime(2026, 11, 2, 9, tzinfo=UTC)
    with stamped_by(lambda: drawn):
        rnd, _ = draw_round(plans_db, size=4, cohort="2026-11", double_share=0.5, seed=7)
    plans = round_plans(plans_db, rnd.id)
    double = next(p.plan_id for p in plans if p.double)
    with stamped_by(lambda: before):  # a double review done a week earlier, with a disagreement
        _submit(plans_db, double, "Ann", rubric, 3)
        _submit(plans_db, double, "Bob", rubric, 3, v1=1)
    with stamped_by(lambda: drawn):
        assign_round(plans_db, rnd.id, ["Ann", "Bob"], "2099-12-31")
    p = round_progress(plans_db, rnd.id)
    assert p["reviews_submitted"] == 0 and p["need_moderation"] == []
    assert sum(r["submitted"] for r in p["reviewers"]) == 0
    assert get_label(plans_db, double) in p["need_second_review"]


def get_label(db, plan_id):
    return next(p.label for p in list_plans(db) if p.id == plan_id)


def test_round_progress_reads_in_words(plans_db):
    from ehcaudit.rounds.progress import progress_lines, round_progress
    from ehcaudit.rounds.round import assign_round, draw_round

    rnd, _ = draw_round(plans_db, size=3, cohort="2026-11", double_share=0, seed=1)
    unassigned = progress_lines(round_progress(plans_db, rnd.id))
    assert unassigned[0].startswith("Audit round ") and "3 plans" in unassigned[0]
    assert "No reviews assigned yet" in unassigned[1] and "0 of 0" not in " ".join(unassigned)
    assign_round(plans_db, rnd.id, ["Ann"], "2099-12-31")
    text = " ".join(progress_lines(round_progress(plans_db, rnd.id)))
    assert "0 of 3 reviews submitted" in text and "(s)" not in text
    assert "no plans need a second review" in text and "no plans need moderation" in text


async def test_progress_screen_says_audit_round_and_fits_80_columns(plans_db):
    from ehcaudit.rounds.round import draw_round

    draw_round(plans_db, size=3, cohort="2026-11", double_share=0, seed=1)
    app = EhcauditApp(db=plans_db, reviewer="Q. Lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        header = header_of(app, "#progress-header")
        assert "Audit round progress" in header and "as Q. Lead" in header and "…" not in header
        status = shown_text(app.screen.query_one("#progress-status"))
        assert "nothing assigned yet" in status and "…" not in status


# ------------------------------------------------------------------ 9: numbers read plainly in Markdown


def test_markdown_numbers_read_plainly_and_list_starts_stay_escaped():
    from ehcaudit.output.safe import md_text
    from ehcaudit.rounds.text import md_cell

    for escape in (md_text, md_cell):
        assert escape("78.6") == "78.6" and escape("2.86") == "2.86" and escape("-2") == "-2"
        assert escape("1. not a list").startswith("1\\.") and escape("3) nor this").startswith("3\\)")
        assert escape("- not a list").startswith("\\-") and escape("# no heading").startswith("\\#")


def test_the_markdown_board_paper_has_no_escaped_decimal_point(cli, tmp_path):
    from ehcaudit.demo import build_demo_db

    db = build_demo_db(tmp_path / "demo.db")
    out = cli("summary", "--db", str(db), "--format", "md")
    assert out.returncode == 0 and "78.6" in out.stdout
    import re

    assert not re.search(r"\d\\\.\d", out.stdout)


# ------------------------------------------------------------------ 8: piped output is never cut


def test_piped_inspect_and_check_keep_whole_titles(cli, sample_plans_dir):
    plan = str(sample_plans_dir / "plan-01.pdf")
    out = cli("inspect", plan)
    assert out.returncode == 0
    assert "Section G: Any health provision reasonably required by the learning difficulties or disabilities" \
           " which result in the child or young person having SEN" in out.stdout and "…" not in out.stdout
    checked = cli("check", str(sample_plans_dir / "plan-03.pdf"))
    assert "when there is a supply teacher." in checked.stdout and "…" not in checked.stdout


def test_a_terminal_gets_titles_cut_with_an_ellipsis():
    from ehcaudit.output.safe import clip

    class Tty:
        def isatty(self):
            return True

    assert clip("a" * 100, 10, Tty()) == "a" * 9 + "…"
    assert clip("a" * 100, 10, io.StringIO()) == "a" * 100


# ------------------------------------------------------------------ 5: a submitted audit's footer offers only what works


def footer_text(app) -> str:
    from textual.widgets import Footer

    footer = app.screen.query_one(Footer)
    return " ".join(shown_text(key) for key in footer.query("FooterKey, FooterLabel")) + shown_text(footer)


@pytest.mark.parametrize("size", SIZES)
async def test_a_submitted_audit_offers_reopen_not_edit_keys_and_names_the_reviewer(plans_db, rubric, size):
    plan = next(p.id for p in list_plans(plans_db) if p.label == "plan-02")
    _submit(plans_db, plan, "Alice Wong-Hartley", rubric, 3)
    app = EhcauditApp(db=plans_db, reviewer="Alice Wong-Hartley")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_audit(plan)
        await pilot.pause()
        footer = footer_text(app)
        assert "Reopen" in footer
        for edit in ("Grade", "Keep", "Note"):
            assert edit not in footer
        header = header_of(app, "#audit-header")
        assert "submitted" in header and "Alice Wong-Hartley" in header
        await pilot.press("3")
        await pilot.pause()
        assert "read-only" in shown_text(app.screen.query_one("#audit-status"))
        assert A.load_audit(plans_db, app.screen.audit.id).submitted


async def test_an_audit_in_progress_still_offers_the_edit_keys(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        footer = footer_text(app)
        assert "Keep" in footer and "Note" in footer and "Reopen" not in footer


# ------------------------------------------------------------------ 4 and 10: headers fit, and name who signs


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key, css_id, signed", [
    ("C", "#calibration-header", True), ("M", "#moderation-header", True), ("P", "#progress-header", True),
    ("R", "#replay-header", True), ("s", "#summary-header", False)])
async def test_every_header_fits_and_names_the_reviewer_where_work_is_signed(demo, size, key, css_id, signed):
    app = EhcauditApp(db=demo, reviewer="Demo reviewer")
    async with app.run_test(size=size) as pilot:
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = header_of(app, css_id).rstrip()
        assert "…" not in header and len(header) <= size[0]
        assert ("Demo reviewer" in header) == signed or not signed


async def test_the_import_screen_names_who_imports(demo):
    app = EhcauditApp(db=demo, reviewer="Demo reviewer")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        title = shown_text(app.screen.query_one(".dialog-title"))
        assert "Import plan PDFs · as Demo reviewer" in title


# ------------------------------------------------------------------ 10: an interrupted import loses nothing


@pytest.mark.skipif(not __import__("pathlib").Path("/proc/self/stat").exists(), reason="signals a child process")
def test_ctrl_c_during_an_import_prints_the_lines_so_far_and_a_summary(tmp_path, sample_plans_dir):
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from hostile_pdfs import operator_bomb

    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("plan-01.pdf", "plan-02.pdf"):
        shutil.copy(sample_plans_dir / name, folder / f"a-{name}")
    (folder / "b-empty.pdf").write_bytes(b"")
    for n in range(2):
        operator_bomb(folder / f"z-bomb-{n}.pdf", megabytes=24 + n)  # still being read when ctrl+c comes (several s each)
    db = tmp_path / "i.db"
    run = subprocess.Popen([sys.executable, "-m", "ehcaudit.cli", "import", str(folder), "--db", str(db), "--jobs", "2",
                            "--timeout", "0", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stored, deadline = 0, time.monotonic() + 90
    while stored < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.3)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                stored = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
        except sqlite3.Error:
            stored = 0
    assert stored == 2, "the two good plans were never stored"
    time.sleep(0.5)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    assert run.returncode != 0
    assert "b-empty.pdf" in err  # the line of a file already done
    assert "interrupted: 2 files not read" in err and "Traceback" not in err
    assert out.strip().splitlines()[-1] == "imported 2, duplicates 0, failed 1, not read 2"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 2


# ------------------------------------------------------------------ 6: the demo starts at once the second time


def test_a_second_demo_the_same_day_starts_from_a_fresh_copy(tmp_path, monkeypatch):
    import ehcaudit.demo as demo_module

    first = demo_module.build_demo_db(tmp_path / "demo.db")
    with _closing(open_db(first)) as db:
        db.execute("UPDATE plans SET cohort = 'played-with' WHERE label = 'plan-01'")  # the reviewer played with the demo
        db.conn.commit()
    monkeypatch.setattr(demo_module, "_build", lambda path: pytest.fail("the demo was read from the PDFs again"))
    again = demo_module.build_demo_db(tmp_path / "demo.db")
    with _closing(open_db(again)) as db:
        assert db.execute("SELECT count(*) FROM plans WHERE cohort = 'played-with'").fetchone()[0] == 0
    assert (again.stat().st_mode & 0o777) == 0o600


# ------------------------------------------------------------------ refusals come before any typing


async def test_na_where_the_rubric_does_not_allow_it_is_refused_out_loud(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "g", "G", "3", "enter")
        await pilot.pause()
        screen = app.screen
        assert screen.criterion.id == "G3" and not screen.criterion.allow_na
        for key in ("0", "x"):
            screen._status("")
            await pilot.press(key)
            await pilot.pause()
            assert shown_text(screen.query_one("#audit-status")).startswith("G3 cannot be N/A in this rubric; give it a grade")
            assert not A.load_audit(plans_db, screen.audit.id).judgement("G3").done


@pytest.mark.parametrize("size", SIZES)
async def test_a_calibration_reference_is_not_offered_for_reopening_and_r_refuses_at_once(demo, size):
    from ehcaudit.tui.audit_screen import AuditScreen
    from ehcaudit.tui.modals import PromptModal

    reference, plan_id, reviewer = demo.execute(
        "SELECT a.id, a.plan_id, a.reviewer FROM calibration_sessions s JOIN audits a ON a.id = s.reference_audit_id").fetchone()
    app = EhcauditApp(db=demo, reviewer=reviewer)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_audit(plan_id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.audit.id == reference and screen.audit.submitted
        assert "Reopen" not in footer_text(app)
        header = header_of(app, "#audit-header")
        assert "R reopens" not in header and "calibration reference" in header
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is screen and not isinstance(app.screen, PromptModal)
        said = shown_text(screen.query_one("#audit-status"))
        assert said.startswith("cannot reopen the reference of calibration 'Demo calibration") and "…" not in said
        await pilot.press("3")
        await pilot.pause()
        assert "R reopens" not in shown_text(screen.query_one("#audit-status"))
    assert A.load_audit(demo, reference).submitted


async def test_moderation_refuses_na_where_the_rubric_does_not_allow_it_before_asking_why(demo, rubric):
    from ehcaudit.tui.modals import PromptModal

    app = EhcauditApp(db=demo, reviewer="Moderator")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("M")
        await pilot.pause()
        screen = app.screen
        cid = screen._selected_criterion()
        if rubric.criterion(cid).allow_na:
            table = screen.query_one("#moderation-table")
            row = next(i for i in range(table.row_count)
                       if not rubric.criterion(table.coordinate_to_cell_key((i, 0)).row_key.value).allow_na)
            table.move_cursor(row=row)
            await pilot.pause()
            cid = screen._selected_criterion()
        await pilot.press("0")
        await pilot.pause()
        assert app.screen is screen and not isinstance(app.screen, PromptModal)
        assert any(f"{cid} cannot be N/A in this rubric" in str(n.message) for n in app._notifications)
