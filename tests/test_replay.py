"""Replaying recorded audits and calibration sessions."""

import json
from pathlib import Path

import pytest

from conftest import shown_text
from ehcaudit.training.scoring import closeness, compare
from ehcaudit.training.session_pack import build_pack, pack_html, pack_markdown
from ehcaudit.training.replay import replay_states, time_per_criterion
from ehcaudit.store import audits as A
from ehcaudit.store import calibration as K
from ehcaudit.store.plans import list_plans
from ehcaudit.summary.agreement import krippendorff_alpha
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.calibration_screen import CalibrationScreen
from ehcaudit.tui.replay_screen import ReplayScreen


def snapshot(audit):
    return ({cid: (j.grade, j.not_applicable, j.note) for cid, j in audit.judgements.items() if j.done or j.note},
            [(e.criterion_id, e.quote, e.page_number) for e in audit.evidence])


def replay_snapshot(state):
    return ({cid: (j.grade, j.not_applicable, j.note) for cid, j in state.judgements.items() if j.done or j.note},
            [(e.criterion_id, e.quote, e.page_number) for e in state.evidence])


@pytest.fixture
def plan_id(plans_db):
    return next(p.id for p in list_plans(plans_db) if p.label == "plan-01")


def test_replaying_a_scripted_audit_reproduces_every_intermediate_state(plans_db, plan_id, rubric):
    audit = A.open_audit(plans_db, plan_id, "ann", rubric)
    script = [
        lambda: A.record_view(plans_db, audit.id, "V1", "ann", ["A"]),
        lambda: A.set_grade(plans_db, audit.id, rubric, "V1", 2, "ann"),
        lambda: A.add_evidence(plans_db, audit.id, "V1", "\"I like Lego\"", "A", 3, "ann"),
        lambda: A.set_grade(plans_db, audit.id, rubric, "V1", 3, "ann"),  # a change of mind
        lambda: A.set_note(plans_db, audit.id, "V1", "Own words, but method not recorded.", "ann"),
        lambda: A.record_view(plans_db, audit.id, "H2", "ann", ["C", "G"]),
        lambda: A.set_grade(plans_db, audit.id, rubric, "H2", None, "ann"),
        lambda: A.undo(plans_db, audit.id, "ann"),
        lambda: A.set_grade(plans_db, audit.id, rubric, "H2", 1, "ann"),
        lambda: A.add_evidence(plans_db, audit.id, "H2", "N/A", "G", 5, "ann"),
        lambda: A.undo(plans_db, audit.id, "ann"),
    ]
    expected = [snapshot(A.load_audit(plans_db, audit.id))]
    for step in script:
        step()
        expected.append(snapshot(A.load_audit(plans_db, audit.id)))
    states = replay_states(A.audit_events(plans_db, audit.id))
    assert [replay_snapshot(s) for s in states] == expected
    assert "a change of mind" in states[4].change
    assert states[6].sections == ["C", "G"] and states[6].criterion == "H2"


def test_time_per_criterion():
    events = [
        {"id": 1, "at": "2026-11-02T09:00:00+00:00", "action": "audit_started", "criterion": "V1", "detail": {}},
        {"id": 2, "at": "2026-11-02T09:01:30+00:00", "action": "grade_set", "criterion": "V1", "detail": {}},
        {"id": 3, "at": "2026-11-02T09:02:00+00:00", "action": "criterion_viewed", "criterion": "V2", "detail": {}},
        {"id": 4, "at": "2026-11-02T09:05:00+00:00", "action": "grade_set", "criterion": "V2", "detail": {}},
        {"id": 5, "at": "2026-11-02T11:05:00+00:00", "action": "submitted", "criterion": None, "detail": {}},
    ]
    assert time_per_criterion(events) == {"V1": 120.0, "V2": 180.0 + 600.0}


