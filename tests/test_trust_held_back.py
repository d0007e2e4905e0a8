"""A review lent to a blind calibration session is held back in words, never silently; a reference written
for training is never a review of the sample; trainees cannot read a blind plan's other audits."""

import json

import pytest

from conftest import submitted
from ehcaudit.errors import AuditError
from ehcaudit.store import audits as A
from ehcaudit.store import calibration as K
from ehcaudit.store.moderation import double_scored
from ehcaudit.store.plans import list_plans
from ehcaudit.summary.compute import build_summary
from ehcaudit.summary.data import load_sample
from ehcaudit.summary.tables import headline

HELD = "1 audit held back while calibration session {sid} is blind; it returns when the trainer reveals the session"


@pytest.fixture
def plan_id(plans_db):
    return next(p.id for p in list_plans(plans_db) if p.label == "plan-02")


def summary_of(db, rubric):
    return build_summary(rubric, load_sample(db, rubric.id))


def export(cli, path, *extra):
    out = cli("scores", "export", "--format", "json", *extra, "--db", str(path))
    assert out.returncode == 0, out.stderr
    return {row["reviewer"] for row in json.loads(out.stdout)}, out.stderr


def test_a_real_review_chosen_as_a_reference_is_held_back_in_words_and_returns_on_reveal(
        cli, plans_db, plans_db_path, plan_id, rubric):
    submitted(plans_db, plan_id, "Carol", rubric, 3)
    lewis = submitted(plans_db, plan_id, "B. Lewis", rubric, 2)
    sid = K.start_session(plans_db, "Induction", lewis.id, "Trainer")

    s = summary_of(plans_db, rubric)
    assert s["audits"] == 1 and s["held_back"] == {"audits": 1, "sessions": [sid]}
    assert HELD.format(sid=sid) + "." in headline(s)
    text = cli("summary", "--db", str(plans_db_path))
    assert HELD.format(sid=sid) in text.stdout
    as_json = json.loads(cli("summary", "--format", "json", "--db", str(plans_db_path)).stdout)
    assert as_json["held_back"] == {"audits": 1, "sessions": [sid]}
    md = cli("summary", "--format", "md", "--db", str(plans_db_path)).stdout
    assert "held back while calibration session" in md
    reviewers, said = export(cli, plans_db_path)
    assert reviewers == {"Carol"} and HELD.format(sid=sid) in said
    assert double_scored(plans_db, rubric, "Moderator") == []  # not side by side while blind

    K.reveal_session(plans_db, sid, "Trainer")
    s = summary_of(plans_db, rubric)
    assert s["audits"] == 2 and s["held_back"] == {"audits": 0, "sessions": []}
    assert not any("held back" in line for line in headline(s))
    reviewers, said = export(cli, plans_db_path)
    assert reviewers == {"Carol", "B. Lewis"} and "held back" not in said
    # the summary and moderation see the same reviews of the plan
    [(_, _, audits)] = double_scored(plans_db, rubric, "Moderator")
    assert {a.reviewer for a in audits} == {"Carol", "B. Lewis"}
    [plan] = [p for p in s["grades_used"]["plans"] if p["plan"] == "plan-02"]
    assert plan["reviews"] == 2 and s["consistency"]["plans_scored_by_two_or_more"] == 1


def test_a_reference_written_for_training_is_no_review_of_the_sample_before_or_after_the_reveal(
        cli, plans_db, plans_db_path, plan_id, rubric):
    expert = submitted(plans_db, plan_id, "Expert", rubric, 4)
    sid = K.start_session(plans_db, "Induction", expert.id, "Expert", for_training=True)
    submitted(plans_db, plan_id, "Carol", rubric, 3)
    submitted(plans_db, plan_id, "Dave", rubric, 2)
    for revealed in (False, True):
        s = summary_of(plans_db, rubric)
        assert s["audits"] == 2 and s["held_back"]["audits"] == 0, revealed
        assert {r["reviewer"] for r in s["reviewers"]} == {"Carol", "Dave"}
        [(_, _, audits)] = double_scored(plans_db, rubric, "Moderator")
        assert {a.reviewer for a in audits} == {"Carol", "Dave"}
        [plan] = [p for p in s["grades_used"]["plans"] if p["plan"] == "plan-02"]
        assert plan["reviews"] == len(audits) == 2
        assert export(cli, plans_db_path)[0] == {"Carol", "Dave"}
        K.reveal_session(plans_db, sid, "Expert")


