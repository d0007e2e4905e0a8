"""Training is blind, replay hides what it says it hides, and the app keeps or drops work as the reviewer means."""

import json
import re

import pytest

from conftest import shown_text, submitted
from ehcaudit.errors import AuditError
from ehcaudit.training.replay import replay_states
from ehcaudit.store import audits as A
from ehcaudit.store import calibration as K
from ehcaudit.store import drafts
from ehcaudit.store.moderation import double_scored
from ehcaudit.tui.widgets.criterion_panel import CriterionPanel
from ehcaudit.store.plans import list_plans
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.calibration_screen import CalibrationScreen
from ehcaudit.tui.modals import ConfirmModal, NoteModal
from ehcaudit.tui.plan_list import PlanListScreen
from ehcaudit.tui.replay_screen import ReplayScreen


@pytest.fixture
def plan_id(plans_db):
    return next(p.id for p in list_plans(plans_db) if p.label == "plan-02")


@pytest.fixture
def session(plans_db, plan_id, rubric):
    """A reference graded 4 everywhere, and trainee Ann graded 1 everywhere; not revealed."""
    ref = submitted(plans_db, plan_id, "Expert", rubric, 4)
    sid = K.start_session(plans_db, "Induction", ref.id, "Trainer")
    ann = submitted(plans_db, plan_id, "Ann", rubric, 1, session=sid)
    return sid, ref.id, ann.id


def detail_text(app) -> str:
    return shown_text(app.screen.query_one("#calibration-detail"))


# ------------------------------------------------------------------ 16: calibration is blind


async def test_a_trainee_sees_no_grade_of_the_reference_or_other_trainees_until_the_trainer_reveals(plans_db, rubric, session):
    sid, _ref, _ann = session
    app = EhcauditApp(db=plans_db, reviewer="Bob")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CalibrationScreen)
        for key in ("v", "x"):  # the trainer's view and the pack both stay shut
            await pilot.press(key)
            await pilot.pause()
            if key == "x":
                assert isinstance(app.screen, CalibrationScreen)  # no file prompt
        text = detail_text(app)
        assert "Blind" in text and "1 trainee has submitted" in text
        assert "Ref" not in text and "Ann" not in text and " 4 " not in text
        await pilot.press("r")  # not the trainer: refused
        await pilot.pause()
        assert not K.get_session(plans_db, sid).revealed
        await pilot.press("enter")  # grade blind as a trainee
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.audit.kind == "training" and screen._others == {}
        body = shown_text(screen.query_one(CriterionPanel))
        assert "Other reviewers" not in body and "Expert" not in body


async def test_the_trainer_reveals_and_then_everyone_sees_the_comparison(plans_db, rubric, session):
    sid, _ref, _ann = session
    app = EhcauditApp(db=plans_db, reviewer="Trainer")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert "Not revealed yet" in detail_text(app) and "Ann" in detail_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
    assert K.get_session(plans_db, sid).revealed
    app = EhcauditApp(db=plans_db, reviewer="Bob")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert "Ann" in detail_text(app) and "Blind" not in detail_text(app)


