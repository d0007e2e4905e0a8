"""How a calibration group's grades compare with the reference, per criterion and per trainee.

N/A is an answer: N/A against N/A agrees, N/A against a grade is a disagreement.
Krippendorff's alpha leaves N/A out as a missing value.
"""

from __future__ import annotations

from collections import Counter

from ehcaudit.rubric import Rubric
from ehcaudit.audit.model import Audit, Judgement
from ehcaudit.summary.agreement import Alpha, Patterns, alpha_with_interval
from ehcaudit.summary.shape import AlphaReading
from ehcaudit.training.shape import Answer, CriterionFigures, Figures, TraineeFigures

NA = "N/A"
NA_AGAINST_GRADE = "N/A against a grade"
MIN_CRITERIA = 5  # criteria graded by two or more: fewer, and alpha gets no verdict


def _value(j: Judgement) -> Answer:
    """A grade, "N/A", or None when not graded at all."""
    return NA if j.not_applicable else j.grade


def closeness(grade: Answer, reference: Answer) -> str:
    """exact, adjacent, 2+ apart, N/A against a grade, or n/a when either is missing."""
    if grade is None or reference is None:
        return "n/a"
    if grade == NA or reference == NA:
        return "exact" if grade == reference else NA_AGAINST_GRADE
    gap = abs(grade - reference)  # type: ignore[operator]
    return "exact" if gap == 0 else "adjacent" if gap == 1 else "2+ apart"


def alpha_text(a: AlphaReading) -> str:
    """'0.712 (95% interval 0.52 to 0.85, n = 60): tentative', or why there is none."""
    if a["alpha"] is None:
        return a["reading"]
    ci = a["ci95"]
    if ci is None:
        return f"{a['alpha']} (n = {a['n_values']} values): {a['reading']}"
    return f"{a['alpha']} (95% interval {ci[0]} to {ci[1]}, n = {a['n_values']} values): {a['reading']}"


def _group_alpha(units: list[list[int]]) -> Alpha:
    # Units are the criteria of one plan; each is resampled as a whole.
    clusters: list[Patterns] = [Counter({tuple(sorted(u)): 1}) for u in units if len(u) >= 2]
    return alpha_with_interval(clusters, "ordinal", minimum=MIN_CRITERIA,
                               too_few=f"too few criteria graded by two or more (fewer than {MIN_CRITERIA})")


def compare(rubric: Rubric, reference: Audit, trainees: list[Audit]) -> Figures:
    """Per criterion and per trainee figures, plus alpha across the group (JSON-ready)."""
    criteria: list[CriterionFigures] = []
    for c in rubric.criteria:
        ref = reference.judgement(c.id)
        grades = {t.reviewer: _value(t.judgement(c.id)) for t in trainees}
        values = [g for g in grades.values() if isinstance(g, int)]
        answers = {g for g in grades.values() if g is not None}
        criteria.append({
            "id": c.id,
            "question": c.question,
            "reference": ref.grade,
            "reference_na": ref.not_applicable,
            "rationale": ref.note,
            "grades": grades,
            "closeness": {name: closeness(g, _value(ref)) for name, g in grades.items()},
            "spread": (max(values) - min(values)) if values else None,
            # Some said N/A and others gave a grade: a disagreement the spread cannot show.
            "na_against_grade": NA in answers and len(answers) > 1,
        })
    # Units are criteria, coders are the trainees: how alike the group graded (N/A left out).
    group_units = [[g for t in trainees if (g := t.judgement(c.id).grade) is not None] for c in rubric.criteria]
    with_reference = [u + [g for g in [reference.judgement(c.id).grade] if g is not None]
                      for u, c in zip(group_units, rubric.criteria)]
    group = _group_alpha(group_units) if len(trainees) >= 2 else Alpha(None, reading="fewer than two trainees have submitted")
    with_ref = _group_alpha(with_reference) if trainees else Alpha(None, reading="no trainee has submitted")
    people: list[TraineeFigures] = []
    for t in trainees:
        answers_pairs = [(_value(t.judgement(c.id)), _value(reference.judgement(c.id))) for c in rubric.criteria]
        pairs = [(g, r) for g, r in answers_pairs if g is not None and r is not None]
        numeric = [(g, r) for g, r in pairs if isinstance(g, int) and isinstance(r, int)]
        n = len(pairs)
        kinds = [closeness(g, r) for g, r in pairs]
        people.append({
            "trainee": t.reviewer,
            "audit_id": t.id,
            "criteria_compared": n,
            "exact_pct": round(100 * kinds.count("exact") / n, 1) if n else None,
            "adjacent_pct": round(100 * sum(k in ("exact", "adjacent") for k in kinds) / n, 1) if n else None,
            "mean_difference": round(sum(g - r for g, r in numeric) / len(numeric), 2) if numeric else None,
            "two_or_more_apart": [row["id"] for row in criteria if row["closeness"][t.reviewer] == "2+ apart"],
            "na_against_grade": [row["id"] for row in criteria if row["closeness"][t.reviewer] == NA_AGAINST_GRADE],
        })
    return {
        "trainees": len(trainees),
        "alpha_ordinal_group": None if group.value is None else round(group.value, 3),
        "alpha_reading": group.reading,
        "alpha_ordinal_with_reference": None if with_ref.value is None else round(with_ref.value, 3),
        "group_alpha": group.to_dict(),
        "with_reference_alpha": with_ref.to_dict(),
        "alpha_note": "N/A against a grade counts as a disagreement; Krippendorff's alpha leaves N/A out as missing.",
        "criteria": criteria,
        "people": people,
    }
