"""The sample summary: quality by criterion, area and overall; breakdowns; consistency; reviewers."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import repeat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import TypeVar

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.rubric.grading import derive_grades
from ehcaudit.summary.agreement import MIN_PLANS, Agreement, agreement_by_criteria
from ehcaudit.summary.data import paused_gc
from ehcaudit.rounds.actions import reaudits, summarise_actions
from ehcaudit.store.summary_rows import SampleData
from ehcaudit.summary.prechecks import summarise
from ehcaudit.summary.shape import (AreaQuality, Consistency, CriterionQuality, Difference, GradeStats, GradesUsed, GroupRow, PlanSources,
                                    Quality, ReviewerRow, Summary, TrendRow)

BREAKDOWNS = ("phase", "need", "setting", "team", "reviewer", "cohort")
_FIELD = {"phase": "phase", "need": "primary_need", "setting": "setting", "team": "team", "cohort": "cohort"}
NOT_RECORDED = "not recorded"
T = TypeVar("T")

# A plan's (area grades, overall grade, area means, overall mean).
Derived = tuple[dict[str, int | None], int | None, dict[str, float | None], float | None]


def good_threshold(rubric: Rubric) -> int:
    """The lowest grade that counts as 'Good or better'."""
    for s in rubric.scale:
        if s.label.strip().lower() == "good":
            return s.value
    values = sorted(rubric.scale_values)
    return values[len(values) // 2]


def grade_stats(grades: list[int], rubric: Rubric, means: list[float] | None = None) -> GradeStats:
    """n, distribution over the scale, % Good or better and mean.

    `means`, when given, is what the mean is taken over (an area's criteria means, not its banded grades).
    """
    n = len(grades)
    counts = Counter(grades)
    good = good_threshold(rubric)
    if means is None:
        mean = sum(v * c for v, c in counts.items()) / n if n else None
    else:
        mean = sum(means) / len(means) if means else None
    return {
        "n": n,
        "distribution": {str(v): counts.get(v, 0) for v in rubric.scale_values},
        "good_or_better_pct": round(100.0 * sum(c for v, c in counts.items() if v >= good) / n, 1) if n else None,
        "mean": round(mean, 2) if mean is not None else None,
    }


# How a criterion of a double-scored plan is graded when nobody has moderated it.
RULES = {
    "mean": "the mean of the reviews' grades (halves rounded down)",
    "first": "the first submitted review",
    "lead": "the lead reviewer's grade (the mean of the reviews where the lead did not review the plan)",
}
MODERATED, ONLY, BY_RULE = "moderated", "only review", "by the rule"


def _rounded_mean(values: list[int]) -> int:
    # Halves go down: the more cautious grade when two reviewers are one apart.
    return math.ceil(sum(values) / len(values) - 0.5)


def final_grades(data: SampleData, rule: str = "mean", lead: str | None = None
                 ) -> tuple[dict[int, dict[str, int | None]], dict[int, PlanSources]]:
    """Per plan and criterion: the moderated grade, else the only review's, else the rule's; and which was used.

    Returns (grades, sources): sources[plan] = {"status": ..., "reviews": n, "criteria": {criterion: source}}.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}")
    if rule == "lead" and not lead:
        raise EhcauditError("the lead rule needs the lead reviewer's name (--lead NAME)")
    by_plan: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for aid, (pid, _reviewer, at) in data.audits.items():
        by_plan[pid].append((at, aid))
    finals: dict[int, dict[str, int | None]] = {}
    sources: dict[int, PlanSources] = {}
    means: dict[tuple[int | None, int | None], int | None] = {}  # the mean rule's grade for two reviews' grades
    for pid, audits in by_plan.items():
        audits.sort()
        reviews = [(data.audits[aid][1], data.grades.get(aid, {})) for _, aid in audits]
        moderated = data.moderated.get(pid, {})
        grades: dict[str, int | None] = {}
        used: dict[str, str] = {}
        if len(reviews) == 2 and rule == "mean":
            _two_by_mean(reviews[0][1], reviews[1][1], moderated, grades, used, means)
        else:
            for cid in dict.fromkeys([c for _, g in reviews for c in g] + list(moderated)):
                given = [(who, g[cid]) for who, g in reviews if cid in g]
                if cid in moderated:
                    grades[cid], used[cid] = moderated[cid], MODERATED
                elif len(given) == 1:
                    grades[cid], used[cid] = given[0][1], ONLY
                else:
                    grades[cid], used[cid] = _by_rule(given, rule, lead), BY_RULE
        finals[pid] = grades
        kinds = set(used.values())
        if len(reviews) == 1 and MODERATED not in kinds:
            status = "single review"
        elif kinds == {MODERATED} or (MODERATED in kinds and BY_RULE not in kinds):
            status = "fully moderated"
        elif MODERATED in kinds:
            status = "partly moderated"
        else:
            status = "unmoderated double-scored"
        sources[pid] = {"status": status, "reviews": len(reviews), "criteria": used}
    return finals, sources