def test_blind_audits_stay_out_of_replay_moderation_and_the_cli(cli, plans_db, plans_db_path, plan_id, rubric, session):
    sid, ref, ann = session
    bob = submitted(plans_db, plan_id, "Bob", rubric, 2, session=sid)
    assert {a["id"] for a in A.submitted_audits(plans_db, "Bob")} == {bob.id}
    assert {ref, ann, bob.id} <= {a["id"] for a in A.submitted_audits(plans_db, "Trainer")}
    with pytest.raises(AuditError):
        K.check_visible(plans_db, ref, "Bob")
    # a second review of the same plan would put the reference side by side in moderation
    submitted(plans_db, plan_id, "Carol", rubric, 3)
    assert double_scored(plans_db, rubric, "Carol") == []
    assert A.other_reviews(plans_db, plan_id, "Carol") == []
    blind = cli("replay", str(ref), "--format", "json", "--reviewer", "Bob", "--db", str(plans_db_path))
    assert blind.returncode == 1 and "still blind" in blind.stderr and "grade" not in blind.stdout
    report = cli("calibrate", "report", str(sid), "--db", str(plans_db_path))
    assert report.returncode == 1 and "still blind" in report.stderr and "calibrate reveal" in report.stderr
    assert cli("calibrate", "report", str(sid), "--trainer", "Trainer", "--db", str(plans_db_path)).returncode == 0
    refused = cli("calibrate", "reveal", str(sid), "--trainer", "Bob", "--db", str(plans_db_path))
    assert refused.returncode == 1 and "only the session's trainer" in refused.stderr
    assert cli("calibrate", "reveal", str(sid), "--trainer", "Trainer", "--db", str(plans_db_path)).returncode == 0
    assert cli("calibrate", "report", str(sid), "--db", str(plans_db_path)).returncode == 0
    assert cli("replay", str(ref), "--format", "json", "--reviewer", "Bob", "--db", str(plans_db_path)).returncode == 0


def test_the_reference_cannot_be_reopened_while_a_session_uses_it(plans_db, session):
    _sid, ref, _ann = session
    with pytest.raises(AuditError, match="reference for the calibration session 'Induction'"):
        A.reopen(plans_db, ref, "change my mind", "Expert")
    assert A.load_audit(plans_db, ref).submitted


# ------------------------------------------------------------------ 17: replay with grades hidden


def test_hidden_grades_leave_the_step_lines_and_the_json(cli, plans_db, plans_db_path, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "ann", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, audit.id, rubric, c.id, 2, "ann")
    A.set_grade(plans_db, audit.id, rubric, rubric.criteria[0].id, 4, "ann")  # a change of mind
    A.set_note(plans_db, audit.id, rubric.criteria[0].id, "graded 4 because", "ann")
    A.submit(plans_db, audit.id, rubric, "ann")
    states = replay_states(A.audit_events(plans_db, audit.id))
    blind = [s.describe(hide_grades=True) for s in states]
    assert any(line.endswith(": graded") for line in blind) and any("changed the grade" in line for line in blind)
    assert not any(re.search(r"graded (\d|N/A)|→|overall \d", line) for line in blind)
    assert any(re.search(r"graded \d", s.describe(hide_grades=False)) for s in states)
    text = cli("replay", str(audit.id), "--format", "text", "--hide-grades", "--db", str(plans_db_path)).stdout
    assert "graded" in text and "graded 2" not in text and "→" not in text and "overall" not in text
    data = json.loads(cli("replay", str(audit.id), "--format", "json", "--hide-grades", "--db", str(plans_db_path)).stdout)
    assert data["audit"]["grades_hidden"] is True
    for e in data["events"]:
        for key in ("grade", "previous_grade", "overall_grade", "area_grades", "note", "previous_note"):
            assert e["detail"].get(key, "hidden") == "hidden", e
    listed = json.loads(cli("replay", "--format", "json", "--hide-grades", "--db", str(plans_db_path)).stdout)
    assert all(a["overall_grade"] == "hidden" for a in listed)


