"""The event log is the record: every audit rebuilt from its events alone equals what the tables hold."""

import csv
import random
from pathlib import Path

import numpy
import pytest

from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import audits as A
from ehcaudit.store.events import Action
from ehcaudit.store.plans import list_plans
from ehcaudit.training.replay import replay_states

SRC = Path(__file__).resolve().parents[1] / "src" / "ehcaudit"


def _plan(db, label):
    return next(p.id for p in list_plans(db) if p.label == label)


def _scores_csv(path, rows, header=("plan", "reviewer", "criterion", "score", "note", "status")):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _na_criterion(rubric):
    return next(c.id for c in rubric.criteria if c.allow_na)


def _careful_audit(db, rubric, plan_id, who="alice"):
    """Every kind of change and every kind of undo, submitted, reopened, changed and submitted again."""
    audit = A.open_audit(db, plan_id, who, rubric)
    ids = [c.id for c in rubric.criteria]
    na = _na_criterion(rubric)
    A.record_view(db, audit.id, ids[0], who, ["A"])
    A.record_view(db, audit.id, ids[0], who, ["F"], Action.SECTION_VIEWED)
    for i, cid in enumerate(ids):
        if cid == na:
            A.set_grade(db, audit.id, rubric, cid, None, who)
            A.set_note(db, audit.id, cid, "Not a post-16 plan.", who)
        else:
            A.set_grade(db, audit.id, rubric, cid, (i % 4) + 1, who)
    A.set_grade(db, audit.id, rubric, ids[0], 4, who)
    assert A.undo(db, audit.id, who).startswith("undid the grade")
    A.set_note(db, audit.id, ids[0], "First thoughts", who)
    A.set_note(db, audit.id, ids[0], "Second thoughts – with “quotes”", who)
    assert A.undo(db, audit.id, who).startswith("undid the note")
    kept = A.add_evidence(db, audit.id, ids[0], '"I like Lego"', "A", 3, who)
    edited = A.add_evidence(db, audit.id, ids[1], "Speech and language therapy weekly", "F", 7, who)
    gone = A.add_evidence(db, audit.id, ids[1], "To be deleted", "F", 8, who)
    A.add_evidence(db, audit.id, ids[2], "Taken back at once", "E", 5, who)
    assert A.undo(db, audit.id, who).startswith("undid the evidence")
    A.edit_evidence(db, audit.id, edited, "Speech and language therapy, 1 hour weekly", who)
    A.edit_evidence(db, audit.id, kept, "Lego", who)
    assert A.undo(db, audit.id, who).startswith("undid the edit")
    A.delete_evidence(db, audit.id, gone, who)
    A.delete_evidence(db, audit.id, kept, who)
    assert A.undo(db, audit.id, who).startswith("undid the deletion")
    A.submit(db, audit.id, rubric, who)
    A.reopen(db, audit.id, "Moderation asked for a second look", who)
    A.set_grade(db, audit.id, rubric, ids[3], 2, who)
    A.submit(db, audit.id, rubric, who)
    return audit.id


def _tables(db, audit_id):
    """What the tables hold for an audit, in the rebuild's terms."""
    status, discarded = db.execute("SELECT status, discarded_at FROM audits WHERE id = ?", [audit_id]).fetchone()
    judgements = {r[0]: (r[1], bool(r[2]), r[3] or "") for r in db.execute(
        "SELECT criterion_id, grade, not_applicable, note FROM judgements WHERE audit_id = ?", [audit_id])}
    evidence = [tuple(r) for r in db.execute(
        "SELECT id, criterion_id, section_code, page_number, quote FROM evidence WHERE audit_id = ? ORDER BY id", [audit_id])]
    return ("discarded" if discarded else status), judgements, evidence


def _rebuilt(db, audit_id):
    state = A.rebuild_audit(db, audit_id)
    judgements = {cid: (j.grade, j.not_applicable, j.note) for cid, j in state.judgements.items()}
    evidence = [(e.id, e.criterion_id, e.section_code, e.page_number, e.quote) for e in state.evidence]
    return state.status, judgements, evidence


