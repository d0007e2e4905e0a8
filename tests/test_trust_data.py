"""Data goes where the user says, under the name the user gives (issue 11, items 1 to 4 and 10)."""

import json
import os
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ehcaudit import cli as cli_module
from ehcaudit import config, locations
from ehcaudit.ingest.importer import import_plans
from ehcaudit.rubric import resolve_rubric
from ehcaudit.ingest.scores_csv import ScoresFileError, read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import audits as A
from ehcaudit.store import open_db
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.plan_list import PlanListScreen
from pdfmaker import blocks_for, make_plan
from test_sections import STATUTORY


@pytest.fixture
def demo_db_path(tmp_path, demo_template) -> Path:
    """A copy of the demo database: plans, submitted audits by two reviewers, a calibration session."""
    path = tmp_path / "mine" / "audits.db"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    return path


def default_db_untouched() -> bool:
    return not locations.default_db().exists()


# ------------------------------------------------------------------ 1. --db before the command


@pytest.mark.parametrize("command, shows", [
    (["plans", "--format", "json"], lambda out: len(json.loads(out)) == 14),
    (["summary", "--format", "json"], lambda out: json.loads(out)["plans"] == 14),
    (["scores", "export", "--format", "json"], lambda out: len(json.loads(out)) >= 400),
    (["calibrate", "list"], lambda out: "Demo calibration" in out),
    (["calibrate", "report", "1", "--format", "json"], lambda out: json.loads(out)["trainees"] == 2),
    (["replay", "--format", "text"], lambda out: "plan-03" in out),
])
def test_db_given_before_the_command_is_the_one_read(cli, demo_db_path, command, shows):
    result = cli("--db", str(demo_db_path), *command)
    assert result.returncode == 0, result.stderr
    assert shows(result.stdout)
    assert default_db_untouched()


def test_db_given_before_import_is_the_one_written(cli, tmp_path, sample_plans_dir):
    target = tmp_path / "chosen.db"
    result = cli("--db", str(target), "import", str(sample_plans_dir / "plan-01.pdf"))
    assert result.returncode == 0, result.stderr
    assert [p.label for p in list_plans(open_db(target))] == ["plan-01"]
    assert default_db_untouched()


def test_db_given_before_scores_import_is_the_one_written(cli, tmp_path, demo_db_path):
    exported = cli("--db", str(demo_db_path), "scores", "export", "-o", str(tmp_path / "s.csv"))
    assert exported.returncode == 0
    target = tmp_path / "fresh.db"
    result = cli("--db", str(target), "scores", "import", str(tmp_path / "s.csv"))
    assert result.returncode == 0, result.stderr
    assert len(list_plans(open_db(target))) == 14
    assert default_db_untouched()