async def test_replay_screen_with_hidden_grades_shows_no_grade_in_the_step_line(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "ann", rubric)
    for c in rubric.criteria:
        A.set_grade(plans_db, audit.id, rubric, c.id, 4, "ann")
    A.submit(plans_db, audit.id, rubric, "ann")
    app = EhcauditApp(db=plans_db, reviewer="Trainer", start="replay", start_audit=audit.id, hide_grades=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.hide_grades
        for _ in range(len(screen.states) - 1):
            await pilot.press("n")
            step = shown_text(screen.query_one("#replay-step"))
            assert "graded 4" not in step and "4 Outstanding" not in step and "overall 4" not in step
        await pilot.press("home", "n", "n", "r")  # reveal the criterion in hand: now it shows
        assert "4 Outstanding" in shown_text(screen.query_one("#replay-step"))


# ------------------------------------------------------------------ 22: discard an unsubmitted audit


async def test_a_reviewer_discards_their_unsubmitted_audit_from_the_app(plans_db, rubric):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "n", "2")
        await pilot.pause()
        screen = app.screen
        audit_id, plan = screen.audit.id, screen.plan
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen)
        assert app.screen.statuses.get(plan.id) is None  # "not started" again
        app.screen.open_plan(plan.id)  # opening the plan again starts a new audit
        await pilot.pause()
        await pilot.pause(0.2)
        assert isinstance(app.screen, AuditScreen), [n.message for n in app._notifications]
        assert app.screen.audit.id != audit_id and app.screen.audit.done_count(rubric) == 0
    events = [e["action"] for e in A.audit_events(plans_db, audit_id)]
    assert events[-1] == "discarded" and events.count("grade_set") == 2  # the log keeps the record
    with pytest.raises(AuditError):
        A.set_grade(plans_db, audit_id, rubric, rubric.criteria[0].id, 3, "Alice")


def test_only_the_reviewer_discards_and_never_a_submitted_audit(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "Alice", rubric)
    with pytest.raises(AuditError, match="only Alice"):
        A.discard(plans_db, audit.id, "Bob")
    done = submitted(plans_db, plan_id, "Bob", rubric, 3)
    with pytest.raises(AuditError, match="submitted"):
        A.discard(plans_db, done.id, "Bob")


# ------------------------------------------------------------------ 23: a note survives a kill; keys after ctrl+s


async def test_a_half_typed_note_is_saved_as_a_draft_and_restored(plans_db, rubric):
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "m", *"Half a thought")
        await pilot.pause(NoteModal.DRAFT_DELAY + 0.3)
        audit_id, cid = app.screen_stack[-2].audit.id, app.screen_stack[-2].criterion.id
        # The terminal is killed here: nothing was saved with ctrl+s.
    assert drafts.draft(plans_db, audit_id, cid) == "Half a thought"
    assert A.load_audit(plans_db, audit_id).judgement(cid).note == ""
    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "m")
        await pilot.pause()
        assert isinstance(app.screen, NoteModal) and app.screen.query_one("#note-text").text == "Half a thought"
        await pilot.press(*" finished.", "ctrl+s")
        await pilot.pause()
    assert A.load_audit(plans_db, audit_id).judgement(cid).note == "Half a thought finished."
    assert drafts.draft(plans_db, audit_id, cid) is None


async def test_a_grade_key_typed_straight_after_ctrl_s_grades_and_stays_out_of_the_note(plans_db, rubric):
    from textual import events

    app = EhcauditApp(db=plans_db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "m", *"Clear")
        await pilot.pause()
        screen = app.screen_stack[-2]
        # A fast typist: both keys arrive before the app has drawn anything in between.
        app.post_message(events.Key("ctrl+s", None))
        app.post_message(events.Key("3", "3"))
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        judgement = screen.audit.judgement(screen.criterion.id)
        assert judgement.note == "Clear" and judgement.grade == 3


# ------------------------------------------------------------------ 13: the app draws untrusted text, never obeys it


