"""What leaves ehcaudit is safe to open: spreadsheets, terminals, Markdown, and files written all or nothing."""

import csv
import io
import json
import os
import re
import stat

import pytest

from ehcaudit.output.files import write_private
from ehcaudit.output.safe import cell, md_text, printable, uncell
from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import open_db
from ehcaudit.summary.compute import build_summary
from ehcaudit.summary.data import load_sample
from ehcaudit.summary.render import to_csv, to_markdown, write_xlsx
from test_summary import MINI, write_csv

HYPERLINK = '=HYPERLINK("http://example.invalid/x","click")'
OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # would write the clipboard
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def starts_a_formula(value: str) -> bool:
    """What a spreadsheet would run: text starting with = + - @ tab or CR that is not simply a number."""
    try:
        float(value)
        return False
    except ValueError:
        return value.lstrip(" ").startswith(FORMULA_START)


@pytest.fixture
def mini(tmp_path):
    from ehcaudit.rubric import resolve_rubric

    path = tmp_path / "mini.toml"
    path.write_text(MINI)
    return resolve_rubric(str(path))


def hostile_scores(tmp_path):
    """Two reviewers on one plan, with a formula for a name, a control character and injected Markdown."""
    rows = [
        ("p-1", HYPERLINK, "V1", 3, "@SUM(A1:A9)", "+2026"),
        ("p-1", HYPERLINK, "O1", 2, "-1+1 is a formula", "+2026"),
        ("p-1", f"Bob{OSC52}", "V1", 4, "line one\n# injected heading", "+2026"),
        ("p-1", f"Bob{OSC52}", "O1", 4, "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://example.invalid/t.png)", "+2026"),
        ("=cmd|' /C calc'!A0", "ann", "V1", 1, "'=already quoted", "2026-11"),
        ("=cmd|' /C calc'!A0", "ann", "O1", 1, "", "2026-11"),
    ]
    return write_csv(tmp_path / "hostile.csv", rows)


@pytest.fixture
def hostile_db(tmp_path, mini):
    db = open_db(tmp_path / "hostile.db")
    import_scores(db, read_scores(hostile_scores(tmp_path), mini), mini, "hostile.csv")
    yield db
    db.conn.close()


# ------------------------------------------------------------------ 12: spreadsheet formula injection


