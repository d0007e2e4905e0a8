"""The figures mean what they say: N/A is an answer, alpha has its n and interval, grades used are named."""

import pytest

from ehcaudit.training.scoring import closeness, compare
from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import open_db
from ehcaudit.store.moderation import moderate
from ehcaudit.summary.agreement import MIN_PLANS, TOO_FEW, agreement
from ehcaudit.summary.compute import build_summary
from ehcaudit.summary.data import load_sample
from ehcaudit.summary.tables import headline, summary_tables
from test_summary import MINI, write_csv


@pytest.fixture
def mini(tmp_path):
    from ehcaudit.rubric import resolve_rubric

    path = tmp_path / "mini.toml"
    path.write_text(MINI)
    return resolve_rubric(str(path))


def db_with(tmp_path, mini, rows, name="s"):
    db = open_db(tmp_path / f"{name}.db")
    import_scores(db, read_scores(write_csv(tmp_path / f"{name}.csv", rows), mini), mini, f"{name}.csv")
    return db


def summary_of(db, rubric, **kw):
    return build_summary(rubric, load_sample(db, rubric.id), **kw)


# ------------------------------------------------------------------ 18: N/A against a grade is a disagreement


def test_na_against_a_grade_is_a_disagreement_not_agreement():
    result = agreement({("p1", "V1"): [None, 2], ("p2", "V1"): [None, None], ("p3", "V1"): [3, 3]})
    assert result.pairs == 3 and result.na_disagreements == 1
    assert result.exact_pct == pytest.approx(200 / 3) and result.adjacent_pct == pytest.approx(200 / 3)
    # alpha leaves N/A out: only p3 has two graded values
    assert result.alpha.units == 1


def test_summary_counts_na_against_a_grade_and_says_alpha_leaves_na_out(tmp_path, mini):
    rows = [("p1", "ann", "V1", "NA", "too young", ""), ("p1", "bob", "V1", 2, "", ""),
            ("p1", "ann", "O1", 3, "", ""), ("p1", "bob", "O1", 3, "", "")]
    s = summary_of(db_with(tmp_path, mini, rows), mini)
    v1 = next(c for c in s["consistency"]["criteria"] if c["id"] == "V1")
    assert v1["pairs"] == 1 and v1["exact_pct"] == 0.0 and v1["adjacent_pct"] == 0.0 and v1["na_against_grade_pairs"] == 1
    assert any("leaves N/A out" in line for line in headline(s))


def test_moderation_screen_puts_na_against_a_grade_with_the_disagreements():
    from ehcaudit.audit.model import Judgement
    from ehcaudit.tui.moderation_screen import NA_AGAINST_GRADE, disagreement

    rank, shown = disagreement([Judgement("H2", None, True, "n/a"), Judgement("H2", 2)])
    assert rank == NA_AGAINST_GRADE and shown == "N/A vs 2"
    assert disagreement([Judgement("H2", 2), Judgement("H2", 2)]) == (0, "0")
    assert disagreement([Judgement("H2", None, True), Judgement("H2", None, True)]) == (0, "0")


def test_calibration_shows_na_against_a_grade_as_a_disagreement(plans_db, rubric):
    from ehcaudit.store import audits as A
    from ehcaudit.store import calibration as K
    from ehcaudit.store.plans import list_plans

    plan = list_plans(plans_db)[0].id
    na_criterion = next(c for c in rubric.criteria if c.allow_na)

    def audit(who, na, session=None):
        a = K.open_training_audit(plans_db, session, who, rubric) if session else A.open_audit(plans_db, plan, who, rubric)
        for c in rubric.criteria:
            A.set_grade(plans_db, a.id, rubric, c.id, None if (na and c.id == na_criterion.id) else 3, who)
            if na and c.id == na_criterion.id:
                A.set_note(plans_db, a.id, c.id, "does not apply", who)
        A.submit(plans_db, a.id, rubric, who)
        return a

    ref = audit("expert", na=True)
    sid = K.start_session(plans_db, "Induction", ref.id, "trainer")
    audit("t1", na=False, session=sid)
    audit("t2", na=True, session=sid)
    reference, trainees = K.session_audits(plans_db, sid)
    figures = compare(rubric, reference, trainees)
    row = next(c for c in figures["criteria"] if c["id"] == na_criterion.id)
    assert row["closeness"] == {"t1": "N/A against a grade", "t2": "exact"} and row["na_against_grade"] is True
    people = {p["trainee"]: p for p in figures["people"]}
    assert people["t1"]["na_against_grade"] == [na_criterion.id] and people["t1"]["exact_pct"] < 100
    assert people["t2"]["exact_pct"] == 100.0
    assert closeness("N/A", 3) == "N/A against a grade" and closeness("N/A", "N/A") == "exact"


# ------------------------------------------------------------------ 19: which grade is used, per plan and criterion


ROWS_19 = [
    # p1: one review. p2: two reviews, O1 moderated, V1 not. p3: two reviews, nothing moderated.
    ("p1", "ann", "V1", 4, "", ""), ("p1", "ann", "O1", 4, "", ""),
    ("p2", "ann", "V1", 2, "", ""), ("p2", "ann", "O1", 2, "", ""), ("p2", "bob", "V1", 3, "", ""), ("p2", "bob", "O1", 4, "", ""),
    ("p3", "ann", "V1", 1, "", ""), ("p3", "ann", "O1", 2, "", ""), ("p3", "bob", "V1", 4, "", ""), ("p3", "bob", "O1", 3, "", ""),
]