@pytest.fixture
def busy_db(plans_db, rubric, tmp_path):
    """Several audits made through the store's own functions, one of them imported from a scores CSV."""
    db = plans_db
    ids = [c.id for c in rubric.criteria]
    _careful_audit(db, rubric, _plan(db, "plan-01"))
    # Bob, half way through and changing his mind.
    bob = A.open_audit(db, _plan(db, "plan-01"), "bob", rubric)
    for cid in ids[:5]:
        A.set_grade(db, bob.id, rubric, cid, 3, "bob")
    A.set_grade(db, bob.id, rubric, ids[1], 1, "bob")
    A.set_grade(db, bob.id, rubric, ids[1], 2, "bob")
    A.undo(db, bob.id, "bob")
    A.undo(db, bob.id, "bob")
    A.set_note(db, bob.id, ids[6], "A note before any grade", "bob")
    eid = A.add_evidence(db, bob.id, ids[2], "Outcome: to read by Year 6", "E", 4, "bob")
    A.delete_evidence(db, bob.id, eid, "bob")
    A.undo(db, bob.id, "bob")
    A.undo(db, bob.id, "bob")  # the evidence itself goes too
    # Carol starts, throws it away, and starts again.
    carol = A.open_audit(db, _plan(db, "plan-02"), "carol", rubric)
    A.set_grade(db, carol.id, rubric, ids[0], 2, "carol")
    A.add_evidence(db, carol.id, ids[0], "Gone with the audit", "B", 2, "carol")
    A.discard(db, carol.id, "carol")
    again = A.open_audit(db, _plan(db, "plan-02"), "carol", rubric)
    A.set_grade(db, again.id, rubric, ids[0], 3, "carol")
    # Dana's submitted audit of plan-02 arrives from a spreadsheet, with Ed's unfinished one.
    rows = [("plan-02", "Dana", c.id, (i % 4) + 1, "", "submitted") for i, c in enumerate(rubric.criteria)]
    rows += [("plan-03", "Ed", ids[0], 2, "", "in_progress"), ("plan-03", "Ed", ids[1], "", "", "in_progress")]
    path = _scores_csv(tmp_path / "scores.csv", rows)
    import_scores(db, read_scores(path, rubric), rubric, "scores.csv")
    return db


def test_every_audit_rebuilt_from_its_events_equals_the_tables(busy_db):
    audit_ids = [r[0] for r in busy_db.execute("SELECT id FROM audits ORDER BY id")]
    assert len(audit_ids) == 6
    seen = set()
    for audit_id in audit_ids:
        rebuilt, tables = _rebuilt(busy_db, audit_id), _tables(busy_db, audit_id)
        assert rebuilt == tables, f"audit {audit_id}"
        seen.add(rebuilt[0])
    assert seen == {"submitted", "in_progress", "discarded"}


def test_the_rebuild_keeps_what_each_undo_put_back(busy_db, rubric):
    alice = busy_db.execute("SELECT id FROM audits WHERE reviewer = 'alice'").fetchone()[0]
    state = A.rebuild_audit(busy_db, alice)
    first, second = rubric.criteria[0].id, rubric.criteria[1].id
    assert state.judgements[first].grade == 1 and state.judgements[first].note == "First thoughts"
    assert [e.quote for e in state.evidence] == ['"I like Lego"', "Speech and language therapy, 1 hour weekly"]
    assert state.evidence[1].criterion_id == second
    assert state.status == "submitted" and state.reopened == ["Moderation asked for a second look"]
    overall = busy_db.execute("SELECT overall_grade FROM audits WHERE id = ?", [alice]).fetchone()[0]
    assert state.overall_grade == overall


def test_replay_ends_where_the_rebuild_does(busy_db):
    for (audit_id,) in busy_db.execute("SELECT id FROM audits WHERE discarded_at IS NULL"):
        last = replay_states(A.audit_events(busy_db, audit_id))[-1]
        state = A.rebuild_audit(busy_db, audit_id)
        assert {k: v for k, v in last.judgements.items()} == state.judgements
        assert last.evidence == state.evidence


def test_every_action_in_the_log_is_a_named_action(busy_db):
    actions = {r[0] for r in busy_db.execute("SELECT DISTINCT action FROM events")}
    assert {Action(a) for a in actions} >= {Action.UNDONE, Action.IMPORTED, Action.DISCARDED, Action.REOPENED}


def test_an_imported_audit_with_notes_is_rebuilt_with_its_notes(plans_db, rubric, tmp_path):
    na = _na_criterion(rubric)
    rows = [("plan-04", "Fay", c.id, "NA" if c.id == na else 3, "Why: no post-16 section" if c.id == na else "",
             "submitted") for c in rubric.criteria]
    import_scores(plans_db, read_scores(_scores_csv(tmp_path / "n.csv", rows), rubric), rubric, "n.csv")
    audit_id = plans_db.execute("SELECT id FROM audits WHERE reviewer = 'Fay'").fetchone()[0]
    assert _rebuilt(plans_db, audit_id) == _tables(plans_db, audit_id)


