"""The sample summary: quality by criterion, area and overall; breakdowns; consistency; reviewers.

Worked out on the sample's grid (summary.grid): every plan's reviews side by side as arrays.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.summary.agreement import MIN_PLANS, agreement_by_columns
from ehcaudit.summary.data import paused_gc
from ehcaudit.summary.grid import ABSENT, NA, Grid, build_grid
from ehcaudit.rounds.actions import reaudits, summarise_actions
from ehcaudit.store.summary_rows import SampleData
from ehcaudit.summary.prechecks import summarise
from ehcaudit.summary.shape import (AreaQuality, Consistency, CriterionQuality, Difference, GradeStats, GradesUsed, GroupRow,
                                    PlanGrades, Quality, ReviewerRow, Summary, TrendRow)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BREAKDOWNS = ("phase", "need", "setting", "team", "reviewer", "cohort")
_FIELD = {"phase": "phase", "need": "primary_need", "setting": "setting", "team": "team", "cohort": "cohort"}
NOT_RECORDED = "not recorded"


def good_threshold(rubric: Rubric) -> int:
    """The lowest grade that counts as 'Good or better'."""
    for s in rubric.scale:
        if s.label.strip().lower() == "good":
            return s.value
    values = sorted(rubric.scale_values)
    return values[len(values) // 2]


def _stats(counts: Mapping[int, int], rubric: Rubric, means: list[float] | None = None) -> GradeStats:
    """n, distribution over the scale, % Good or better and mean, from how many times each grade was given.

    `means`, when given, is what the mean is taken over (an area's criteria means, not its banded grades).
    """
    n = sum(counts.values())
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


class Finals(NamedTuple):
    """Per plan (a grid's row) and criterion (its column): the grade used, where it came from, and each plan's status."""

    grades: NDArray[np.int16]  # grade, NA, or ABSENT where no review or moderation gives one
    source: NDArray[np.int8]  # 0 (none), or SOURCES' index + 1
    status: list[str]  # single review, fully / partly moderated, unmoderated double-scored


SOURCES = (MODERATED, ONLY, BY_RULE)


def final_grades(grid: Grid, rule: str = "mean", lead: str | None = None) -> Finals:
    """Per plan and criterion: the moderated grade, else the only review's, else the rule's; and which was used."""
    import numpy as np

    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}")
    if rule == "lead" and not lead:
        raise EhcauditError("the lead rule needs the lead reviewer's name (--lead NAME)")
    g = grid.grades
    present, graded = g != ABSENT, g >= 0
    given = present.sum(axis=1)
    count = graded.sum(axis=1)
    total = np.where(graded, g, 0).sum(axis=1, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        # The mean rule: halves go down, the more cautious grade when two reviewers are one apart; all N/A is N/A.
        by_rule = np.where(count > 0, np.ceil(total / np.maximum(count, 1) - 0.5), NA).astype(np.int16)
    if rule == "first":
        by_rule = _first(g, present)
    elif rule == "lead" and lead in grid.reviewers:
        theirs = present & (grid.reviewer == grid.reviewers.index(lead))[:, :, None]
        by_rule = np.where(theirs.any(axis=1), _first(g, theirs), by_rule).astype(np.int16)
    only = np.where(present, g, np.iinfo(np.int16).min).max(axis=1, initial=np.iinfo(np.int16).min)
    agreed = grid.moderated != ABSENT
    grades = np.where(agreed, grid.moderated, np.where(given == 1, only, np.where(given >= 2, by_rule, ABSENT))).astype(np.int16)
    source = np.where(agreed, 1, np.where(given == 1, 2, np.where(given >= 2, 3, 0))).astype(np.int8)
    moderated, ruled = (source == 1).any(axis=1), (source == 3).any(axis=1)
    status = np.where((grid.reviews == 1) & ~moderated, 0, np.where(moderated & ~ruled, 1, np.where(moderated, 2, 3)))
    names = ("single review", "fully moderated", "partly moderated", "unmoderated double-scored")
    return Finals(grades, source, [names[i] for i in status.tolist()])


def _first(g: NDArray[np.int16], chosen: NDArray[np.bool_]) -> NDArray[np.int16]:
    """Per plan and column, the grade of the first review (by submission) where `chosen` holds."""
    import numpy as np

    return np.take_along_axis(g, chosen.argmax(axis=1)[:, None, :], axis=1)[:, 0, :]


class Derived(NamedTuple):
    """The rubric's area and overall grades and means for rows of grades (rubric.grading.derive_grades, as arrays)."""

    area_grades: NDArray[np.int16]  # (rows, areas in rubric order): banded, ABSENT where nothing is graded
    area_means: NDArray[np.float64]  # NaN where nothing is graded
    overall_grade: NDArray[np.int16]
    overall_mean: NDArray[np.float64]

    def take(self, rows: NDArray[np.int64]) -> Derived:
        return Derived(self.area_grades[rows], self.area_means[rows], self.overall_grade[rows], self.overall_mean[rows])


def derive(rubric: Rubric, columns: list[str], grades: NDArray[np.int16]) -> Derived:
    """derive_grades for every row at once, adding in the same order, so the same figures to the last bit."""
    import numpy as np

    index = {cid: i for i, cid in enumerate(columns)}
    rows = len(grades)
    total, weight = np.zeros(rows), np.zeros(rows)
    area_means = np.full((rows, len(rubric.areas)), np.nan)
    area_of = {a.id: i for i, a in enumerate(rubric.areas)}
    for area_id, area_weight, criteria in rubric.layout:
        a_total, a_weight = np.zeros(rows), np.zeros(rows)
        for cid, w in criteria:
            g = grades[:, index[cid]]
            ok = g >= 0
            a_total = a_total + np.where(ok, g * w, 0.0)
            a_weight = a_weight + np.where(ok, w, 0.0)
        has = a_weight != 0
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(has, a_total / np.where(has, a_weight, 1.0), np.nan)
        area_means[:, area_of[area_id]] = mean
        total = total + np.where(has, mean * area_weight, 0.0)
        weight = weight + np.where(has, area_weight, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        overall = np.where(weight != 0, total / np.where(weight != 0, weight, 1.0), np.nan)
    return Derived(_band(rubric, area_means), area_means, _band(rubric, overall), overall)


def _band(rubric: Rubric, means: NDArray[np.float64]) -> NDArray[np.int16]:
    """rubric.grading.band over an array: the first band whose minimum the mean reaches, else the last; NaN is ABSENT."""
    import numpy as np

    banded = np.full(means.shape, rubric.bands[-1].grade, dtype=np.int16)
    for b in reversed(rubric.bands):
        banded[means >= b.min - 1e-9] = b.grade
    banded[np.isnan(means)] = ABSENT
    return banded


def _counts(values: NDArray[np.int16]) -> dict[int, int]:
    import numpy as np

    return {v: int(c) for v, c in enumerate(np.bincount(values[values >= 0].astype(np.int64)).tolist()) if c}


def _quality(rubric: Rubric, grades: NDArray[np.int16], derived: Derived) -> Quality:
    """Quality per criterion, area and overall for rows of grades (columns in rubric order first) and their derived grades."""
    criteria: list[CriterionQuality] = [
        {"id": c.id, "area": c.area, "question": c.question, "not_applicable": int((grades[:, j] == NA).sum()),
         **_stats(_counts(grades[:, j]), rubric)}
        for j, c in enumerate(rubric.criteria)
    ]
    # Weakest first: lowest share Good or better, then lowest mean.
    criteria.sort(key=lambda r: (r["good_or_better_pct"] if r["good_or_better_pct"] is not None else 101, r["mean"] or 0, r["id"]))
    # An area's distribution is of banded grades; its mean is of the plans' unbanded criteria means (a plan has both or neither).
    areas: list[AreaQuality] = [
        {"id": a.id, "title": a.title, **_stats(_counts(derived.area_grades[:, i]), rubric, _means(derived.area_means[:, i]))}
        for i, a in enumerate(rubric.areas)
    ]
    overall = _stats(_counts(derived.overall_grade), rubric, _means(derived.overall_mean))
    return {"overall": overall, "areas": areas, "criteria": criteria}


def _means(values: NDArray[np.float64]) -> list[float]:
    import numpy as np

    means: list[float] = values[~np.isnan(values)].tolist()  # a list: Python's sum, in plan order, as always
    return means


def _consistency(rubric: Rubric, grid: Grid) -> Consistency:
    criteria = list(range(len(rubric.criteria)))  # the rubric's criteria are the grid's first columns
    areas = [[i for i, c in enumerate(rubric.criteria) if c.area == a.id] for a in rubric.areas]
    overall, *rest = agreement_by_columns(grid.grades, [criteria, *areas, *([i] for i in criteria)])
    by_area, by_criterion = rest[:len(areas)], rest[len(areas):]
    return {
        "plans_scored_by_two_or_more": overall.plans,
        "minimum_plans_for_a_reading": MIN_PLANS,
        "overall": overall.to_dict(),
        "areas": [{"id": a.id, "title": a.title, **found.to_dict()} for a, found in zip(rubric.areas, by_area)],
        "criteria": [{"id": c.id, "area": c.area, **found.to_dict()} for c, found in zip(rubric.criteria, by_criterion)],
    }


def _difference(n: int, total: float) -> Difference:
    return {"n": n, "mean_difference": round(total / n, 2) if n else None}


def _reviewers(grid: Grid) -> list[ReviewerRow]:
    """Per reviewer: audits, grades given and their mean, and how far they sit from the moderated grade and from the
    other reviewers' mean on the same plan and criterion (N/A has no size to be generous with)."""
    import numpy as np

    count = len(grid.reviewers)
    g = grid.grades.astype(np.float64)
    graded = grid.grades >= 0
    who = np.broadcast_to(grid.reviewer[:, :, None], grid.grades.shape)

    def per_reviewer(weights: NDArray[np.float64] | None = None, where: NDArray[np.bool_] | None = None) -> list[float]:
        """Per reviewer, how many of their grades (where `where` holds), or the sum of `weights` over them."""
        chosen = graded if where is None else graded & where
        found: list[float] = np.bincount(who[chosen], weights=None if weights is None else weights[chosen], minlength=count).tolist()
        return found

    n_grades = [int(n) for n in per_reviewer()]
    totals = per_reviewer(g)
    agreed = (grid.moderated >= 0)[:, None, :]
    vs_moderated = per_reviewer(None, agreed), per_reviewer(g - grid.moderated[:, None, :], agreed)
    in_unit = graded.sum(axis=1, keepdims=True)
    unit_total = np.where(graded, g, 0.0).sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        # The others' mean is everyone's total less this reviewer's grade, over the others.
        from_others = g - (unit_total - g) / (in_unit - 1)
    others = np.broadcast_to(in_unit > 1, grid.grades.shape)
    vs_others = per_reviewer(None, others), per_reviewer(from_others, others)
    audits = np.bincount(grid.audit_reviewer, minlength=count).tolist()
    return [{
        "reviewer": name,
        "audits": audits[i],
        "grades": n_grades[i],
        "mean_grade": round(totals[i] / n_grades[i], 2) if n_grades[i] else None,
        "vs_moderated": _difference(int(vs_moderated[0][i]), vs_moderated[1][i]),
        "vs_other_reviewers": _difference(int(vs_others[0][i]), vs_others[1][i]),
    } for i, name in enumerate(grid.reviewers)]


def _groups(by: str, data: SampleData, grid: Grid) -> dict[str, list[int]]:
    """Group name -> rows of the grid (plans), by a plan's metadata, or the plans each reviewer reviewed."""
    groups: dict[str, list[int]] = defaultdict(list)
    row = {pid: i for i, pid in enumerate(grid.plan_ids)}
    if by == "reviewer":
        seen = set()
        for pid, reviewer, _at in data.audits.values():
            if (reviewer, pid) not in seen:
                seen.add((reviewer, pid))
                groups[reviewer].append(row[pid])
    else:
        for pid, i in row.items():
            groups[data.plans[pid].get(_FIELD[by]) or NOT_RECORDED].append(i)
    return dict(sorted(groups.items()))


def _own_rows(grid: Grid, name: str) -> list[int]:
    """A reviewer's own reviews (rows of grid.audit_grades), one per plan (their last), in plan order."""
    who = grid.reviewers.index(name)
    own: dict[int, int] = {}
    for i, (plan, reviewer) in enumerate(zip(grid.audit_plan.tolist(), grid.audit_reviewer.tolist())):
        if reviewer == who:
            own[plan] = i
    return [own[p] for p in sorted(own)]


def build_summary(rubric: Rubric, data: SampleData, by: list[str] | None = None, cohorts: list[str] | None = None,
                  rule: str = "mean", lead: str | None = None) -> Summary:
    """Everything a manager's report needs, in one JSON-ready dict with a stable shape.

    `rule` (and `lead`) say which grade a double-scored plan's criterion gets until it is moderated.
    """
    with paused_gc():
        return _build_summary(rubric, data, by, cohorts, rule, lead)


def _build_summary(rubric: Rubric, data: SampleData, by: list[str] | None, cohorts: list[str] | None,
                   rule: str, lead: str | None) -> Summary:
    import numpy as np

    grid = build_grid(data, [c.id for c in rubric.criteria])
    finals = final_grades(grid, rule, lead)
    derived = derive(rubric, grid.columns, finals.grades)

    def quality_of(rows: list[int]) -> Quality:
        chosen = np.array(rows, dtype=np.int64)
        return _quality(rubric, finals.grades[chosen], derived.take(chosen))

    breakdowns = {}
    for field_name in by or []:
        rows: list[GroupRow] = []
        for name, members in _groups(field_name, data, grid).items():
            if field_name == "reviewer":
                # A reviewer's own grades, not the final ones.
                own = grid.audit_grades[np.array(_own_rows(grid, name), dtype=np.int64)]
                q = _quality(rubric, own, derive(rubric, grid.columns, own))
            else:
                q = quality_of(members)
            rows.append({"group": name, "plans": len(members), "overall": q["overall"], "areas": {a["id"]: a for a in q["areas"]}})
        breakdowns[field_name] = rows
    trend: list[TrendRow] = []
    for cohort, members in _groups("cohort", data, grid).items():
        q = quality_of(members)
        trend.append({"cohort": cohort, "plans": len(members), "overall": q["overall"], "areas": {a["id"]: a for a in q["areas"]}})
    rule_text = RULES[rule] + (f": {lead}" if rule == "lead" else "")
    used = np.bincount(finals.source.ravel().astype(np.int64), minlength=len(SOURCES) + 1).tolist()
    grades_used: GradesUsed = {
        "rule": rule,
        "lead": lead,
        "rule_text": rule_text,
        "criteria": {k: used[i + 1] for i, k in enumerate(SOURCES)},
        "plans": _plan_sources(data, grid, finals),
    }
    everyone = list(range(len(grid.plan_ids)))
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title},
        "scale": [{"value": s.value, "label": s.label} for s in rubric.scale],
        "good_or_better_from": good_threshold(rubric),
        "cohorts": cohorts or sorted({data.plans[p]["cohort"] or NOT_RECORDED for p in grid.plan_ids}),
        "plans": len(grid.plan_ids),
        "audits": len(data.audits),
        "held_back": {"audits": len(data.held_back.audits), "sessions": sorted(data.held_back.sessions)},
        "grade_sources": dict(sorted(Counter(finals.status).items())),
        "grades_used": grades_used,
        "quality": quality_of(everyone),
        "breakdowns": breakdowns,
        "trend": trend,
        "consistency": _consistency(rubric, grid),
        "reviewers": _reviewers(grid),
        "actions": summarise_actions(data.actions, rubric, reaudits(data.plan_versions, rubric)),
        "prechecks": data.prechecks or summarise({}, 0),
    }


def _plan_sources(data: SampleData, grid: Grid, finals: Finals) -> list[PlanGrades]:
    """Per plan: its label, reviews, status and where each criterion's grade came from (criteria in rubric order)."""
    made: dict[bytes, dict[str, str]] = {}  # most plans share one pattern of sources: each is made once
    out: list[PlanGrades] = []
    for i, pid in enumerate(grid.plan_ids):
        row = finals.source[i]
        key = row.tobytes()
        criteria = made.get(key)
        if criteria is None:
            criteria = made[key] = {grid.columns[j]: SOURCES[s - 1] for j, s in enumerate(row.tolist()) if s}
        out.append({"plan": data.plans[pid]["label"], "reviews": int(grid.reviews[i]), "status": finals.status[i],
                    "criteria": dict(criteria)})
    return out
