"""The sample summary: quality by criterion, area and overall; breakdowns; consistency; reviewers."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from ehcaudit.rubric import Rubric
from ehcaudit.rubric.grading import band
from ehcaudit.summary.agreement import Agreement, agreement_from_patterns
from ehcaudit.rounds.actions import reaudits, summarise_actions
from ehcaudit.summary.data import SampleData
from ehcaudit.summary.prechecks import summarise

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


def grade_stats(grades: list[int], rubric: Rubric) -> dict:
    """n, distribution over the scale, % Good or better and mean."""
    n = len(grades)
    counts = Counter(grades)
    good = good_threshold(rubric)
    return {
        "n": n,
        "distribution": {str(v): counts.get(v, 0) for v in rubric.scale_values},
        "good_or_better_pct": round(100.0 * sum(c for v, c in counts.items() if v >= good) / n, 1) if n else None,
        "mean": round(sum(v * c for v, c in counts.items()) / n, 2) if n else None,
    }


def final_grades(data: SampleData) -> tuple[dict[int, dict[str, int | None]], dict[int, str]]:
    """Per plan: the moderated grade where there is one, else the (first) submitted review; and which."""
    by_plan: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for aid, (pid, _reviewer, at) in data.audits.items():
        by_plan[pid].append((at, aid))
    finals: dict[int, dict[str, int | None]] = {}
    sources: dict[int, str] = {}
    for pid, audits in by_plan.items():
        audits.sort()
        base = dict(data.grades.get(audits[0][1], {}))
        moderated = data.moderated.get(pid, {})
        base.update(moderated)
        finals[pid] = base
        if moderated:
            sources[pid] = "moderated"
        elif len(audits) == 1:
            sources[pid] = "single review"
        else:
            sources[pid] = "first review, awaiting moderation"
    return finals, sources


def _plan_derived(rubric: Rubric, grades: dict[str, int | None], layout=None) -> tuple[dict[str, int | None], int | None]:
    # The rubric's rule (weighted means, banded), inlined for speed over thousands of plans.
    layout = layout or _layout(rubric)
    area_grades = {}
    total = weight = 0.0
    for area_id, area_weight, criteria in layout:
        a_total = a_weight = 0.0
        for cid, w in criteria:
            g = grades.get(cid)
            if g is not None:
                a_total += g * w
                a_weight += w
        if a_weight:
            mean = a_total / a_weight
            area_grades[area_id] = band(rubric, mean)
            total += mean * area_weight
            weight += area_weight
        else:
            area_grades[area_id] = None
    return area_grades, band(rubric, total / weight) if weight else None


def _layout(rubric: Rubric) -> list[tuple[str, float, list[tuple[str, float]]]]:
    return [(a.id, a.weight, [(c.id, c.weight) for c in rubric.criteria_in(a.id)]) for a in rubric.areas]


def _quality(rubric: Rubric, plan_ids: list[int], finals: dict, derived: dict) -> dict:
    by_criterion: dict[str, list[int]] = {c.id: [] for c in rubric.criteria}
    na: Counter = Counter()
    for p in plan_ids:
        for cid, g in finals[p].items():
            if g is None:
                na[cid] += 1
            elif cid in by_criterion:
                by_criterion[cid].append(g)
    criteria = [
        {"id": c.id, "area": c.area, "question": c.question, "not_applicable": na[c.id], **grade_stats(by_criterion[c.id], rubric)}
        for c in rubric.criteria
    ]
    # Weakest first: lowest share Good or better, then lowest mean.
    criteria.sort(key=lambda r: (r["good_or_better_pct"] if r["good_or_better_pct"] is not None else 101, r["mean"] or 0, r["id"]))
    areas = []
    for a in rubric.areas:
        grades = [derived[p][0][a.id] for p in plan_ids if derived[p][0][a.id] is not None]
        areas.append({"id": a.id, "title": a.title, **grade_stats(grades, rubric)})
    overall = grade_stats([derived[p][1] for p in plan_ids if derived[p][1] is not None], rubric)
    return {"overall": overall, "areas": areas, "criteria": criteria}


def _consistency(rubric: Rubric, data: SampleData) -> dict:
    units = data.units
    area_of = {c.id: c.area for c in rubric.criteria}
    patterns: dict[str, Counter] = defaultdict(Counter)
    plans: dict[str, set] = defaultdict(set)
    for (pid, cid), entries in units.items():
        if len(entries) >= 2 and cid in area_of:
            patterns[cid][tuple(sorted(g for _, g in entries))] += 1
            plans[cid].add(pid)

    def combined(cids: list[str]) -> Agreement:
        total: Counter = Counter()
        who: set = set()
        for cid in cids:
            total.update(patterns.get(cid, Counter()))
            who |= plans.get(cid, set())
        return agreement_from_patterns(total, len(who))

    overall = combined(list(area_of))
    return {
        "plans_scored_by_two_or_more": overall.plans,
        "overall": overall.to_dict(),
        "areas": [{"id": a.id, "title": a.title, **combined([c.id for c in rubric.criteria_in(a.id)]).to_dict()}
                  for a in rubric.areas],
        "criteria": [{"id": c.id, "area": c.area, **combined([c.id]).to_dict()} for c in rubric.criteria],
    }


def _reviewers(data: SampleData) -> list[dict]:
    audits_by: dict[str, int] = defaultdict(int)
    for _pid, reviewer, _at in data.audits.values():
        audits_by[reviewer] += 1
    # per reviewer: [grades, sum, n vs moderated, sum of differences, n vs others, sum of differences]
    acc: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0.0])
    for (pid, cid), entries in data.units.items():
        moderated = data.moderated.get(pid, {}).get(cid) if data.moderated else None
        count = len(entries)
        total = sum(g for _, g in entries)
        for reviewer, g in entries:
            a = acc[reviewer]
            a[0] += 1
            a[1] += g
            if moderated is not None:
                a[2] += 1
                a[3] += g - moderated
            if count > 1:
                # The others' mean is everyone's total less this reviewer's grade.
                a[4] += 1
                a[5] += g - (total - g) / (count - 1)
    out = []
    for reviewer in sorted(audits_by):
        n, total, mod_n, mod_total, oth_n, oth_total = acc[reviewer]
        out.append({
            "reviewer": reviewer,
            "audits": audits_by[reviewer],
            "grades": n,
            "mean_grade": round(total / n, 2) if n else None,
            "vs_moderated": {"n": mod_n, "mean_difference": round(mod_total / mod_n, 2) if mod_n else None},
            "vs_other_reviewers": {"n": oth_n, "mean_difference": round(oth_total / oth_n, 2) if oth_n else None},
        })
    return out


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


def build_summary(rubric: Rubric, data: SampleData, by: list[str] | None = None, cohorts: list[str] | None = None) -> dict:
    """Everything a manager's report needs, in one JSON-ready dict with a stable shape."""
    finals, sources = final_grades(data)
    plan_ids = sorted(finals)
    layout = _layout(rubric)
    derived = {p: _plan_derived(rubric, finals[p], layout) for p in plan_ids}
    breakdowns = {}
    for field_name in by or []:
        groups = _groups(field_name, data, plan_ids)
        rows = []
        for name, pids in groups.items():
            if field_name == "reviewer":
                # A reviewer's own grades, not the final ones.
                own = {}
                for aid, (pid, reviewer, _at) in data.audits.items():
                    if reviewer == name:
                        own[pid] = data.grades.get(aid, {})
                own_derived = {p: _plan_derived(rubric, g, layout) for p, g in own.items()}
                q = _quality(rubric, sorted(own), own, own_derived)
            else:
                q = _quality(rubric, pids, finals, derived)
            rows.append({"group": name, "plans": len(pids), "overall": q["overall"],
                         "areas": {a["id"]: a for a in q["areas"]}})
        breakdowns[field_name] = rows
    trend = []
    for cohort, pids in _groups("cohort", data, plan_ids).items():
        q = _quality(rubric, pids, finals, derived)
        trend.append({"cohort": cohort, "plans": len(pids), "overall": q["overall"], "areas": {a["id"]: a for a in q["areas"]}})
    source_counts = defaultdict(int)
    for s in sources.values():
        source_counts[s] += 1
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title},
        "scale": [{"value": s.value, "label": s.label} for s in rubric.scale],
        "good_or_better_from": good_threshold(rubric),
        "cohorts": cohorts or sorted({data.plans[p]["cohort"] or NOT_RECORDED for p in plan_ids}),
        "plans": len(plan_ids),
        "audits": len(data.audits),
        "grade_sources": dict(sorted(source_counts.items())),
        "quality": _quality(rubric, plan_ids, finals, derived),
        "breakdowns": breakdowns,
        "trend": trend,
        "consistency": _consistency(rubric, data),
        "reviewers": _reviewers(data),
        "actions": summarise_actions(data.actions, rubric, reaudits(data.plan_versions, rubric)),
        "prechecks": data.prechecks or summarise({}, 0),
    }