def test_only_the_event_module_writes_events():
    writers = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "INSERT INTO events" in p.read_text()}
    # The scores CSV import moves onto store.events.append_events with the scores writer's own change.
    assert writers <= {"store/events.py", "ingest/scores_csv.py"}
    assert "store/events.py" in writers


def test_no_action_name_is_spelt_out_outside_the_event_module():
    names = [a.value for a in Action if a.value not in ("submitted", "discarded", "moderated", "imported")]
    # These four are also words for an audit's status or kind and a plan's state.
    for p in SRC.rglob("*.py"):
        if p.name == "events.py" or p.name == "scores_csv.py":
            continue
        text = p.read_text()
        for name in names:
            assert f'"{name}"' not in text and f"'{name}'" not in text, f"{p.relative_to(SRC)} spells out {name}"


def test_grades_off_the_scale_and_forbidden_na_are_refused_by_the_rubric(rubric):
    from ehcaudit.errors import AuditError

    strict = next(c.id for c in rubric.criteria if not c.allow_na)
    with pytest.raises(AuditError, match=r"^9 is not on this rubric's scale \(4, 3, 2, 1\)$"):
        rubric.check_grade(strict, 9)
    with pytest.raises(AuditError, match=f"^{strict} cannot be N/A in this rubric; give it a grade$"):
        rubric.check_grade(strict, None)
    rubric.check_grade(_na_criterion(rubric), None)
    rubric.check_grade(strict, 4)


def _plain_derive(rubric, grades):
    """The rubric's rule written the plain way: weighted means per area, then over areas, banded."""
    def band(mean):
        if mean is None:
            return None
        return next((b.grade for b in rubric.bands if mean >= b.min - 1e-9), rubric.bands[-1].grade)

    means = {}
    for area in rubric.areas:
        pairs = [(grades.get(c.id), c.weight) for c in rubric.criteria if c.area == area.id]
        pairs = [(g, w) for g, w in pairs if g is not None]
        total = sum(w for _, w in pairs)
        means[area.id] = sum(g * w for g, w in pairs) / total if total else None
    weighted = [(m, a.weight) for a in rubric.areas if (m := means[a.id]) is not None]
    total = sum(w for _, w in weighted)
    overall = sum(m * w for m, w in weighted) / total if total else None
    return {a: band(m) for a, m in means.items()}, band(overall), means, overall


def test_the_summary_derives_grades_as_the_rubric_does(rubric):
    import math

    from ehcaudit.rubric import derive_grades
    from ehcaudit.summary.compute import derive
    from ehcaudit.summary.grid import ABSENT, NA

    rng = random.Random(14)
    ids = [c.id for c in rubric.criteria]
    cases = [{cid: g for cid in ids} for g in rubric.scale_values]  # every criterion the same grade
    cases += [{}, {cid: None for cid in ids}, {ids[0]: 4}]  # nothing graded, all N/A, one grade
    for _ in range(300):  # mixes of grades, N/A and criteria left out
        cases.append({cid: rng.choice([*rubric.scale_values, None]) for cid in ids if rng.random() > 0.2})
    # The summary derives every plan at once, from rows of grades: the same figures, to the last bit.
    rows = numpy.array([[ABSENT if cid not in g else NA if g[cid] is None else g[cid] for cid in ids] for g in cases], dtype=numpy.int16)
    at_once = derive(rubric, ids, rows)

    def none(x: float) -> float | None:
        return None if math.isnan(x) else x

    for i, grades in enumerate(cases):
        d = derive_grades(rubric, grades)
        expected = _plain_derive(rubric, grades)
        assert {a.id: none(m) for a, m in zip(rubric.areas, at_once.area_means[i].tolist())} == d.area_means
        assert {a.id: None if g == ABSENT else g for a, g in zip(rubric.areas, at_once.area_grades[i].tolist())} == d.area_grades
        assert none(float(at_once.overall_mean[i])) == d.overall_mean
        assert (None if at_once.overall_grade[i] == ABSENT else int(at_once.overall_grade[i])) == d.overall_grade
        assert (d.area_grades, d.overall_grade) == expected[:2]
        assert d.area_means == pytest.approx(expected[2]) and d.overall_mean == pytest.approx(expected[3])
