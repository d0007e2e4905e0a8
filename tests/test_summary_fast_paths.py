"""The summary's array paths give what a plain, plan by plan count gives."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict

import pytest

from ehcaudit.output.safe import json_dumps
from ehcaudit.store.summary_rows import SampleData
from ehcaudit.summary import compute
from ehcaudit.summary.agreement import agreement_by_columns, agreement_from_units
from ehcaudit.summary.grid import NA, build_grid, cells_from_grades


def test_json_dumps_is_json_dumps_indent_2_text() -> None:
    values = [
        {"a": [1, 2.5, float("nan"), float("inf"), None, True, False, {"x": []}, {}], "b": "é\u2028\x01\"\\"},
        {"same": {"a": "x", "b": "y"}, "again": [{"a": "x", "b": "y"}, {"a": "x", "b": "y"}]},
        {"ints": {"a": 1, "b": 1.0, "c": True}, "zero": {"a": -0.0}, "zero2": {"a": 0.0}},
        [], {}, "s", 1.0, [[[]]], (1, 2), {1: "non-string key"},
    ]
    for v in values:
        assert json_dumps(v) == json.dumps(v, indent=2, ensure_ascii=False).replace("\u2028", "\\u2028")


def _random_sample(rng: random.Random, plans: int = 12) -> tuple[dict, dict, dict]:
    """audits (id -> plan, reviewer, submitted), grades (id -> criterion -> grade, None = N/A), moderations."""
    audits: dict[int, tuple[int, str, str]] = {}
    grades: dict[int, dict[str, int | None]] = {}
    moderated: dict[int, dict[str, int | None]] = {}
    aid = 0
    for pid in range(1, plans + 1):
        for _ in range(rng.choice([1, 2, 2, 3])):
            aid += 1
            audits[aid] = (pid * 7, f"R{rng.randrange(4)}", f"t{rng.randrange(9)}")
            grades[aid] = {c: rng.choice([None, 1, 2, 3, 4]) for c in rng.sample("abcde", rng.randrange(6))}
        if rng.random() < 0.3:
            moderated[pid * 7] = {c: rng.choice([None, 1, 2, 3]) for c in rng.sample("abcdef", 2)}
    return audits, grades, moderated


def _sample_data(audits: dict, grades: dict, moderated: dict) -> SampleData:
    plans = {pid: {"label": f"p{pid}", "cohort": None} for pid, _, _ in audits.values()}
    return SampleData([], plans, audits, cells_from_grades(grades), moderated=moderated)


def _reviews_of(audits: dict, grades: dict, pid: int) -> list[tuple[str, dict[str, int | None]]]:
    return [(audits[a][1], grades[a]) for _, a in sorted((audits[a][2], a) for a in audits if audits[a][0] == pid)]


def _plain_rule(given: list[tuple[str, int | None]], rule: str, lead: str | None) -> int | None:
    if rule == "first":
        return given[0][1]
    if rule == "lead":
        for who, g in given:
            if who == lead:
                return g
    graded = [g for _, g in given if g is not None]
    return math.ceil(sum(graded) / len(graded) - 0.5) if graded else None


def test_final_grades_on_the_grid_follow_each_rule_plan_by_plan() -> None:
    rng = random.Random(5)
    for _ in range(60):
        audits, grades, moderated = _random_sample(rng)
        grid = build_grid(_sample_data(audits, grades, moderated), list("abcde"))
        for rule, lead in (("mean", None), ("first", None), ("lead", "R1")):
            finals = compute.final_grades(grid, rule, lead)
            for row, pid in enumerate(grid.plan_ids):
                reviews = _reviews_of(audits, grades, pid)
                agreed = moderated.get(pid, {})
                expected: dict[str, tuple[int | None, str]] = {}
                for cid in dict.fromkeys([c for _, g in reviews for c in g] + list(agreed)):
                    given = [(who, g[cid]) for who, g in reviews if cid in g]
                    if cid in agreed:
                        expected[cid] = (agreed[cid], compute.MODERATED)
                    elif len(given) == 1:
                        expected[cid] = (given[0][1], compute.ONLY)
                    else:
                        expected[cid] = (_plain_rule(given, rule, lead), compute.BY_RULE)
                got = {}
                for j, cid in enumerate(grid.columns):
                    if finals.source[row, j]:
                        g = int(finals.grades[row, j])
                        got[cid] = (None if g == NA else g, compute.SOURCES[finals.source[row, j] - 1])
                assert got == expected


def test_reviewer_figures_on_the_grid_match_a_unit_by_unit_count() -> None:
    rng = random.Random(3)
    for _ in range(60):
        audits, grades, moderated = _random_sample(rng)
        rows = compute._reviewers(build_grid(_sample_data(audits, grades, moderated), list("abcde")))
        plain: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0, 0.0])  # grades, total, n/sum vs moderated, vs others
        units: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for a, (pid, who, _at) in audits.items():
            for cid, g in grades[a].items():
                if g is not None:
                    units[(pid, cid)].append((who, g))
        for (pid, cid), entries in units.items():
            agreed = moderated.get(pid, {}).get(cid)
            total = sum(g for _, g in entries)
            for who, g in entries:
                p = plain[who]
                p[0] += 1
                p[1] += g
                if agreed is not None:
                    p[2] += 1
                    p[3] += g - agreed
                if len(entries) > 1:
                    p[4] += 1
                    p[5] += g - (total - g) / (len(entries) - 1)
        for r in rows:
            p = plain[r["reviewer"]]
            assert r["grades"] == p[0] and r["mean_grade"] == (round(p[1] / p[0], 2) if p[0] else None)
            assert r["vs_moderated"] == {"n": p[2], "mean_difference": round(p[3] / p[2], 2) if p[2] else None}
            assert r["vs_other_reviewers"]["n"] == p[4]
            if p[4]:
                assert r["vs_other_reviewers"]["mean_difference"] == pytest.approx(round(p[5] / p[4], 2), abs=0.0051)
        assert sum(r["audits"] for r in rows) == len(audits)


def test_agreement_on_the_grid_is_the_plain_agreement() -> None:
    # The summary's array path and the plain one (calibration's) give the same figures and, with plans taken in
    # the same order, the same bootstrap draws and so the same interval.
    rng = random.Random(11)
    for _ in range(40):
        audits, grades, _ = _random_sample(rng, plans=rng.choice([3, 12, 40]))
        grid = build_grid(_sample_data(audits, grades, {}), list("abcde"))
        sets = [[0, 1, 2, 3, 4], [0, 1], [2]]
        for columns, found in zip(sets, agreement_by_columns(grid.grades, sets)):
            by_plan: dict[int, list[list[int | None]]] = {}
            for pid in grid.plan_ids:
                for j in columns:
                    values = [g[grid.columns[j]] for _, g in _reviews_of(audits, grades, pid) if grid.columns[j] in g]
                    by_plan.setdefault(pid, []).append(values)
            plain = agreement_from_units(by_plan)
            assert (found.units, found.plans, found.pairs, found.na_disagreements) == (plain.units, plain.plans, plain.pairs,
                                                                                      plain.na_disagreements)
            assert found.exact_pct == plain.exact_pct and found.adjacent_pct == plain.adjacent_pct
            assert (found.alpha.values, found.alpha.units, found.alpha.clusters) == (plain.alpha.values, plain.alpha.units,
                                                                                    plain.alpha.clusters)
            assert found.alpha.value == pytest.approx(plain.alpha.value, abs=1e-12) if plain.alpha.value is not None else found.alpha.value is None
            if all(len([v for v in u if v is not None]) <= 2 for us in by_plan.values() for u in us):
                assert (found.alpha.low, found.alpha.high) == pytest.approx((plain.alpha.low, plain.alpha.high), abs=1e-9)
