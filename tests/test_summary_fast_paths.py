"""The summary's fast paths give exactly what the plain ones give."""

from __future__ import annotations

import json
import random
from collections import defaultdict

from ehcaudit.output.safe import json_dumps
from ehcaudit.store.summary_rows import SampleData
from ehcaudit.summary import compute


def test_json_dumps_is_json_dumps_indent_2_text() -> None:
    values = [
        {"a": [1, 2.5, float("nan"), float("inf"), None, True, False, {"x": []}, {}], "b": "é\u2028\x01\"\\"},
        {"same": {"a": "x", "b": "y"}, "again": [{"a": "x", "b": "y"}, {"a": "x", "b": "y"}]},
        {"ints": {"a": 1, "b": 1.0, "c": True}, "zero": {"a": -0.0}, "zero2": {"a": 0.0}},
        [], {}, "s", 1.0, [[[]]], (1, 2), {1: "non-string key"},
    ]
    for v in values:
        assert json_dumps(v) == json.dumps(v, indent=2, ensure_ascii=False).replace("\u2028", "\\u2028")


def test_reviewer_totals_by_pattern_match_by_unit() -> None:
    rng = random.Random(3)
    checked = 0
    for _ in range(100):
        units: dict[tuple[int, str], list[tuple[str, int | None]]] = {}
        moderated: dict[int, dict[str, int | None]] = {}
        for pid in range(20):
            for cid in "abc":
                units[(pid, cid)] = [(f"R{rng.randrange(4)}", rng.choice([None, 1, 2, 3, 4])) for _ in range(rng.choice([1, 2, 2]))]
                if rng.random() < 0.3:
                    moderated.setdefault(pid, {})[cid] = rng.choice([None, 1, 2, 3, 4])
        data = SampleData([], {}, {}, {}, moderated=moderated, units=units)
        fast: defaultdict[str, compute._ReviewerTotals] = defaultdict(compute._ReviewerTotals)
        plain: defaultdict[str, compute._ReviewerTotals] = defaultdict(compute._ReviewerTotals)
        compute._reviewer_totals_by_unit(data, plain)
        if compute._reviewer_totals_by_pattern(data, fast):
            checked += 1
            for r, a in plain.items():
                b = fast[r]
                assert (b.grades, b.grade_total, b.vs_moderated.to_dict(), b.vs_others.to_dict()) == (
                    a.grades, a.grade_total, a.vs_moderated.to_dict(), a.vs_others.to_dict())
    assert checked == 100
    three = SampleData([], {}, {}, {}, units={(1, "a"): [("R1", 1), ("R2", 2), ("R3", 4)]})
    assert not compute._reviewer_totals_by_pattern(three, defaultdict(compute._ReviewerTotals))  # thirds: per unit, as before


def test_two_reviews_by_mean_match_the_general_rule() -> None:
    rng = random.Random(5)
    for _ in range(100):
        audits: dict[int, tuple[int, str, str]] = {}
        grades: dict[int, dict[str, int | None]] = {}
        moderated: dict[int, dict[str, int | None]] = {}
        aid = 0
        for pid in range(8):
            for k in range(2):
                aid += 1
                audits[aid] = (pid, f"R{k}", f"t{rng.randrange(9)}")
                grades[aid] = {c: rng.choice([None, 1, 2, 3, 4]) for c in rng.sample("abcde", rng.randrange(6))}
            if rng.random() < 0.3:
                moderated[pid] = {c: rng.choice([None, 1, 2, 3]) for c in rng.sample("abcdef", 2)}
        data = SampleData([], {}, audits, grades, moderated=moderated)
        finals, sources = compute.final_grades(data, "mean")
        for pid in finals:
            reviews = [grades[a] for _, a in sorted((audits[a][2], a) for a in audits if audits[a][0] == pid)]
            expected: dict[str, int | None] = {}
            for cid in dict.fromkeys([c for g in reviews for c in g] + list(moderated.get(pid, {}))):
                given = [("", g[cid]) for g in reviews if cid in g]
                if cid in moderated.get(pid, {}):
                    expected[cid] = moderated[pid][cid]
                elif len(given) == 1:
                    expected[cid] = given[0][1]
                else:
                    expected[cid] = compute._by_rule(given, "mean", None)
            assert list(finals[pid].items()) == list(expected.items())
            assert list(sources[pid]["criteria"]) == list(expected)