def test_db_given_before_the_app_opens_that_database(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(cli_module, "_run_app", lambda path, reviewer, **_: opened.append((path, reviewer)))
    result = CliRunner().invoke(cli_module.cli, ["--db", str(tmp_path / "x.db"), "--reviewer", "Sam"], obj={})
    assert result.exit_code == 0
    assert opened == [(tmp_path / "x.db", "Sam")]


def test_db_before_the_command_wins_over_the_environment(cli, demo_db_path, tmp_path):
    result = cli("--db", str(demo_db_path), "plans", "--format", "json", env={"EHCAUDIT_DB": str(tmp_path / "other.db")})
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 14
    assert not (tmp_path / "other.db").exists()


def test_two_different_dbs_are_refused_and_the_same_one_twice_is_fine(cli, demo_db_path, tmp_path):
    clash = cli("--db", str(tmp_path / "a.db"), "plans", "--db", str(demo_db_path))
    assert clash.returncode == 1 and "--db is given twice" in clash.stderr
    same = cli("--db", str(demo_db_path), "plans", "--db", str(demo_db_path))
    assert same.returncode == 0 and "plan-01" in same.stdout


def test_demo_refuses_a_db_rather_than_rebuilding_it(cli, demo_db_path):
    before = demo_db_path.read_bytes()
    result = cli("--db", str(demo_db_path), "demo", "--no-app")
    assert result.returncode == 1 and "drop --db" in result.stderr
    assert demo_db_path.read_bytes() == before


@pytest.mark.parametrize("command", [
    ["plans"], ["summary"], ["scores", "export"], ["calibrate", "list"], ["calibrate", "report", "1"], ["replay", "--format", "text"],
])
@pytest.mark.parametrize("where", ["before", "after"])
def test_reading_a_db_in_a_missing_folder_is_an_error_not_a_new_database(cli, tmp_path, command, where):
    missing = tmp_path / "no-such-folder" / "audits.db"
    args = ["--db", str(missing), *command] if where == "before" else [*command, "--db", str(missing)]
    result = cli(*args)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "no such database" in line and "does not exist" in line
    assert not missing.parent.exists()
    assert default_db_untouched()


def test_reading_a_missing_db_file_says_so(cli, tmp_path):
    result = cli("summary", "--db", str(tmp_path / "typo.db"))
    assert result.returncode == 1 and "no such database" in result.stderr
    assert not (tmp_path / "typo.db").exists()


# ------------------------------------------------------------------ 2. reviewer names


async def test_a_reviewer_given_for_the_run_is_never_remembered(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Trainer")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "reviewer Trainer" in str(app.screen.query_one("#plans-header").render())
    assert config.saved_reviewer() is None
    assert not locations.state_file().exists()


async def test_the_demo_never_changes_the_remembered_name(plans_db, monkeypatch):
    config.remember_reviewer("A. Officer")
    started = []
    monkeypatch.setattr(cli_module, "_run_app", lambda path, reviewer, **kw: started.append((reviewer, kw)))
    assert CliRunner().invoke(cli_module.cli, ["demo"], obj={}).exit_code == 0
    [(name, options)] = started
    app = EhcauditApp(db=plans_db, reviewer=name, **options)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")  # change the name: for this demo only, and the dialog says so
        await pilot.pause()
        assert "for this demo only" in str(app.screen.query_one(".dialog-help").render())
        await pilot.press("ctrl+a", "ctrl+k", *"B. Lewis", "enter")
        await pilot.pause()
        assert app.reviewer == "B. Lewis" and app.screen.reviewer == "B. Lewis"
        assert any("for this demo only" in str(n.message) for n in app._notifications)
    assert name == "Demo reviewer"
    assert config.saved_reviewer() == "A. Officer"


async def test_replay_with_a_trainer_name_does_not_remember_it(plans_db):
    app = EhcauditApp(db=plans_db, reviewer="Trainer", start="replay")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    assert config.saved_reviewer() is None


async def test_the_reviewer_name_can_be_changed_from_the_plan_list_and_is_remembered(plans_db):
    app = EhcauditApp(db=plans_db, reviewer=None)
    config.remember_reviewer("Priya")
    app.reviewer = config.saved_reviewer()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r", "ctrl+a", "ctrl+k", *"Priya Shah", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanListScreen) and screen.reviewer == "Priya Shah"
        assert "reviewer Priya Shah" in str(screen.query_one("#plans-header").render())
    assert config.saved_reviewer() == "Priya Shah"


def test_config_reviewer_remembers_a_name_and_shows_it(cli):
    assert cli("config", "reviewer", "A. Officer").returncode == 0
    shown = cli("config", "reviewer")
    assert shown.returncode == 0 and shown.stdout.strip() == "A. Officer"
    assert "A. Officer" in cli("config").stdout


@pytest.mark.parametrize("name", ["Ann\nreviewer = 'evil'", "Bob\rAlice", "Eve\x1b]0;owned\x07", "\u202eevil", "   "])
def test_a_name_with_a_newline_or_control_character_is_refused(cli, name):
    result = cli("config", "reviewer", name)
    assert result.returncode == 1 and result.stderr.startswith("error: a reviewer name")
    assert config.saved_reviewer() is None
    run = cli("--reviewer", name, "plans")  # refused for the app as well, before anything opens
    assert run.returncode == 1 and "reviewer name" in run.stderr


# ------------------------------------------------------------------ 3. the user's config file is theirs


USER_CONFIG = """# my ehcaudit settings
theme = "textual-light"

[keys]
"audit.next" = "j"
"plans.search" = "ctrl+f"
"""


async def test_key_remaps_survive_launches_and_the_config_file_is_never_rewritten(plans_db):
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text(USER_CONFIG)
    for launch in range(2):
        app = EhcauditApp(db=plans_db, reviewer=None)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if launch == 0:
                await pilot.press(*"Jo", "enter")  # first run: the name is remembered
                await pilot.pause()
                await pilot.press("ctrl+t")  # and the theme
                await pilot.pause()
            assert app._keymap.get("audit.next") == "j"
            assert isinstance(app.screen, PlanListScreen) and app.screen.reviewer == "Jo"
    assert path.read_text() == USER_CONFIG
    assert tomllib.loads(path.read_text())["keys"] == {"audit.next": "j", "plans.search": "ctrl+f"}
    assert json.loads(locations.state_file().read_text())["reviewer"] == "Jo"


def test_odd_names_are_stored_safely_and_read_back_exactly():
    name = 'O\'Brien "Bob" \\ Smith = [keys] # not a comment'
    config.remember_reviewer(name)
    assert config.saved_reviewer() == name
    assert oct(locations.state_file().stat().st_mode & 0o777) == "0o600"


def test_a_toml_error_in_config_is_one_line_with_file_and_line(cli):
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "textual-dark"\nreviewer = Ann\n')
    for args in (["config"], ["--reviewer", "Ann"]):
        result = cli(*args)
        assert result.returncode == 1
        [line] = result.stderr.strip().splitlines()
        assert f"{path}:2:" in line and "not valid TOML" in line


def test_an_old_config_with_keys_written_as_a_string_is_reported_not_silently_ignored():
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text("keys = \"{'audit.next': 'j'}\"\n")
    keys, problem = config.key_remaps()
    assert keys == {} and "keys must be a table" in problem


# ------------------------------------------------------------------ 4. unique labels


def make_plan_file(path: Path, header: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    make_plan(path, blocks_for(STATUTORY), header=header)
    return path


def two_plans_called_plan(tmp_path) -> Path:
    root = tmp_path / "batch"
    for folder, header in (("north", "NORTH TEAM"), ("south", "SOUTH TEAM"), ("south/old", "OLD SOUTH")):
        (root / folder).mkdir(parents=True)
        make_plan(root / folder / "plan.pdf", blocks_for(STATUTORY), header=header)
    return root


def test_plans_with_the_same_file_name_get_unique_labels_saying_where_they_came_from(tmp_path):
    db = open_db(tmp_path / "l.db")
    report = import_plans(db, [two_plans_called_plan(tmp_path)])
    assert report.imported == 3
    # the first in path order keeps the file's name; the others are prefixed with their folder's name
    assert sorted(p.label for p in list_plans(db)) == ["old/plan", "plan", "south/plan"]
    parallel = open_db(tmp_path / "p.db")
    import_plans(parallel, [tmp_path / "batch"], jobs=3)  # files finish in any order; the labels do not change
    assert {p.label: p.page_count for p in list_plans(parallel)} == {p.label: p.page_count for p in list_plans(db)}
    assert sum("another file in this batch has the same name; this one is labelled" in line for line in report.lines) == 2
    later = import_plans(db, [make_plan_file(tmp_path / "east" / "plan.pdf", "EAST TEAM")])
    assert later.lines == [f"{tmp_path / 'east' / 'plan.pdf'}: another plan is already labelled 'plan'; this one is labelled 'east/plan'"]
    again = open_db(tmp_path / "m.db")
    from ehcaudit.store.plans import add_plan

    for _ in range(3):  # the folder's name is taken too: -2, -3
        add_plan(again, label="plan", folder="south", file_name="plan.pdf", sha256=None, pages=[], sections=[], warnings=[], cohort=None)
    assert sorted(p.label for p in list_plans(again)) == ["plan", "south/plan", "south/plan-2"]


def test_export_then_import_round_trips_plans_with_the_same_file_name(tmp_path, rubric, cli):
    db_path = tmp_path / "r.db"
    db = open_db(db_path)
    import_plans(db, [two_plans_called_plan(tmp_path)])
    for plan in list_plans(db):
        audit = A.open_audit(db, plan.id, "Ann", rubric)
        for c in rubric.criteria:
            A.set_grade(db, audit.id, rubric, c.id, 2 if plan.label == "plan" else 3, "Ann")
        A.submit(db, audit.id, rubric, "Ann")
    db.conn.close()
    assert cli("scores", "export", "--db", str(db_path), "-o", str(tmp_path / "s.csv")).returncode == 0
    back = cli("scores", "import", str(tmp_path / "s.csv"), "--db", str(db_path))
    assert back.returncode == 0, back.stderr
    assert "3 already present" in back.stdout
    fresh = cli("scores", "import", str(tmp_path / "s.csv"), "--db", str(tmp_path / "fresh.db"))
    assert fresh.returncode == 0 and "in 3 audits" in fresh.stdout


# ------------------------------------------------------------------ 10. one line, not a traceback


def damaged_copy(path: Path, dst: Path) -> Path:
    shutil.copy(path, dst)
    with open(dst, "r+b") as f:
        f.seek(4096 * 3)
        f.write(os.urandom(4096 * 40))
    return dst


@pytest.mark.parametrize("command", [["plans"], ["summary"], ["scores", "export"], ["import", "PLAN"], ["--reviewer", "Ann"]])
def test_a_damaged_database_is_one_line_from_every_command(cli, tmp_path, demo_db_path, sample_plans_dir, command):
    bad = damaged_copy(demo_db_path, tmp_path / "bad.db")
    args = [str(sample_plans_dir / "plan-01.pdf") if a == "PLAN" else a for a in command]
    result = cli("--db", str(bad), *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert f"{bad} is not a readable ehcaudit database" in line and "restore it from a backup or use another --db" in line


def test_a_store_error_part_way_through_an_import_stops_with_a_line_and_keeps_what_was_stored(tmp_path, sample_plans_dir, monkeypatch):
    from ehcaudit.ingest import importer
    from ehcaudit.store.db import explain

    calls = []
    real = importer.add_plan

    def add_then_fail(db, **kw):
        calls.append(kw["label"])
        if len(calls) == 3:
            raise explain(sqlite3.DatabaseError("database disk image is malformed"), "x.db")
        return real(db, **kw)

    monkeypatch.setattr(importer, "add_plan", add_then_fail)
    db = open_db(tmp_path / "s.db")
    report = import_plans(db, [sample_plans_dir])
    assert report.imported == 2 and len(list_plans(db)) == 2
    assert report.stopped and "import stopped" in report.lines[-1]
    assert report.failed == 14 - 2


@pytest.mark.parametrize("score", ["inf", "-inf", "1e400", "nan", "Infinity"])
def test_an_infinite_score_in_a_scores_csv_is_one_line(cli, tmp_path, score):
    path = tmp_path / "s.csv"
    path.write_text(f"plan,reviewer,criterion,score\nplan-01,Ann,V1,{score}\n")
    result = cli("scores", "import", str(path), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"s.csv:2: score '{score}' is not a whole number or NA" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to stand in for a full disk")
@pytest.mark.parametrize("fmt", ["xlsx", "html", "csv"])
def test_an_export_on_a_full_disk_is_one_line(cli, demo_db_path, fmt):
    result = cli("summary", "--db", str(demo_db_path), "--format", fmt, "-o", "/dev/full")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "/dev/full: cannot write (No space left on device)" in line


# ------------------------------------------------------------------ 11. scores CSV: what the app would not accept


def test_a_scores_csv_cannot_create_a_submitted_audit_missing_grades(tmp_path):
    rubric = resolve_rubric(None)
    path = tmp_path / "s.csv"
    rows = "".join(f"plan-01,Ann,{c.id},3,,,submitted\n" for c in rubric.criteria[:-2])
    rows += f"plan-02,Bob,{rubric.criteria[0].id},3,,,in_progress\n"  # unfinished and says so: fine
    path.write_text("plan,reviewer,criterion,score,note,cohort,status\n" + rows)
    with pytest.raises(ScoresFileError) as err:
        read_scores(path, rubric)
    [problem] = err.value.problems
    assert "plan-01/Ann is submitted but has no grade for" in problem
    assert all(c.id in problem for c in rubric.criteria[-2:])


def test_a_submitted_na_needs_a_note_as_in_the_app(tmp_path):
    rubric = resolve_rubric(None)
    na = next(c for c in rubric.criteria if c.allow_na)
    path = tmp_path / "s.csv"
    path.write_text("plan,reviewer,criterion,score\n" + "".join(
        f"plan-01,Ann,{c.id},{'NA' if c is na else 3}\n" for c in rubric.criteria))
    with pytest.raises(ScoresFileError) as err:
        read_scores(path, rubric)
    assert f"N/A without a note for {na.id}" in err.value.problems[0]


def test_a_different_cohort_for_an_existing_plan_is_reported_and_nothing_imported(plans_db, tmp_path, rubric):
    path = tmp_path / "s.csv"
    path.write_text("plan,reviewer,criterion,score,cohort\n" + "".join(
        f"plan-01,Ann,{c.id},3,2025-01\n" for c in rubric.criteria))
    with pytest.raises(ScoresFileError) as err:
        import_scores(plans_db, read_scores(path, rubric), rubric, str(path))
    assert "plan plan-01 is in cohort 2026-11 in this database, not 2025-01" in err.value.problems[0]
    assert plans_db.execute("SELECT count(*) FROM audits").fetchone()[0] == 0


def test_one_plan_given_two_cohorts_in_a_scores_csv_is_reported(tmp_path, rubric):
    path = tmp_path / "s.csv"
    path.write_text("plan,reviewer,criterion,score,cohort,status\n"
                    "new,Ann,V1,3,2025-01,in_progress\nnew,Bob,V1,3,2025-02,in_progress\n")
    with pytest.raises(ScoresFileError) as err:
        read_scores(path, rubric)
    assert "plan new is given cohort 2025-02 here but 2025-01 on line 2" in err.value.problems[0]


def test_the_cli_lists_every_cohort_clash_on_its_own_line(cli, plans_db_path, tmp_path, rubric):
    path = tmp_path / "s.csv"
    path.write_text("plan,reviewer,criterion,score,cohort\n" + "".join(
        f"{plan},Ann,{c.id},3,1999\n" for plan in ("plan-01", "plan-02") for c in rubric.criteria))
    result = cli("scores", "import", str(path), "--db", str(plans_db_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and "nothing was imported" in lines[-1]