def _two_by_mean(first: dict[str, int | None], second: dict[str, int | None], moderated: dict[str, int | None],
                 grades: dict[str, int | None], used: dict[str, str], means: dict[tuple[int | None, int | None], int | None]) -> None:
    """final_grades' loop for a plan with two reviews under the mean rule (most plans of a big sample), same order and figures."""
    for cid in dict.fromkeys([*first, *second, *moderated]):
        if cid in moderated:
            grades[cid], used[cid] = moderated[cid], MODERATED
        elif cid in first and cid in second:
            key = (first[cid], second[cid])
            if key in means:
                grade = means[key]
            else:
                grade = means[key] = _by_rule([("", key[0]), ("", key[1])], "mean", None)
            grades[cid], used[cid] = grade, BY_RULE
        else:
            grades[cid], used[cid] = first[cid] if cid in first else second[cid], ONLY


def _by_rule(given: list[tuple[str, int | None]], rule: str, lead: str | None) -> int | None:
    if rule == "first":
        return given[0][1]
    if rule == "lead":
        for who, g in given:
            if who == lead:
                return g
    graded = [g for _, g in given if g is not None]
    return _rounded_mean(graded) if graded else None  # every reviewer said N/A: N/A


def _plan_derived(rubric: Rubric, grades: dict[str, int | None]) -> Derived:
    """(area grades, overall grade, area means, overall mean): the rubric's rule, rubric.grading.derive_grades."""
    d = derive_grades(rubric, grades)
    return d.area_grades, d.overall_grade, d.area_means, d.overall_mean


def _present(values: Iterable[T | None]) -> list[T]:
    return [v for v in values if v is not None]


def _quality(rubric: Rubric, plan_ids: list[int], finals: dict[int, dict[str, int | None]], derived: dict[int, Derived]) -> Quality:
    by_criterion: dict[str, list[int]] = {c.id: [] for c in rubric.criteria}
    na: Counter[str] = Counter()
    for p in plan_ids:
        for cid, g in finals[p].items():
            if g is None:
                na[cid] += 1
            elif cid in by_criterion:
                by_criterion[cid].append(g)
    criteria: list[CriterionQuality] = [
        {"id": c.id, "area": c.area, "question": c.question, "not_applicable": na[c.id], **grade_stats(by_criterion[c.id], rubric)}
        for c in rubric.criteria
    ]
    # Weakest first: lowest share Good or better, then lowest mean.
    criteria.sort(key=lambda r: (r["good_or_better_pct"] if r["good_or_better_pct"] is not None else 101, r["mean"] or 0, r["id"]))
    areas: list[AreaQuality] = []
    for a in rubric.areas:
        # The distribution is of banded grades; the mean is of the plans' unbanded criteria means
        # (a plan has both or neither).
        areas.append({"id": a.id, "title": a.title,
                      **grade_stats(_present(derived[p][0][a.id] for p in plan_ids), rubric,
                                    _present(derived[p][2][a.id] for p in plan_ids))})
    overall = grade_stats(_present(derived[p][1] for p in plan_ids), rubric, _present(derived[p][3] for p in plan_ids))
    return {"overall": overall, "areas": areas, "criteria": criteria}


_grade = itemgetter(1)  # of a unit's (reviewer, grade)


