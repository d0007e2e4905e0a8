"""The sample summary: quality figures on a hand-worked sample, consistency, exports, scores CSV."""

import csv
import json
import shutil
import subprocess

import pytest

from ehcaudit.rubric import resolve_rubric
from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import open_db
from ehcaudit.store.moderation import moderate
from ehcaudit.summary.compute import build_summary
from ehcaudit.summary.data import load_sample
from test_agreement import A, B, C, D

MINI = """
id = "mini"
title = "Mini rubric"
version = "1"
[[scale]]
value = 4
label = "Outstanding"
[[scale]]
value = 3
label = "Good"
[[scale]]
value = 2
label = "Requires improvement"
[[scale]]
value = 1
label = "Inadequate"
[grading]
method = "weighted_mean"
bands = [{ min = 3.5, grade = 4 }, { min = 2.5, grade = 3 }, { min = 1.5, grade = 2 }, { min = 0, grade = 1 }]
[[areas]]
id = "voice"
title = "Voice"
[[areas]]
id = "outcomes"
title = "Outcomes"
weight = 3
[[criteria]]
id = "V1"
area = "voice"
question = "Voice?"
sections = ["A"]
allow_na = true
[criteria.descriptors]
4 = "a"
3 = "b"
2 = "c"
1 = "d"
[[criteria]]
id = "O1"
area = "outcomes"
question = "SMART?"
sections = ["E"]
[criteria.descriptors]
4 = "a"
3 = "b"
2 = "c"
1 = "d"
"""