def test_replay_json_is_the_event_log_in_order(cli, plans_db_path, rubric):
    from ehcaudit.store import open_db

    db = open_db(plans_db_path)
    pid = next(p.id for p in list_plans(db) if p.label == "plan-02")
    audit = A.open_audit(db, pid, "ann", rubric)
    for c in rubric.criteria:
        A.set_grade(db, audit.id, rubric, c.id, 3, "ann")
    A.set_note(db, audit.id, "V1", "note", "ann")
    A.submit(db, audit.id, rubric, "ann")
    data = json.loads(cli("replay", str(audit.id), "--db", str(plans_db_path), "--format", "json").stdout)
    assert data["audit"]["plan"] == "plan-02"
    events = data["events"]
    assert [e["action"] for e in events][:2] == ["audit_started", "grade_set"] and events[-1]["action"] == "submitted"
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert all(e["at"] for e in events)
    listed = json.loads(cli("replay", "--db", str(plans_db_path), "--format", "json").stdout)
    assert listed[0]["id"] == audit.id
    unsubmitted = cli("replay", "999", "--db", str(plans_db_path), "--format", "json")
    assert unsubmitted.returncode == 1 and "no audit 999" in unsubmitted.stderr


def submitted(db, plan, who, rubric, grades, kind_session=None, note=""):
    if kind_session:
        audit = K.open_training_audit(db, kind_session, who, rubric)
    else:
        audit = A.open_audit(db, plan, who, rubric)
    for c, g in zip(rubric.criteria, grades):
        A.set_grade(db, audit.id, rubric, c.id, g, who)
        if note:
            A.set_note(db, audit.id, c.id, note, who)
    A.submit(db, audit.id, rubric, who)
    return audit


def test_calibration_figures_on_a_hand_worked_case(plans_db, plan_id, rubric):
    n = len(rubric.criteria)
    ref = submitted(plans_db, plan_id, "expert", rubric, [3] * n, note="Because the plan quotes the child.")
    sid = K.start_session(plans_db, "Induction", ref.id, "trainer")
    # trainee 1 agrees everywhere; trainee 2 is one higher everywhere; trainee 3 is two lower on the first criterion only
    submitted(plans_db, plan_id, "t1", rubric, [3] * n, kind_session=sid)
    submitted(plans_db, plan_id, "t2", rubric, [4] * n, kind_session=sid)
    submitted(plans_db, plan_id, "t3", rubric, [1] + [3] * (n - 1), kind_session=sid)
    reference, trainees = K.session_audits(plans_db, sid)
    figures = compare(rubric, reference, trainees)
    people = {p["trainee"]: p for p in figures["people"]}
    assert people["t1"]["exact_pct"] == 100.0 and people["t1"]["mean_difference"] == 0
    assert people["t2"]["exact_pct"] == 0.0 and people["t2"]["adjacent_pct"] == 100.0 and people["t2"]["mean_difference"] == 1.0
    assert people["t3"]["two_or_more_apart"] == [rubric.criteria[0].id]
    assert people["t3"]["mean_difference"] == round(-2 / n, 2)
    first = figures["criteria"][0]
    assert first["closeness"] == {"t1": "exact", "t2": "adjacent", "t3": "2+ apart"} and first["spread"] == 3
    units = [[3, 4, 1]] + [[3, 4, 3]] * (n - 1)
    assert figures["alpha_ordinal_group"] == round(krippendorff_alpha(units, "ordinal"), 3)
    # training audits never count in the quality summary; the reference counts once the session is revealed
    from ehcaudit.summary.data import load_sample

    assert {r for _, r, _ in load_sample(plans_db, rubric.id).audits.values()} == set()  # blind: the reference too
    K.reveal_session(plans_db, sid, "trainer")
    data = load_sample(plans_db, rubric.id)
    assert {r for _, r, _ in data.audits.values()} == {"expert"}
    pack = build_pack(plans_db, sid, rubric)
    assert pack["criteria"][0]["rationale"] == "Because the plan quotes the child." and pack["criteria"][0]["extract"]
    md, page = pack_markdown(pack), pack_html(pack)
    assert "## V1:" in md and "Reference grade: 3." in md and "| t3 | 1 | 2+ apart |" in md
    assert "<script" not in page and "Induction" in page and "2+ apart" in page


def test_closeness():
    assert [closeness(g, 3) for g in (3, 2, 4, 1, None)] == ["exact", "adjacent", "adjacent", "2+ apart", "n/a"]