def test_the_cli_asks_nothing_and_says_what_a_reference_is(cli, plans_db, plans_db_path, plan_id, rubric):
    expert = submitted(plans_db, plan_id, "Expert", rubric, 4)
    out = cli("calibrate", "reference", str(expert.id), "--written-for-training", "--trainer", "T", "--db", str(plans_db_path))
    assert out.returncode == 0 and "written for training" in out.stdout and "never counted" in out.stdout
    assert summary_of(plans_db, rubric)["audits"] == 0
    out = cli("calibrate", "start", "Induction", "--reference", str(expert.id), "--real-review", "--trainer", "T",
              "--db", str(plans_db_path))
    assert out.returncode == 0 and "held back" in out.stdout and "once you reveal the session" in out.stdout
    assert summary_of(plans_db, rubric)["held_back"]["audits"] == 1


def test_the_demo_summary_and_moderation_count_the_same_reviews_of_plan_03(tmp_path, rubric):
    from ehcaudit.demo import build_demo_db
    from ehcaudit.store import open_db

    db = open_db(build_demo_db(tmp_path / "demo.db"))
    s = summary_of(db, rubric)
    listed = {label: audits for _, label, audits in double_scored(db, rubric, "Moderator")}
    used = {p["plan"]: p["reviews"] for p in s["grades_used"]["plans"]}
    assert listed["plan-03"] and used["plan-03"] == len(listed["plan-03"]) == 2
    assert all(used[label] == len(audits) for label, audits in listed.items())
    assert s["consistency"]["plans_scored_by_two_or_more"] == len(listed)


# ------------------------------------------------------------------ trainees cannot replay the plan's audits


def test_a_trainee_cannot_replay_the_plans_real_audits_until_they_have_submitted(
        cli, plans_db, plans_db_path, plan_id, rubric):
    carol = submitted(plans_db, plan_id, "Carol", rubric, 3)
    expert = submitted(plans_db, plan_id, "Expert", rubric, 4)
    sid = K.start_session(plans_db, "Induction", expert.id, "Trainer", for_training=True)
    training = K.open_training_audit(plans_db, sid, "U. Trainee", rubric)
    with pytest.raises(AuditError, match="trainee in the calibration session 'Induction'"):
        K.check_visible(plans_db, carol.id, "U. Trainee")
    assert carol.id not in {a["id"] for a in A.submitted_audits(plans_db, "U. Trainee")}
    refused = cli("--reviewer", "U. Trainee", "replay", str(carol.id), "--format", "text", "--db", str(plans_db_path))
    assert refused.returncode == 1 and "until you have submitted" in refused.stderr
    assert "grade" not in refused.stdout and refused.stderr.count("\n") == 1
    # anyone else may replay it; and the trainee may once their own audit is in
    assert cli("--reviewer", "Bob", "replay", str(carol.id), "--format", "text", "--db", str(plans_db_path)).returncode == 0
    for c in rubric.criteria:
        A.set_grade(plans_db, training.id, rubric, c.id, 2, "U. Trainee")
    A.submit(plans_db, training.id, rubric, "U. Trainee")
    K.check_visible(plans_db, carol.id, "U. Trainee")
    assert cli("--reviewer", "U. Trainee", "replay", str(carol.id), "--format", "text",
               "--db", str(plans_db_path)).returncode == 0


async def test_the_app_refuses_a_trainee_the_replay_of_a_blind_plans_audit(plans_db, plan_id, rubric):
    from ehcaudit.tui.app import EhcauditApp
    from ehcaudit.tui.replay_screen import ReplayScreen

    carol = submitted(plans_db, plan_id, "Carol", rubric, 3)
    expert = submitted(plans_db, plan_id, "Expert", rubric, 4)
    sid = K.start_session(plans_db, "Induction", expert.id, "Trainer")
    K.open_training_audit(plans_db, sid, "U. Trainee", rubric)
    app = EhcauditApp(db=plans_db, reviewer="U. Trainee", start="replay", start_audit=carol.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        assert screen.audit_id is None or screen.audit_id != carol.id
        shown = " ".join(str(n.message) for n in app._notifications)
        assert "until you have submitted" in shown


async def test_the_app_asks_what_the_reference_is_and_says_what_that_means(plans_db, plan_id, rubric):
    from ehcaudit.tui.app import EhcauditApp
    from ehcaudit.tui.modals import PickModal

    lewis = submitted(plans_db, plan_id, "B. Lewis", rubric, 2)
    app = EhcauditApp(db=plans_db, reviewer="Trainer")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C", "N")
        await pilot.pause()
        await pilot.press("enter")  # the only submitted review: B. Lewis's
        await pilot.pause()
        assert isinstance(app.screen, PickModal) and "What is audit" in app.screen.title_text
        await pilot.press("enter")  # the first choice: a real review
        await pilot.pause()
        await pilot.press(*"Induction", "enter")
        await pilot.pause()
        shown = " ".join(str(n.message) for n in app._notifications)
    [session] = K.list_sessions(plans_db)
    assert session.reference_audit_id == lewis.id and not K.written_for_training(plans_db, lewis.id)
    assert "held back" in shown and "real review" in shown
    assert summary_of(plans_db, rubric)["held_back"] == {"audits": 1, "sessions": [session.id]}