def _consistency(rubric: Rubric, data: SampleData) -> Consistency:
    area_of = {c.id: c.area for c in rubric.criteria}
    # criterion -> its units [(plan, values)] scored by two or more (None = N/A), in the sample's order
    units: dict[str, list[tuple[int, tuple[int | None, ...]]]] = defaultdict(list)
    for (pid, cid), entries in data.units.items():
        if len(entries) >= 2 and cid in area_of:
            units[cid].append((pid, tuple(map(_grade, entries))))

    def combined(cids: list[str]) -> Agreement:
        return agreement_by_criteria([units.get(cid, []) for cid in cids])

    overall = combined(list(area_of))
    return {
        "plans_scored_by_two_or_more": overall.plans,
        "minimum_plans_for_a_reading": MIN_PLANS,
        "overall": overall.to_dict(),
        "areas": [{"id": a.id, "title": a.title, **combined([c.id for c in rubric.criteria_in(a.id)]).to_dict()}
                  for a in rubric.areas],
        "criteria": [{"id": c.id, "area": c.area, **combined([c.id]).to_dict()} for c in rubric.criteria],
    }


@dataclass
class _Difference:
    """A running mean of how far one reviewer's grades sit from someone else's."""

    n: int = 0
    total: float = 0.0

    def add(self, difference: float) -> None:
        self.n += 1
        self.total += difference

    def to_dict(self) -> Difference:
        return {"n": self.n, "mean_difference": round(self.total / self.n, 2) if self.n else None}


@dataclass
class _ReviewerTotals:
    grades: int = 0
    grade_total: int = 0
    vs_moderated: _Difference = field(default_factory=_Difference)
    vs_others: _Difference = field(default_factory=_Difference)


def _reviewers(data: SampleData) -> list[ReviewerRow]:
    audits_by: dict[str, int] = defaultdict(int)
    for _pid, reviewer, _at in data.audits.values():
        audits_by[reviewer] += 1
    acc: dict[str, _ReviewerTotals] = defaultdict(_ReviewerTotals)
    if not _reviewer_totals_by_pattern(data, acc):
        acc.clear()
        _reviewer_totals_by_unit(data, acc)
    out: list[ReviewerRow] = []
    for reviewer in sorted(audits_by):
        a = acc[reviewer]
        out.append({
            "reviewer": reviewer,
            "audits": audits_by[reviewer],
            "grades": a.grades,
            "mean_grade": round(a.grade_total / a.grades, 2) if a.grades else None,
            "vs_moderated": a.vs_moderated.to_dict(),
            "vs_other_reviewers": a.vs_others.to_dict(),
        })
    return out


def _reviewer_totals_by_pattern(data: SampleData, acc: dict[str, _ReviewerTotals]) -> bool:
    """_reviewer_totals_by_unit once per distinct (moderated grade, unit entries), times how often it occurs.

    Only where every difference is a whole number (integer grades, at most two graded per unit), so the float
    totals are exact whatever the order and the figures identical; else False (acc then needs clearing)."""
    entries_of = map(tuple, data.units.values())
    if data.moderated:
        moderations = data.moderated
        patterns = Counter(zip((moderations.get(pid, {}).get(cid) for pid, cid in data.units), entries_of))
    else:
        patterns = Counter(zip(repeat(None), entries_of))
    for (moderated, entries), times in patterns.items():
        graded = [(r, g) for r, g in entries if g is not None]
        if len(graded) > 2 or not all(type(g) is int for _, g in graded) or (moderated is not None and type(moderated) is not int):
            return False
        count = len(graded)
        unit_total = sum(g for _, g in graded)
        for reviewer, g in graded:
            a = acc[reviewer]
            a.grades += times
            a.grade_total += g * times
            if moderated is not None:
                a.vs_moderated.n += times
                a.vs_moderated.total += (g - moderated) * times
            if count > 1:
                a.vs_others.n += times
                a.vs_others.total += (g - (unit_total - g)) * times
    return True


def _reviewer_totals_by_unit(data: SampleData, acc: dict[str, _ReviewerTotals]) -> None:
    for (pid, cid), entries in data.units.items():
        moderated = data.moderated.get(pid, {}).get(cid) if data.moderated else None
        graded = [(r, g) for r, g in entries if g is not None]  # N/A has no size to be generous with
        count = len(graded)
        unit_total = sum(g for _, g in graded)
        for reviewer, g in graded:
            a = acc[reviewer]
            a.grades += 1
            a.grade_total += g
            if moderated is not None:
                a.vs_moderated.add(g - moderated)
            if count > 1:
                # The others' mean is everyone's total less this reviewer's grade.
                a.vs_others.add(g - (unit_total - g) / (count - 1))