def test_a_reference_must_be_submitted(plans_db, plan_id, rubric):
    from ehcaudit.errors import AuditError

    draft = A.open_audit(plans_db, plan_id, "ann", rubric)
    with pytest.raises(AuditError, match="not submitted"):
        K.start_session(plans_db, "x", draft.id, "trainer")


async def test_replay_screen_steps_plays_and_hides_grades(plans_db, plan_id, rubric):
    audit = submitted(plans_db, plan_id, "ann", rubric, [2] * len(rubric.criteria))
    app = EhcauditApp(db=plans_db, reviewer="Trainer", start="replay", start_audit=audit.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.index == 0
        await pilot.press("n", "n")
        assert screen.index == 2
        await pilot.press("p")
        assert screen.index == 1
        await pilot.press("h")
        assert "? (r reveals)" in shown_text(screen.query_one("#replay-step"))
        await pilot.press("r")
        assert "? (r reveals)" not in shown_text(screen.query_one("#replay-step"))
        await pilot.press("space")
        await pilot.pause(1.2)
        await pilot.press("space")
        assert screen.index > 1 and screen.timer is None
        await pilot.press("end")
        assert screen.states[screen.index].event["action"] == "submitted"


async def test_trainee_joins_a_session_and_grades_blind(plans_db, plan_id, rubric):
    ref = submitted(plans_db, plan_id, "expert", rubric, [3] * len(rubric.criteria))
    sid = K.start_session(plans_db, "Induction", ref.id, "trainer")
    app = EhcauditApp(db=plans_db, reviewer="Trainee Tom")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CalibrationScreen)
        await pilot.press("enter")
        await pilot.pause()
        audit_screen = app.screen
        assert audit_screen.audit.kind == "training" and audit_screen._others == {}
        await pilot.press("2")
        await pilot.pause()
    row = plans_db.execute("SELECT kind, session_id, reviewer FROM audits WHERE reviewer = 'Trainee Tom'").fetchone()
    assert row == ("training", sid, "Trainee Tom")


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_replay_screen_snapshot(snap_compare, plans_db, plan_id, rubric, fixed_clock, size):
    audit = submitted(plans_db, plan_id, "ann", rubric, [2] * len(rubric.criteria))
    app = EhcauditApp(db=plans_db, reviewer="Trainer", start="replay", start_audit=audit.id)
    assert snap_compare(app, press=["n", "n", "n"], terminal_size=size)


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_calibration_screen_snapshot(snap_compare, plans_db, plan_id, rubric, fixed_clock, size):
    n = len(rubric.criteria)
    ref = submitted(plans_db, plan_id, "expert", rubric, [3] * n)
    sid = K.start_session(plans_db, "Induction", ref.id, "trainer")
    submitted(plans_db, plan_id, "t1", rubric, [3] * n, kind_session=sid)
    submitted(plans_db, plan_id, "t2", rubric, [4, 2] * (n // 2), kind_session=sid)
    assert snap_compare(EhcauditApp(db=plans_db, reviewer="trainer"), press=["C"], terminal_size=size)


def test_the_demo_has_an_audit_to_replay_and_a_session_to_run(tmp_path, rubric):
    from ehcaudit.demo import EXPERT, build_demo_db
    from ehcaudit.store import open_db

    db = open_db(build_demo_db(tmp_path / "demo.db"))
    [session] = K.list_sessions(db)
    reference, trainees = K.session_audits(db, session.id)
    assert reference.reviewer == EXPERT and len(trainees) == 2
    states = replay_states(A.audit_events(db, reference.id))
    assert any("change of mind" in s.change for s in states)
    assert any(s.evidence for s in states)
    imported = next(a for a in A.submitted_audits(db) if a["reviewer"] == "R. Patel")
    last = replay_states(A.audit_events(db, imported["id"]))[-1]
    assert len([j for j in last.judgements.values() if j.done]) == len(rubric.criteria)


def test_calibrate_reference_command(cli, tmp_path):
    from ehcaudit.demo import build_demo_db

    db = build_demo_db(tmp_path / "demo.db")
    nobody = cli("calibrate", "reference", "1", "--db", str(db))  # no name saved and none given: asked, not made up
    assert nobody.returncode == 1 and "who is the trainer? give --trainer NAME" in nobody.stderr
    result = cli("calibrate", "reference", "1", "--trainer", "S. Jones", "--db", str(db))
    assert result.returncode == 0 and "now the reference" in result.stdout
    draft = cli("calibrate", "reference", "9999", "--trainer", "S. Jones", "--db", str(db))
    assert draft.returncode == 1 and "no audit 9999" in draft.stderr


def test_the_trainer_who_starts_a_session_reports_and_reveals_it_under_the_same_name(cli, tmp_path):
    from ehcaudit.demo import build_demo_db

    db = str(build_demo_db(tmp_path / "demo.db"))
    assert cli("config", "reviewer", "S. Jones").returncode == 0
    started = cli("calibrate", "start", "Induction", "--reference", "1", "--db", db)
    assert started.returncode == 0, started.stderr
    [sid] = [line.split()[0] for line in cli("calibrate", "list", "--db", db).stdout.splitlines() if "Induction" in line]
    assert "trainer S. Jones" in cli("calibrate", "list", "--db", db).stdout
    assert cli("calibrate", "report", sid, "--db", db).returncode == 0  # the trainer sees it before the reveal
    assert cli("calibrate", "reveal", sid, "--db", db).returncode == 0


async def test_the_session_pack_is_exported_from_the_trainers_screen(plans_db, plan_id, rubric, tmp_path, monkeypatch):
    ref = submitted(plans_db, plan_id, "expert", rubric, [3] * len(rubric.criteria))
    K.start_session(plans_db, "Induction", ref.id, "trainer")
    monkeypatch.chdir(tmp_path)  # short names to type: each key pressed is a round trip through the app
    pack, nowhere = Path("pack.html"), Path("missing") / "pack.md"
    app = EhcauditApp(db=plans_db, reviewer="trainer")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("x", *str(pack), "enter")
        await pilot.pause()
        await pilot.press("x", *str(nowhere), "enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert pack.read_text().startswith("<!doctype html>") and "Induction" in pack.read_text()
    assert f"wrote the session pack to {tmp_path / pack}" in messages  # the full path, not the bare name
    assert messages[-1] == f"{tmp_path / nowhere}: cannot write (No such file or directory); choose another folder"


async def test_an_imported_audit_replays_as_its_grades_with_no_timings(tmp_path, rubric):
    from ehcaudit.demo import build_demo_db
    from ehcaudit.store import open_db

    db = open_db(build_demo_db(tmp_path / "demo.db"))
    imported = next(a for a in A.submitted_audits(db) if a["reviewer"] == "R. Patel")
    assert imported["overall_grade"] in (1, 2, 3, 4)  # derived on import, as on submit
    app = EhcauditApp(db=db, reviewer="Trainer", start="replay", start_audit=imported["id"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        step = shown_text(app.screen.query_one("#replay-step"))
        timeline = shown_text(app.screen.query_one("#replay-timeline"))
        assert "no step-by-step" in step and "Grades:" in step
        assert all(c.id in step for c in rubric.criteria[:10])
        assert "none recorded" in timeline


def test_the_demo_audits_took_a_reviewers_time(tmp_path):
    from ehcaudit.demo import EXPERT, build_demo_db
    from ehcaudit.training.replay import time_per_criterion
    from ehcaudit.store import open_db

    db = open_db(build_demo_db(tmp_path / "demo.db"))
    expert = next(a for a in A.submitted_audits(db) if a["reviewer"] == EXPERT)
    spent = time_per_criterion(A.audit_events(db, expert["id"]))
    assert len(spent) == 20 and all(10 <= s <= 600 for s in spent.values())


def test_replay_piped_prints_instead_of_drawing(cli, tmp_path):
    from ehcaudit.demo import EXPERT, build_demo_db

    db = build_demo_db(tmp_path / "demo.db")
    listing = cli("replay", "--db", str(db))
    assert listing.returncode == 0 and EXPERT in listing.stdout and "\x1b[" not in listing.stdout
    audit_id = next(line.split()[0] for line in listing.stdout.splitlines() if EXPERT in line)
    steps = cli("replay", audit_id, "--db", str(db))
    assert "a change of mind" in steps.stdout and "\x1b[" not in steps.stdout
