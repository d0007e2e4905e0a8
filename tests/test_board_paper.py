"""The board paper a manager hands in unedited, and the CLI lines around it."""

import csv
import io
import re

import pytest

from ehcaudit.output.words import plural


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from ehcaudit.demo import build_demo_db

    return build_demo_db(tmp_path_factory.mktemp("demo") / "demo.db")


def test_plural_reads_as_people_write():
    assert plural(1, "plan") == "1 plan" and plural(2, "plan") == "2 plans"
    assert plural(1.0, "step/s") == "1 step/s" and plural(0, "trainee") == "0 trainees"


def test_html_opens_with_findings_in_words_and_names_every_criterion_by_its_question(cli, demo_db, rubric):
    page = cli("summary", "--db", str(demo_db), "--format", "html").stdout
    findings = page[page.index("Findings"):page.index("Grades by area")]
    for words in ("Good or better overall", "The strongest area is", "The weakest is", "can", "trusted",
                  "scored independently by two or more reviewers"):
        assert words in findings, words
    for c in rubric.criteria:
        assert c.question.replace('"', "&quot;").replace("'", "&#x27;") in page, c.id
    assert not re.search(r"\b1 (plans|trainees|steps|pairs|reviews)\b", page)
    assert "@page" in page and "A4" in page and "@media print" in page
    assert "<svg" not in page  # HTML bars: labels wrap, never cut or overlap


def test_a_small_sample_is_flagged_in_words(cli, demo_db):
    page = cli("summary", "--db", str(demo_db), "--format", "md").stdout
    assert "is itself uncertain" in page  # 7 double-scored plans


def test_one_tidy_table_at_a_time_for_a_spreadsheet(cli, demo_db):
    names = cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "list").stdout.split()
    assert {"overall", "areas", "criteria", "trend", "reviewers"} <= set(names)
    rows = list(csv.reader(io.StringIO(cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "criteria").stdout)))
    assert rows[0][:3] == ["Criterion", "Question", "Area"] and len(rows) == 21
    bad = cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "nope")
    assert bad.returncode == 1 and "the tables are: overall" in bad.stderr
    assert cli("summary", "--db", str(demo_db), "--format", "csv").stdout.startswith("table,row,column,value")


def test_an_unknown_cohort_is_an_error_listing_the_known_ones(cli, demo_db):
    result = cli("summary", "--db", str(demo_db), "--cohort", "2099-01")
    assert result.returncode == 1 and "2099-01" in result.stderr and "known cohorts: 2026-11" in result.stderr


def test_scores_export_lists_criteria_in_rubric_order(cli, demo_db, rubric):
    rows = list(csv.DictReader(io.StringIO(cli("scores", "export", "--db", str(demo_db)).stdout)))
    first = [r["criterion"] for r in rows if (r["plan"], r["reviewer"]) == (rows[0]["plan"], rows[0]["reviewer"])]
    assert first == [c.id for c in rubric.criteria if c.id in first]


def test_a_semicolon_separated_scores_file_is_named_as_such(cli, demo_db, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("plan;reviewer;criterion;score\nplan-01;Ann;V1;3\n")
    result = cli("scores", "import", str(path), "--db", str(demo_db))
    assert result.returncode == 1 and "semicolon-separated" in result.stderr and "missing column" not in result.stderr


def test_calibrate_report_never_prints_none(cli, demo_db):
    result = cli("calibrate", "report", "1", "--db", str(demo_db))
    assert result.returncode == 0 and "None" not in result.stdout and "2 trainees" in result.stdout
