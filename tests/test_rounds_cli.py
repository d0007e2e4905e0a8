"""The round commands as a QA lead types them: sample, assign, progress, feedback, actions; bad input is one line."""

import json

import pytest

from ehcaudit.store import actions as action_store
from ehcaudit.store import audits as A
from ehcaudit.store import open_db
from ehcaudit.store.plans import get_plan


def one_line_error(result, *words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for w in words:
        assert w in lines[0], lines[0]


@pytest.fixture
def db_env(plans_db_path):
    return {"EHCAUDIT_DB": str(plans_db_path)}


def test_sample_assign_progress_and_feedback_from_the_command_line(cli, db_env, plans_db_path, rubric, tmp_path):
    r = cli("sample", "--cohort", "2026-11", "--size", "8", "--stratify", "phase", "--double", "25%", "--seed", "11",
            "--format", "json", env=db_env)
    assert r.returncode == 0, r.stderr
    drawn = json.loads(r.stdout)
    assert drawn["seed"] == 11 and drawn["size"] == 8 and drawn["double_scored"] == 2
    assert sum(s["sampled"] for s in drawn["strata"]) == 8
    assert {s["stratum"] for s in drawn["strata"]} == {"Early years", "Post-16", "Primary", "Secondary"}
    again = json.loads(cli("sample", "--cohort", "2026-11", "--size", "8", "--stratify", "phase", "--double", "0.25",
                           "--seed", "11", "--format", "json", env=db_env).stdout)
    assert [p["plan"] for p in again["plans"]] == [p["plan"] for p in drawn["plans"]]

    r = cli("assign", "--round", "1", "--reviewer", "A. Khan", "--reviewer", "B. Lewis,C. Osei", "--due", "+14d", env=db_env)
    assert r.returncode == 0, r.stderr
    assert "10 reviews assigned" in r.stdout

    db = open_db(plans_db_path)
    khan = [pid for (pid,) in db.execute("SELECT plan_id FROM assignments WHERE round_id = 1 AND reviewer = 'A. Khan'")]
    audit = A.open_audit(db, khan[0], "A. Khan", rubric)
    for c in rubric.criteria:
        A.set_grade(db, audit.id, rubric, c.id, 3, "A. Khan")
    A.add_evidence(db, audit.id, "V1", "I want to be a vet", "A", 1, "A. Khan")
    A.submit(db, audit.id, rubric, "A. Khan")

    p = json.loads(cli("progress", "--round", "1", "--format", "json", env=db_env).stdout)
    khan_row = next(x for x in p["reviewers"] if x["reviewer"] == "A. Khan")
    assert khan_row["submitted"] == 1 and sum(x["assigned"] for x in p["reviewers"]) == 10
    table = cli("progress", "--round", "1", env=db_env).stdout
    assert "Reviewer" in table and "Overdue" in table and "need a second review" in table
    assert cli("progress", "--round", "1", "--format", "md", env=db_env).stdout.startswith("# Audit round progress")

    out = tmp_path / "feedback.html"
    r = cli("feedback", str(audit.id), "-o", str(out), env=db_env)
    assert r.returncode == 0, r.stderr
    page = out.read_text()
    assert "What the plan does well" in page and "I want to be a vet" in page and "page 1" in page
    md = cli("feedback", get_plan(db, khan[0]).label, "--format", "md", env=db_env).stdout
    assert md.startswith("# Feedback on the EHC plan")


def test_actions_from_the_command_line_with_overdue_and_the_summary(cli, db_env, plans_db_path):
    r = cli("actions", "add", "plan-02", "Amend section F to quantify speech and language therapy", "--section", "F",
            "--criterion", "P1", "--team", "North", "--due", "+28d", env=db_env)
    assert r.returncode == 0, r.stderr
    cli("actions", "add", "plan-07", "Training on SMART outcomes", "--team", "South", "--due", "+60d", env=db_env)
    db = open_db(plans_db_path)
    # An action agreed months ago whose date has passed (the CLI itself refuses a past date).
    late = action_store.add_action(db, plan_id=get_plan(db, "plan-01").id, what="Re-audit after the annual review",
                                   owner="A. Khan", owner_kind="person", due="2026-01-31", actor="QA")
    assert cli("actions", "done", "1", "--note", "Section F reissued", env=db_env).returncode == 0
    overdue = json.loads(cli("actions", "--overdue", "--format", "json", env=db_env).stdout)
    assert [a["id"] for a in overdue] == [late]
    assert [a["id"] for a in json.loads(cli("actions", "--open", "--format", "json", env=db_env).stdout)] == [late, 2]
    south = cli("actions", "--team", "south", "--format", "csv", env=db_env).stdout.splitlines()
    assert len(south) == 2 and "Training on SMART outcomes" in south[1]
    s = json.loads(cli("summary", "--format", "json", env=db_env).stdout)
    assert (s["actions"]["open"], s["actions"]["done"], s["actions"]["overdue"]) == (2, 1, 1)
    text = cli("summary", env=db_env).stdout
    assert "Actions by team" in text and "Actions by criterion" in text
    assert cli("actions", "reopen", "1", "--reason", "hours still missing", env=db_env).returncode == 0


@pytest.mark.parametrize("args, words", [
    (["sample", "--size", "50"], ["larger than", "14 plans"]),
    (["sample", "--cohort", "2099-01", "--size", "3"], ["no cohort '2099-01'"]),
    (["sample", "--size", "3", "--stratify", "colour"], ["cannot stratify by 'colour'"]),
    (["sample", "--size", "3", "--rubric", "nope"], ["unknown rubric 'nope'"]),
    (["assign", "--reviewer", "A", "--due", "+3d"], ["no audit round yet"]),
    (["progress"], ["no audit round yet"]),
    (["feedback", "plan-01"], ["no submitted audit yet"]),
    (["feedback", "999"], ["no audit 999"]),
    (["actions", "add", "nope", "x", "--team", "T", "--due", "+3d"], ["no plan 'nope'"]),
    (["actions", "add", "plan-01", "x", "--team", "T", "--due", "2020-01-01"], ["in the past"]),
    (["actions", "add", "plan-01", "x", "--due", "+3d"], ["--team or --person"]),
    (["actions", "add", "plan-01", "x", "--team", "T", "--due", "soon"], ["'soon' is not a date"]),
    (["actions", "done", "42"], ["no action 42"]),
    (["actions", "--team", "Westeros"], ["unknown team 'Westeros'"]),
])
def test_bad_input_is_one_clear_line(cli, db_env, args, words):
    one_line_error(cli(*args, env=db_env), *words)


def test_round_errors_after_a_sample_name_the_reviewers_and_dates(cli, db_env):
    assert cli("sample", "--size", "4", "--double", "0.5", "--seed", "2", env=db_env).returncode == 0
    one_line_error(cli("assign", "--reviewer", "Solo", "--due", "+7d", env=db_env), "at least two reviewers")
    one_line_error(cli("assign", "--reviewer", "A,B", "--due", "2020-02-02", env=db_env), "in the past")
    one_line_error(cli("assign", "--reviewer", "A,B", env=db_env), "due date")
    assert cli("assign", "--reviewer", "A,B", "--due", "+7d", env=db_env).returncode == 0
    one_line_error(cli("assign", "--reviewer", "A,B", "--due", "+7d", env=db_env), "already assigned", "--replace")
    one_line_error(cli("progress", "--reviewer", "Nobody", env=db_env), "unknown reviewer 'Nobody'", "A, B")
    one_line_error(cli("progress", "--round", "9", env=db_env), "no round '9'")
    one_line_error(cli("assign", "--move", "plan-01", "Zed", "C", env=db_env), "plan-01")


def test_overdue_as_of_a_later_date(cli, db_env):
    assert cli("actions", "add", "plan-02", "Rewrite the outcomes", "--team", "North", "--due", "+10d", env=db_env).returncode == 0
    assert json.loads(cli("actions", "--overdue", "--format", "json", env=db_env).stdout) == []
    later = json.loads(cli("actions", "--overdue", "--as-of", "2099-01-01", "--format", "json", env=db_env).stdout)
    assert [a["what"] for a in later] == ["Rewrite the outcomes"] and later[0]["overdue"] is True
    one_line_error(cli("actions", "--as-of", "someday", env=db_env), "'someday' is not a date")


@pytest.mark.parametrize("args, words", [
    (["sample", "--size", "abc"], ["'abc' is not a valid integer"]),
    (["sample"], ["Missing option '--size'"]),
    (["sample", "--size", "3", "--double", "150%"], ["not a share"]),
    (["actions", "--format", "xml"], ["'xml' is not one of"]),
    (["feedback"], ["Missing argument"]),
])
def test_mistyped_options_are_one_line_too(cli, db_env, args, words):
    one_line_error(cli(*args, env=db_env), *words)


def test_the_database_can_be_given_before_or_after_the_command(cli, tmp_path, sample_plans_dir):
    db = tmp_path / "qa.db"
    r = cli("--db", str(db), "import", str(sample_plans_dir / "plan-01.pdf"), str(sample_plans_dir / "plan-02.pdf"), "-q")
    assert r.returncode == 0, r.stderr
    assert cli("sample", "--db", str(db), "--size", "2", "--seed", "1").returncode == 0
    assert "2 plans" in cli("--db", str(db), "rounds").stdout