def write_csv(path, rows, header=("plan", "reviewer", "criterion", "score", "note", "cohort")):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def mini(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(MINI)
    return resolve_rubric(str(path))


def summary_of(db, rubric, **kw):
    return build_summary(rubric, load_sample(db, rubric.id, kw.pop("cohorts", None)), **kw)


def test_quality_on_a_hand_worked_sample(tmp_path, mini):
    # p1: V1 4, O1 4 -> overall 4.   p2: V1 2, O1 3 -> overall (2 + 3*3)/4 = 2.75 -> 3.
    # p3: V1 N/A, O1 1 -> overall 1.  p4: two reviewers (first: V1 3 O1 2), moderated O1 to 3 -> V1 3, O1 3 -> 3.
    rows = [
        ("p1", "ann", "V1", 4, "", "2026-10"), ("p1", "ann", "O1", 4, "", "2026-10"),
        ("p2", "ann", "V1", 2, "", "2026-11"), ("p2", "ann", "O1", 3, "", "2026-11"),
        ("p3", "bob", "V1", "NA", "Too young", "2026-11"), ("p3", "bob", "O1", 1, "", "2026-11"),
        ("p4", "ann", "V1", 3, "", "2026-11"), ("p4", "ann", "O1", 2, "", "2026-11"),
        ("p4", "bob", "V1", 3, "", "2026-11"), ("p4", "bob", "O1", 4, "", "2026-11"),
    ]
    db = open_db(tmp_path / "q.db")
    import_scores(db, read_scores(write_csv(tmp_path / "s.csv", rows), mini), mini, "s.csv")
    p4 = db.execute("SELECT id FROM plans WHERE label = 'p4'").fetchone()[0]
    moderate(db, p4, mini, "O1", 3, "Outcomes are measurable but not time-bound", "mod")
    s = summary_of(db, mini, by=["reviewer"])
    q = s["quality"]
    assert s["plans"] == 4 and s["audits"] == 5
    assert s["grade_sources"] == {"partly moderated": 1, "single review": 3}
    assert q["overall"]["distribution"] == {"4": 1, "3": 2, "2": 0, "1": 1}
    # the mean is of the plans' overall means (4, 2.75, 1, 3), not of their banded grades (4, 3, 1, 3)
    assert q["overall"]["good_or_better_pct"] == 75.0 and q["overall"]["mean"] == 2.69
    o1 = next(c for c in q["criteria"] if c["id"] == "O1")
    assert o1["distribution"] == {"4": 1, "3": 2, "2": 0, "1": 1} and o1["mean"] == 2.75
    v1 = next(c for c in q["criteria"] if c["id"] == "V1")
    assert v1["n"] == 3 and v1["not_applicable"] == 1 and v1["mean"] == 3.0
    assert [c["id"] for c in q["criteria"]] == ["V1", "O1"]  # weakest first: 66.7% vs 75% Good or better
    assert [t["cohort"] for t in s["trend"]] == ["2026-10", "2026-11"]
    assert s["trend"][0]["overall"]["mean"] == 4.0
    # consistency: only p4 is double-scored: V1 3/3 exact, O1 2/4 two apart
    c = s["consistency"]
    assert c["plans_scored_by_two_or_more"] == 1
    assert c["overall"]["pairs"] == 2 and c["overall"]["exact_pct"] == 50.0 and c["overall"]["adjacent_pct"] == 50.0
    # reviewers against the moderated grade (O1 = 3): ann gave 2 (-1), bob gave 4 (+1)
    by = {r["reviewer"]: r for r in s["reviewers"]}
    assert by["ann"]["vs_moderated"] == {"n": 1, "mean_difference": -1.0}
    assert by["bob"]["vs_moderated"] == {"n": 1, "mean_difference": 1.0}
    assert {r["group"] for r in s["breakdowns"]["reviewer"]} == {"ann", "bob"}


def test_summary_json_alpha_matches_the_published_example(cli, tmp_path):
    # Krippendorff's matrix as 11 pairable plans x 4 reviewers with gaps, on a 5-point scale.
    five = MINI.replace('[[scale]]\nvalue = 4', '[[scale]]\nvalue = 5\nlabel = "Exceptional"\n[[scale]]\nvalue = 4')
    five = five.replace('[criteria.descriptors]\n4 = "a"', '[criteria.descriptors]\n5 = "x"\n4 = "a"')
    five = five.replace("{ min = 3.5, grade = 4 }", "{ min = 4.5, grade = 5 }, { min = 3.5, grade = 4 }")
    rubric_file = tmp_path / "five.toml"
    rubric_file.write_text(five)
    assert cli("rubric", "check", str(rubric_file)).returncode == 0
    rows = []
    for unit, values in enumerate(zip(A, B, C, D), start=1):
        for reviewer, v in zip("ABCD", values):
            if v is not None:  # a submitted audit grades every criterion; only V1 is looked at here
                rows.append((f"plan-{unit:02d}", f"reviewer {reviewer}", "V1", v, "", "2026-11"))
                rows.append((f"plan-{unit:02d}", f"reviewer {reviewer}", "O1", v, "", "2026-11"))
    scores = write_csv(tmp_path / "k.csv", rows)
    db = tmp_path / "k.db"
    assert cli("scores", "import", str(scores), "--db", str(db), "--rubric", str(rubric_file)).returncode == 0
    result = cli("summary", "--db", str(db), "--rubric", str(rubric_file), "--format", "json")
    data = json.loads(result.stdout)
    v1 = next(c for c in data["consistency"]["criteria"] if c["id"] == "V1")
    assert v1["alpha_ordinal"] == pytest.approx(0.815, abs=0.0005)
    assert v1["plans"] == 11 and v1["reading"] == "reliable"


def test_bad_score_rows_are_listed_with_line_numbers_and_nothing_is_imported(cli, tmp_path):
    rows = [
        ("plan-01", "ann", "V1", 3, "", ""),
        ("plan-01", "ann", "Z9", 3, "", ""),      # line 3: unknown criterion
        ("plan-01", "ann", "V2", 7, "", ""),      # line 4: off the scale
        ("plan-01", "ann", "V3", "good", "", ""),  # line 5: not a number
        ("plan-01", "ann", "V1", "NA", "", ""),   # line 6: V1 cannot be N/A (and a repeat)
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    result = cli("scores", "import", str(path), "--db", str(tmp_path / "b.db"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    assert f"{path}:3: unknown criterion 'Z9'" in err
    assert f"{path}:4: score 7 is not on this rubric's scale" in err
    assert f"{path}:5: score 'good' is not a whole number" in err
    assert f"{path}:6: V1 cannot be N/A" in err
    assert "nothing was imported" in err
    assert open_db(tmp_path / "b.db").execute("SELECT count(*) FROM judgements").fetchone()[0] == 0


def test_a_missing_column_is_one_line(cli, tmp_path):
    path = write_csv(tmp_path / "m.csv", [("p", "ann", "V1")], header=("plan", "reviewer", "criterion"))
    result = cli("scores", "import", str(path), "--db", str(tmp_path / "m.db"))
    assert result.returncode == 1 and "missing column(s) score" in result.stderr


def test_unknown_plans_become_label_only_plans(tmp_path, rubric):
    db = open_db(tmp_path / "l.db")
    rows = [("old-plan-7", "ann", c.id, 3, "", "2025-06") for c in rubric.criteria]
    report = import_scores(db, read_scores(write_csv(tmp_path / "o.csv", rows), rubric), rubric, "o.csv")
    assert report.plans_created == 1 and report.audits_created == 1
    assert db.execute("SELECT has_pdf, cohort FROM plans").fetchone() == (0, "2025-06")
    assert db.execute("SELECT status FROM audits").fetchone() == ("submitted",)


def test_export_then_import_round_trip_changes_nothing(cli, plans_db_path, tmp_path, rubric):
    from ehcaudit.store import audits as A

    db = open_db(plans_db_path)
    plan_ids = [r[0] for r in db.execute("SELECT id FROM plans ORDER BY label LIMIT 3")]
    for n, pid in enumerate(plan_ids):
        audit = A.open_audit(db, pid, f"rev{n}", rubric)
        for c in rubric.criteria:
            A.set_grade(db, audit.id, rubric, c.id, None if c.allow_na and n == 1 else 2 + n % 3, f"rev{n}")
            if c.allow_na and n == 1:
                A.set_note(db, audit.id, c.id, "Not relevant, see section D, \"none\"", f"rev{n}")
        if n < 2:
            A.submit(db, audit.id, rubric, f"rev{n}")
    first = cli("scores", "export", "--db", str(plans_db_path)).stdout
    (tmp_path / "export.csv").write_text(first)
    fresh = tmp_path / "fresh.db"
    assert cli("scores", "import", str(tmp_path / "export.csv"), "--db", str(fresh)).returncode == 0
    assert cli("scores", "export", "--db", str(fresh)).stdout == first
    again = cli("scores", "import", str(tmp_path / "export.csv"), "--db", str(plans_db_path))
    assert again.returncode == 0 and "3 already present" in again.stdout
    assert cli("scores", "export", "--db", str(plans_db_path)).stdout == first


@pytest.fixture
def demo_db(tmp_path):
    from ehcaudit.demo import build_demo_db

    return build_demo_db(tmp_path / "demo.db")


@pytest.mark.parametrize("fmt, marker", [("table", "Quality by area"), ("md", "## Quality by area"), ("csv", "table,row,column,value")])
def test_text_formats(cli, demo_db, fmt, marker):
    result = cli("summary", "--db", str(demo_db), "--format", fmt, "--by", "phase")
    assert result.returncode == 0 and marker in result.stdout


def test_json_shape_is_stable(cli, demo_db):
    data = json.loads(cli("summary", "--db", str(demo_db), "--format", "json", "--by", "need").stdout)
    assert set(data) == {"generated_at", "rubric", "scale", "good_or_better_from", "cohorts", "plans", "audits", "held_back", "grade_sources",
                         "grades_used", "quality", "breakdowns", "trend", "consistency", "reviewers", "actions", "prechecks"}
    assert set(data["prechecks"]) == {"checked", "kinds", "vague_phrases"}
    assert set(data["quality"]) == {"overall", "areas", "criteria"}
    assert set(data["consistency"]["overall"]) == {"plans", "units", "pairs", "exact_pct", "adjacent_pct", "na_against_grade_pairs",
                                                   "alpha_ordinal", "alpha_ci95", "alpha_n_values", "alpha_plans", "reading"}
    assert "need" in data["breakdowns"]


def test_xlsx_has_one_sheet_per_table(cli, demo_db, tmp_path):
    import openpyxl

    out = tmp_path / "s.xlsx"
    assert cli("summary", "--db", str(demo_db), "--format", "xlsx", "-o", str(out)).returncode == 0
    book = openpyxl.load_workbook(out)
    assert {"summary", "overall", "areas", "criteria", "trend", "consistency", "agreement-criteria", "reviewers"} <= set(book.sheetnames)
    assert book["areas"]["A3"].value == "Area"
    assert cli("summary", "--db", str(demo_db), "--format", "xlsx").returncode == 1  # needs --output


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (CI installs it)")
def test_html_report_shows_its_tables_and_charts_in_a_browser(cli, demo_db, tmp_path):
    out = tmp_path / "report.html"
    assert cli("summary", "--db", str(demo_db), "--format", "html", "-o", str(out)).returncode == 0
    html = out.read_text()
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html and "<script" not in html
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "Quality by area" in dom and "Agreement by criterion" in dom and "Voice of the child" in dom
    assert dom.count('class="chart"') >= 2 and 'class="seg ' in dom and "Findings" in dom
    subprocess.run([CHROMIUM, *flags, f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1000,1400", out.as_uri()],
                   capture_output=True, timeout=120)
    assert (tmp_path / "shot.png").stat().st_size > 10_000


def test_unknown_rubric_in_summary_is_one_line(cli, demo_db):
    result = cli("summary", "--db", str(demo_db), "--rubric", "nope")
    assert result.returncode == 1 and "unknown rubric" in result.stderr


def test_an_xlsx_summary_to_a_missing_folder_is_one_line(cli, plans_db_path, tmp_path):
    result = cli("summary", "--db", str(plans_db_path), "--format", "xlsx", "-o", str(tmp_path / "no" / "such" / "s.xlsx"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("cannot write (No such file or directory)")
    assert "Traceback" not in result.stderr


def test_summary_counts_plans_with_each_kind_of_hint_and_the_commonest_vague_phrases_in_f(cli, demo_db):
    data = json.loads(cli("summary", "--db", str(demo_db), "--format", "json").stdout)
    pre = data["prechecks"]
    assert pre["checked"] == data["plans"] or pre["checked"] > 0
    kinds = {k["kind"]: k for k in pre["kinds"]}
    assert set(kinds) == {"provision-vague", "outcome-not-smart", "outcome-is-provision", "voice-indirect",
                          "need-without-provision", "copied-text"}
    assert kinds["provision-vague"]["plans"] > 0
    top = pre["vague_phrases"][0]
    assert top["plans"] > 0 and 0 < top["pct"] <= 100
    text = cli("summary", "--db", str(demo_db)).stdout
    assert "Most common vague phrases in section F" in text and f"'{top['phrase']}'" in text