@pytest.mark.parametrize("value", [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\tx", " =1+1", "'=x", "''@y", "'hello", "plain", "-", "- a list"])
def test_a_cell_never_starts_a_formula_and_reads_back_as_written(value):
    written = cell(value)
    assert not starts_a_formula(written)
    assert uncell(written) == value


@pytest.mark.parametrize("value", [-3, -0.33, 2.5, "-3", "-0.25", "+4", "1e3"])
def test_numbers_stay_numbers(value):
    assert cell(value) == value


def test_control_characters_are_dropped_from_cells():
    assert cell("a\x00b\x1bc\x07d\x9be") == "abcde"
    assert cell("two\nlines\ttab") == "two\nlines\ttab"


def test_scores_export_is_safe_in_a_spreadsheet_and_imports_back_unchanged(cli, tmp_path, hostile_db, mini):
    db_path = tmp_path / "hostile.db"
    first = cli("scores", "export", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    rows = list(csv.reader(io.StringIO(first.stdout)))
    for row in rows:
        for value in row:
            assert not starts_a_formula(value), value
            assert "\x1b" not in value and "\x07" not in value
    assert any(value == "'" + HYPERLINK for row in rows for value in row)
    # Import the export into a fresh database: the same export comes back, quotes undone on the way in.
    (tmp_path / "again.csv").write_text(first.stdout)
    mini_file = tmp_path / "mini.toml"
    assert cli("scores", "import", str(tmp_path / "again.csv"), "--db", str(tmp_path / "again.db"), "--rubric", str(mini_file)).returncode == 0
    again = open_db(tmp_path / "again.db")
    reviewers = {r[0] for r in again.execute("SELECT reviewer FROM audits")}
    assert HYPERLINK in reviewers and "Bob]52;c;aGVsbG8=" in reviewers  # the formula as text; control characters gone
    notes = {r[0] for r in again.execute("SELECT note FROM judgements")}
    # a hand-made CSV's quote before "=" reads as a spreadsheet would: text "=already quoted"
    assert "=already quoted" in notes and "@SUM(A1:A9)" in notes
    second = cli("scores", "export", "--db", str(tmp_path / "again.db"))
    assert second.stdout == first.stdout


def test_xlsx_summary_has_no_formula_and_keeps_numbers_as_numbers(tmp_path, hostile_db, mini):
    openpyxl = pytest.importorskip("openpyxl")
    s = build_summary(mini, load_sample(hostile_db, mini.id), by=["reviewer", "cohort"])
    path = tmp_path / "summary.xlsx"
    write_xlsx(s, path)
    book = openpyxl.load_workbook(path)  # a corrupt file (control characters) would fail here
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not starts_a_formula(c.value), (sheet.title, c.coordinate, c.value)
                    assert "\x1b" not in c.value
                elif isinstance(c.value, (int, float)):
                    numbers += 1
    assert numbers > 20
    reviewers = book["reviewers"]
    names = [reviewers.cell(row=r, column=1).value for r in range(4, reviewers.max_row + 1)]
    assert "'" + HYPERLINK in names
    diffs = [reviewers.cell(row=r, column=8).value for r in range(4, reviewers.max_row + 1)]
    assert any(isinstance(d, float) and d < 0 for d in diffs)  # a negative mean difference is a number, not text


def test_summary_csv_cells_cannot_run_as_formulas(hostile_db, mini):
    s = build_summary(mini, load_sample(hostile_db, mini.id), by=["reviewer", "cohort"])
    rows = list(csv.reader(io.StringIO(to_csv(s))))
    values = [v for row in rows for v in row]
    assert "'" + HYPERLINK in values and "+2026" in values  # a number is a number, never quoted
    assert "-1.0" in values or any(v.startswith("-") and float(v) < 0 for v in values if v[:1] == "-")  # negatives stay numbers
    assert not any(starts_a_formula(v) for v in values)


# ------------------------------------------------------------------ 13: terminal escape injection


def test_printable_draws_control_characters_instead_of_obeying_them():
    shown = printable(f"a{OSC52}b\x9b2J\u202eevil\r\nnext")
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e\r")
    assert "␛]52" in shown and shown.endswith("\nnext")


@pytest.mark.parametrize("args", [
    ["plans"], ["summary", "--by", "reviewer"], ["summary", "--format", "md"], ["scores", "export", "--format", "json"],
    ["replay", "--format", "text"], ["replay", "--format", "json"], ["replay", "1", "--format", "text"],
])
def test_cli_output_carries_no_escape_sequence(cli, tmp_path, hostile_db, args):
    extra = ["--rubric", str(tmp_path / "mini.toml")] if args[0] == "summary" else []
    result = cli(*args, "--db", str(tmp_path / "hostile.db"), *extra)
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert not any(ch in stream for ch in "\x1b\x07\x9b"), stream
    if "json" in args:
        json.loads(result.stdout)  # still valid JSON


def test_json_output_keeps_the_stored_text_exactly(cli, tmp_path, hostile_db):
    result = cli("scores", "export", "--format", "json", "--db", str(tmp_path / "hostile.db"))
    assert "\x1b" not in result.stdout
    assert any(r["reviewer"] == f"Bob{OSC52}" for r in json.loads(result.stdout))  # escaped in JSON, not lost


# ------------------------------------------------------------------ 14: Markdown


def test_markdown_text_is_never_markup():
    md = md_text("<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e.invalid/i.png) a|b\n# heading")
    assert "<script" not in md and "](" not in md.replace("\\](", "") and "![" not in md
    assert "\n" not in md and "\\|" in md and "\\#" in md
    assert md_text("1. not a list").startswith("1\\.") and md_text("- not a list").startswith("\\-")


def test_markdown_summary_has_no_script_link_image_or_injected_heading(hostile_db, mini):
    s = build_summary(mini, load_sample(hostile_db, mini.id), by=["reviewer", "cohort"])
    md = to_markdown(s)
    assert "<script" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md) and not re.search(r"!(?<!\\)\[", md)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(line.startswith(("# EHC plan quality", "## ")) for line in headings)
    table_rows = [line for line in md.splitlines() if line.startswith("|")]
    widths = {line.replace("\\|", "").count("|") for line in table_rows}
    assert len(widths) <= len({t.count("|") for t in table_rows})  # no cell adds a column


def test_calibration_pack_markdown_escapes_notes_and_names(plans_db, rubric):
    from ehcaudit.training.session_pack import build_pack, pack_markdown
    from ehcaudit.store import audits as A
    from ehcaudit.store import calibration as K
    from ehcaudit.store.plans import list_plans

    plan = list_plans(plans_db)[0].id
    ref = A.open_audit(plans_db, plan, "expert", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, ref.id, rubric, c.id, 3, "expert")
    A.set_note(plans_db, ref.id, rubric.criteria[0].id, "fine\n# Injected\n<img src=http://e.invalid/x>", "expert")
    A.submit(plans_db, ref.id, rubric, "expert")
    sid = K.start_session(plans_db, "[Induction](javascript:alert(1))", ref.id, "trainer")
    md = pack_markdown(build_pack(plans_db, sid, rubric))
    assert "\n# Injected" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # only "\](", which is text


# ------------------------------------------------------------------ 15: writes all or nothing, private


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "board-paper.html"
    target.write_text("last month's paper")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_private(target, "this month's paper")
    assert target.read_text() == "last month's paper"
    assert [p.name for p in tmp_path.iterdir()] == ["board-paper.html"]  # no temporary file left behind


def test_a_failed_xlsx_export_leaves_the_previous_file_whole(tmp_path, monkeypatch, hostile_db, mini):
    import xlsxwriter

    target = tmp_path / "summary.xlsx"
    target.write_bytes(b"the previous workbook")

    def full_disk(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full_disk)
    with pytest.raises(OSError):
        write_xlsx(build_summary(mini, load_sample(hostile_db, mini.id)), target)
    assert target.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".summary")) == []


