"""Agreement statistics against Krippendorff's published worked example and the edge cases."""

import pytest

from ehcaudit.summary.agreement import agreement, alpha_reading, krippendorff_alpha

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers x 12 units example.
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
UNITS = [[v for v in unit if v is not None] for unit in zip(A, B, C, D)]


@pytest.mark.parametrize("level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_published_example(level, expected):
    assert krippendorff_alpha(UNITS, level) == pytest.approx(expected, abs=0.0005)


def test_one_reviewer_gives_no_alpha():
    assert krippendorff_alpha([[3], [2], [4]]) is None
    result = agreement({("p1", "V1"): [3], ("p2", "V1"): [2]})
    assert result.alpha.value is None and result.pairs == 0 and result.reading == "not enough data"


def test_no_plan_graded_twice():
    assert agreement({}).alpha.value is None and agreement({}).exact_pct is None


def test_everyone_agrees():
    units = {(p, "V1"): [3, 3, 3] for p in range(5)} | {(9, "V1"): [2, 2]}
    result = agreement(units)
    assert result.alpha.value == 1.0 and result.exact_pct == 100.0 and result.adjacent_pct == 100.0


def test_everyone_agrees_on_a_single_value():
    assert krippendorff_alpha([[4, 4], [4, 4, 4]]) == 1.0


def test_na_grades_are_missing_values_not_grades():
    # N/A never reaches the statistics: the caller leaves it out, like a gap in the matrix.
    with_gaps = [[v for v in unit if v is not None] for unit in zip(A, B, C, D)]
    assert krippendorff_alpha(with_gaps, "ordinal") == pytest.approx(0.815, abs=0.0005)


def test_exact_and_adjacent_agreement_by_hand():
    # pairs: (3,3) exact; (2,4) two apart; (1,2) adjacent; three reviewers 3,3,2: 1 exact + 2 adjacent
    units = {("a", "V1"): [3, 3], ("b", "V1"): [2, 4], ("c", "V1"): [1, 2], ("d", "V1"): [3, 3, 2]}
    result = agreement(units)
    assert result.pairs == 6 and result.plans == 4
    assert result.exact_pct == pytest.approx(100 * 2 / 6)
    assert result.adjacent_pct == pytest.approx(100 * 5 / 6)


@pytest.mark.parametrize("alpha, reading", [(0.85, "reliable"), (0.8, "reliable"), (0.7, "tentative"), (0.667, "tentative"), (0.5, "unreliable"), (None, "not enough data")])
def test_krippendorffs_reading(alpha, reading):
    assert alpha_reading(alpha) == reading