def test_partly_moderated_plans_are_counted_as_such_and_every_criterion_says_where_its_grade_came_from(tmp_path, mini):
    db = db_with(tmp_path, mini, ROWS_19)
    p2 = db.execute("SELECT id FROM plans WHERE label = 'p2'").fetchone()[0]
    moderate(db, p2, mini, "O1", 3, "agreed", "mod")
    s = summary_of(db, mini)
    assert s["grade_sources"] == {"single review": 1, "partly moderated": 1, "unmoderated double-scored": 1}
    used = {p["plan"]: p for p in s["grades_used"]["plans"]}
    assert used["p2"]["criteria"] == {"V1": "by the rule", "O1": "moderated"}
    assert used["p1"]["criteria"] == {"V1": "only review", "O1": "only review"}
    assert s["grades_used"]["criteria"] == {"moderated": 1, "only review": 2, "by the rule": 3}
    line = next(x for x in headline(s) if x.startswith("Grades used"))
    assert "1 partly moderated" in line and "mean of the reviews" in line
    table = next(t for t in summary_tables(s) if t.name == "grades-used")
    assert ["p2", 2, "partly moderated", 1, 0, 1, "V1"] in table.rows


@pytest.mark.parametrize("rule, lead, p3_v1", [("mean", None, 2), ("first", None, 1), ("lead", "bob", 4)])
def test_the_rule_for_unmoderated_criteria_is_the_users_choice(tmp_path, mini, rule, lead, p3_v1):
    s = summary_of(db_with(tmp_path, mini, ROWS_19), mini, rule=rule, lead=lead)
    assert s["grades_used"]["rule"] == rule
    v1 = next(c for c in s["quality"]["criteria"] if c["id"] == "V1")
    # p1 4, p2 (2, 3) and p3 (1, 4) by the rule
    expected = {"mean": [4, 2, 2], "first": [4, 2, 1], "lead": [4, 3, 4]}[rule]
    assert v1["mean"] == round(sum(expected) / 3, 2)
    assert p3_v1 == expected[2]


def test_summary_cli_names_the_rule(cli, tmp_path, mini):
    db_with(tmp_path, mini, ROWS_19)
    args = ["summary", "--db", str(tmp_path / "s.db"), "--rubric", str(tmp_path / "mini.toml")]
    assert "the first submitted review" in cli(*args, "--unmoderated", "first").stdout
    lead = cli(*args, "--unmoderated", "lead")
    assert lead.returncode == 1 and "--lead" in lead.stderr and "Traceback" not in lead.stderr
    assert "the lead reviewer's grade" in cli(*args, "--unmoderated", "lead", "--lead", "bob").stdout


# ------------------------------------------------------------------ 20: alpha with n, an interval, and no verdict on too little


def test_one_pair_on_one_plan_gets_no_verdict(tmp_path, mini):
    rows = [("p1", "ann", "V1", 3, "", ""), ("p1", "bob", "V1", 3, "", ""), ("p1", "ann", "O1", 2, "", ""), ("p1", "bob", "O1", 4, "", "")]
    s = summary_of(db_with(tmp_path, mini, rows), mini)
    for a in [s["consistency"]["overall"], *s["consistency"]["criteria"]]:
        assert a["reading"] in (TOO_FEW, "not enough data")
        assert a["reading"] not in ("reliable", "tentative", "unreliable")


def grades_for(n_plans, agree_every):
    rows = []
    for i in range(n_plans):
        g = 1 + i % 4
        rows += [(f"p{i}", "ann", "V1", g, "", ""), (f"p{i}", "bob", "V1", g if i % agree_every else max(1, g - 1), "", ""),
                 (f"p{i}", "ann", "O1", g, "", ""), (f"p{i}", "bob", "O1", g, "", "")]
    return rows


def test_every_alpha_has_its_n_and_a_reproducible_95_percent_interval(tmp_path, mini):
    db = db_with(tmp_path, mini, grades_for(12, 3))
    first, second = summary_of(db, mini), summary_of(db, mini)
    a = first["consistency"]["overall"]
    assert a["plans"] == 12 >= MIN_PLANS and a["reading"] in ("reliable", "tentative", "unreliable")
    low, high = a["alpha_ci95"]
    assert low <= a["alpha_ordinal"] <= high and a["alpha_n_values"] == 48
    assert first["consistency"] == second["consistency"]  # a fixed seed: the same data, the same interval
    text = "\n".join(headline(first))
    assert "95% interval" in text and "n = 48 values" in text


def test_perfect_agreement_on_few_plans_is_not_called_reliable(tmp_path, mini):
    db = db_with(tmp_path, mini, grades_for(MIN_PLANS - 1, 10**6))
    a = summary_of(db, mini)["consistency"]["overall"]
    assert a["alpha_ordinal"] == 1.0 and a["reading"] == TOO_FEW


# ------------------------------------------------------------------ 21: area means from criteria grades


def test_area_and_overall_means_come_from_criteria_grades_not_banded_grades(tmp_path, mini):
    # Outcomes (one criterion) per plan: 3 and 2 -> mean 2.5. Overall (V1 weight 1, O1 weight 3):
    # p1 (4 + 3*3)/4 = 3.25 (banded 3), p2 (3 + 2*3)/4 = 2.25 (banded 2) -> mean 2.75, not 2.5.
    rows = [("p1", "ann", "V1", 4, "", ""), ("p1", "ann", "O1", 3, "", ""), ("p2", "ann", "V1", 3, "", ""), ("p2", "ann", "O1", 2, "", "")]
    q = summary_of(db_with(tmp_path, mini, rows), mini)["quality"]
    assert q["overall"]["mean"] == 2.75 and q["overall"]["distribution"] == {"4": 0, "3": 1, "2": 1, "1": 0}
    voice = next(a for a in q["areas"] if a["id"] == "voice")
    assert voice["mean"] == 3.5  # criteria 4 and 3; banded grades would give 4 and 3 too, but see the overall above