def test_the_cli_gives_one_line_when_an_export_cannot_be_written(cli, tmp_path, hostile_db):
    for fmt in ("md", "xlsx"):
        result = cli("summary", "--format", fmt, "-o", str(tmp_path / "missing" / f"out.{fmt}"), "--db", str(tmp_path / "hostile.db"),
                     "--rubric", str(tmp_path / "mini.toml"))
        assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_exports_and_the_config_file_are_private(cli, tmp_path, hostile_db):
    for fmt in ("md", "html", "csv", "json", "xlsx"):
        out = tmp_path / f"summary.{fmt}"
        result = cli("summary", "--format", fmt, "-o", str(out), "--db", str(tmp_path / "hostile.db"), "--rubric", str(tmp_path / "mini.toml"))
        assert result.returncode == 0, result.stderr
        assert mode(out) == 0o600, fmt
    out = tmp_path / "scores.csv"
    cli("scores", "export", "-o", str(out), "--db", str(tmp_path / "hostile.db"))
    assert mode(out) == 0o600
    from ehcaudit import config, locations

    config.remember_theme("textual-dark")  # what the app writes goes to state.json; config.toml is the user's
    assert mode(locations.state_file()) == 0o600


def test_a_database_others_can_read_gets_a_warning(cli, tmp_path, hostile_db):
    path = tmp_path / "hostile.db"
    assert "warning" not in cli("plans", "--db", str(path)).stderr
    os.chmod(path, 0o644)
    result = cli("plans", "--db", str(path))
    assert result.returncode == 0 and "warning:" in result.stderr and "0644" in result.stderr and "chmod 600" in result.stderr


# ------------------------------------------------------------------ every export is private, and says where it went