async def test_hostile_text_in_the_app_is_shown_never_obeyed(plans_db, rubric):
    plan = list_plans(plans_db)[0]
    hostile = "\x1b]52;c;aGVsbG8=\x07\x1b[2J [bold]loud[/bold] [link=http://example.invalid]x[/link] \x9b31m"
    plans_db.conn.execute("UPDATE sections SET text = ? || text WHERE plan_id = ?", [hostile + "\n", plan.id])
    plans_db.conn.execute("UPDATE plans SET label = ? WHERE id = ?", ["[red]plan[/red]\x1b]0;title\x07", plan.id])
    name = "=HYPERLINK(\"x\") [b]Eve[/b]\x1b[31m"
    app = EhcauditApp(db=plans_db, reviewer=name)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        shots = [app.export_screenshot()]
        await pilot.press("enter", "m", *"note ", "ctrl+s")
        await pilot.pause()
        A.set_note(plans_db, app.screen.audit.id, app.screen.criterion.id, hostile, name)
        app.screen._reload()
        await pilot.pause()
        shots.append(app.export_screenshot())
        app.notify(hostile)
        await pilot.pause()
        shots.append(app.export_screenshot())
    for shot in shots:
        assert not any(ch in shot for ch in "\x1b\x07\x9b")
    assert "[bold]loud[/bold]" in shots[1] and "[link=http://example.invalid]" in shots[1]  # shown as typed, not markup
    assert "[red]plan[/red]" in shots[0] and "[b]Eve[/b]" in shots[1]


def test_a_blind_session_keeps_its_reference_and_trainees_out_of_the_summary_and_the_scores_export(
        cli, plans_db, plans_db_path, plan_id, rubric, session):
    from ehcaudit.store.summary_rows import load_sample_rows
    from ehcaudit.summary.compute import build_summary
    from ehcaudit.summary.data import load_sample

    sid, ref, ann = session
    carol = submitted(plans_db, plan_id, "Carol", rubric, 3)  # an ordinary review of the same plan
    data = load_sample(plans_db, rubric.id)
    assert set(data.audits) == {carol.id}
    summary = build_summary(rubric, data)
    assert summary["audits"] == 1 and summary["consistency"]["plans_scored_by_two_or_more"] == 0
    assert {r["reviewer"] for r in summary["reviewers"]} == {"Carol"}
    assert summary["quality"]["overall"]["distribution"]["4"] == 0  # the reference's 4s are not counted

    def exported(*extra):
        out = cli("scores", "export", "--format", "json", *extra, "--db", str(plans_db_path))
        assert out.returncode == 0, out.stderr
        return {row["reviewer"] for row in json.loads(out.stdout)}

    assert exported() == {"Carol"}
    assert {r["reviewer"] for r in A.export_scores(plans_db, include_training=True)} == {"Carol"}
    K.reveal_session(plans_db, sid, "Trainer")
    assert set(load_sample_rows(plans_db, rubric.id).audits) == {ref, carol.id}
    assert exported() == {"Carol", "Expert"}
    assert {r["reviewer"] for r in A.export_scores(plans_db, include_training=True)} == {"Carol", "Expert", "Ann"}


def test_the_session_rubric_is_the_one_its_reference_was_scored_against(plans_db, session):
    sid, ref, _ann = session
    stored = K.session_rubric(plans_db, sid)
    assert stored is not None and stored.sha256 == A.load_audit(plans_db, ref).rubric_sha256
    assert K.session_rubric(plans_db, 999) is None


async def test_the_calibration_screen_grades_and_compares_on_the_sessions_rubric_not_the_apps(plans_db, plan_id, rubric, tmp_path):
    from ehcaudit import locations
    from ehcaudit.rubric import resolve_rubric

    # The reference was scored against an older edition of the rubric; the app opens on the current one.
    older = tmp_path / "older.toml"
    older.write_text(locations.default_rubric_file().read_text(encoding="utf-8").replace('version = "1.0"', 'version = "0.9"', 1))
    edition = resolve_rubric(str(older))
    assert edition.sha256 != rubric.sha256
    ref = submitted(plans_db, plan_id, "Expert", edition, 4)
    sid = K.start_session(plans_db, "Induction", ref.id, "Trainer")
    app = EhcauditApp(db=plans_db, reviewer="Bob", rubric=rubric)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CalibrationScreen)
        await pilot.press("enter")  # grade as a trainee
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.audit.kind == "training"
        assert screen.audit.rubric_sha256 == edition.sha256 == K.session_rubric(plans_db, sid).sha256