def _groups(by: str, data: SampleData, plan_ids: list[int]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    if by == "reviewer":
        wanted, seen = set(plan_ids), set()
        for _aid, (pid, reviewer, _at) in data.audits.items():
            if pid in wanted and (reviewer, pid) not in seen:
                seen.add((reviewer, pid))
                groups[reviewer].append(pid)
    else:
        for pid in plan_ids:
            groups[data.plans[pid].get(_FIELD[by]) or NOT_RECORDED].append(pid)
    return dict(sorted(groups.items()))


def build_summary(rubric: Rubric, data: SampleData, by: list[str] | None = None, cohorts: list[str] | None = None,
                  rule: str = "mean", lead: str | None = None) -> Summary:
    """Everything a manager's report needs, in one JSON-ready dict with a stable shape.

    `rule` (and `lead`) say which grade a double-scored plan's criterion gets until it is moderated.
    """
    with paused_gc():
        return _build_summary(rubric, data, by, cohorts, rule, lead)


def _build_summary(rubric: Rubric, data: SampleData, by: list[str] | None, cohorts: list[str] | None,
                   rule: str, lead: str | None) -> Summary:
    finals, sources = final_grades(data, rule, lead)
    plan_ids = sorted(finals)
    derived = {p: _plan_derived(rubric, finals[p]) for p in plan_ids}
    breakdowns = {}
    for field_name in by or []:
        groups = _groups(field_name, data, plan_ids)
        rows: list[GroupRow] = []
        for name, pids in groups.items():
            if field_name == "reviewer":
                # A reviewer's own grades, not the final ones.
                own: dict[int, dict[str, int | None]] = {}
                for aid, (pid, reviewer, _at) in data.audits.items():
                    if reviewer == name:
                        own[pid] = data.grades.get(aid, {})
                own_derived = {p: _plan_derived(rubric, g) for p, g in own.items()}
                q = _quality(rubric, sorted(own), own, own_derived)
            else:
                q = _quality(rubric, pids, finals, derived)
            rows.append({"group": name, "plans": len(pids), "overall": q["overall"],
                         "areas": {a["id"]: a for a in q["areas"]}})
        breakdowns[field_name] = rows
    trend: list[TrendRow] = []
    for cohort, pids in _groups("cohort", data, plan_ids).items():
        q = _quality(rubric, pids, finals, derived)
        trend.append({"cohort": cohort, "plans": len(pids), "overall": q["overall"], "areas": {a["id"]: a for a in q["areas"]}})
    source_counts: Counter[str] = Counter(src["status"] for src in sources.values())
    criteria_counts: Counter[str] = Counter(k for src in sources.values() for k in src["criteria"].values())
    rule_text = RULES[rule] + (f": {lead}" if rule == "lead" else "")
    grades_used: GradesUsed = {
        "rule": rule,
        "lead": lead,
        "rule_text": rule_text,
        "criteria": {k: criteria_counts.get(k, 0) for k in (MODERATED, ONLY, BY_RULE)},
        "plans": [{"plan": data.plans[p]["label"], "reviews": sources[p]["reviews"], "status": sources[p]["status"],
                   "criteria": sources[p]["criteria"]} for p in plan_ids],
    }
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title},
        "scale": [{"value": s.value, "label": s.label} for s in rubric.scale],
        "good_or_better_from": good_threshold(rubric),
        "cohorts": cohorts or sorted({data.plans[p]["cohort"] or NOT_RECORDED for p in plan_ids}),
        "plans": len(plan_ids),
        "audits": len(data.audits),
        "grade_sources": dict(sorted(source_counts.items())),
        "grades_used": grades_used,
        "quality": _quality(rubric, plan_ids, finals, derived),
        "breakdowns": breakdowns,
        "trend": trend,
        "consistency": _consistency(rubric, data),
        "reviewers": _reviewers(data),
        "actions": summarise_actions(data.actions, rubric, reaudits(data.plan_versions, rubric)),
        "prechecks": data.prechecks or summarise({}, 0),
    }