@pytest.fixture
def audited_db(plans_db, plans_db_path, rubric):
    """plan-01 audited and submitted by Ann, one action, a round, and a revealed calibration session on it."""
    from ehcaudit.rounds.round import draw_round
    from ehcaudit.store import actions as action_store
    from ehcaudit.store import audits as A
    from ehcaudit.store import calibration as K
    from ehcaudit.store.plans import get_plan

    plan = get_plan(plans_db, "plan-01")
    audit = A.open_audit(plans_db, plan.id, "Ann", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, audit.id, rubric, c.id, 3, "Ann")
    A.submit(plans_db, audit.id, rubric, "Ann")
    action_store.add_action(plans_db, plan_id=plan.id, what="Quantify section F", owner="North", owner_kind="team",
                            due="2099-01-01", actor="Ann", audit_id=audit.id)
    draw_round(plans_db, size=3, cohort="2026-11", stratify=[], double_share=0.2, seed=1, rubric=rubric, actor="Q. Lead")
    sid = K.start_session(plans_db, "Induction", audit.id, "Ann")
    K.reveal_session(plans_db, sid, "Ann")
    return plans_db_path, audit.id, sid


EXPORTS = {
    "summary html": ["summary", "--format", "html"],
    "summary md": ["summary", "--format", "md"],
    "summary xlsx": ["summary", "--format", "xlsx"],
    "summary one table": ["summary", "--format", "csv", "--table", "criteria"],
    "scores export": ["scores", "export"],
    "feedback html": ["feedback", "plan-01"],
    "feedback md": ["feedback", "plan-01", "--format", "md"],
    "actions md": ["actions", "--format", "md"],
    "actions csv": ["actions", "--format", "csv"],
    "progress": ["progress", "--format", "md"],
    "session pack": ["calibrate", "report", "{sid}", "--format", "html"],
}


@pytest.mark.parametrize("name", EXPORTS)
def test_every_exporting_command_writes_a_file_only_its_owner_can_read(cli, tmp_path, audited_db, name):
    path, _audit, sid = audited_db
    out = tmp_path / "out" / f"export.{'xlsx' if 'xlsx' in name else 'txt'}"
    out.parent.mkdir()
    args = [a.format(sid=sid) for a in EXPORTS[name]]
    result = cli(*args, "-o", str(out), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600, name
    assert re.fullmatch(rf"wrote [^\n]+ to {re.escape(str(out))}\n", result.stderr.splitlines(keepends=True)[-1]), result.stderr
    out.write_text("old")  # replacing a file keeps it private too
    os.chmod(out, 0o644)
    assert cli(*args, "-o", str(out), "--db", str(path)).returncode == 0
    assert mode(out) == 0o600, name


async def test_every_export_from_the_app_is_private_asks_before_replacing_and_names_the_full_path(
        plans_db, audited_db, tmp_path, monkeypatch):
    from ehcaudit.tui.app import EhcauditApp
    from ehcaudit.tui.modals import ConfirmModal

    monkeypatch.chdir(tmp_path)  # short names to type
    (tmp_path / "fb.html").write_text("someone's earlier feedback")
    app = EhcauditApp(db=plans_db, reviewer="Ann")

    def toasts() -> str:
        return " ".join(str(n.message) for n in app._notifications)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # plan-01, Ann's submitted audit
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("ctrl+u", *"fb.html", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # it exists: asked first
        await pilot.press("n")
        await pilot.pause()
        assert (tmp_path / "fb.html").read_text() == "someone's earlier feedback"
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("ctrl+u", *"fb2.md", "enter")
        await pilot.pause()
        assert f"to {tmp_path / 'fb2.md'}" in toasts()
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("ctrl+u", *"fb.html", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Feedback on the EHC plan" in (tmp_path / "fb.html").read_text()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"pack.md", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"board.html", "enter")
        await pilot.pause()
        assert f"to {tmp_path / 'board.html'}" in toasts() and f"to {tmp_path / 'pack.md'}" in toasts()
    for name in ("fb.html", "fb2.md", "pack.md", "board.html"):
        assert mode(tmp_path / name) == 0o600, name


def test_no_module_writes_a_file_but_the_one_private_writer():
    from pathlib import Path

    import ehcaudit

    package = Path(ehcaudit.__file__).parent
    writers = {str(p.relative_to(package)) for p in package.rglob("*.py")
               if re.search(r"\.write_(text|bytes)\(|open\([^)]*['\"][wa]b?['\"]", p.read_text(encoding="utf-8"))}
    assert writers == {"output/files.py", "config.py"}  # config.py writes state.json through mkstemp (0600)
