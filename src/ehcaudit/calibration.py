"""How a calibration group's grades compare with the reference, per criterion and per trainee."""

from __future__ import annotations

from ehcaudit.rubric import Rubric
from ehcaudit.store.audits import Audit
from ehcaudit.summary.agreement import alpha_reading, krippendorff_alpha


def closeness(grade: int | None, reference: int | None) -> str:
    """exact, adjacent, 2+ apart, or n/a when either is N/A or missing."""
    if grade is None or reference is None:
        return "n/a"
    gap = abs(grade - reference)
    return "exact" if gap == 0 else "adjacent" if gap == 1 else "2+ apart"


def compare(rubric: Rubric, reference: Audit, trainees: list[Audit]) -> dict:
    """Per criterion and per trainee figures, plus alpha across the group (JSON-ready)."""
    criteria = []
    for c in rubric.criteria:
        ref = reference.judgement(c.id)
        grades = {t.reviewer: t.judgement(c.id).grade for t in trainees}
        values = [g for g in grades.values() if g is not None]
        criteria.append({
            "id": c.id,
            "question": c.question,
            "reference": ref.grade,
            "reference_na": ref.not_applicable,
            "rationale": ref.note,
            "grades": grades,
            "closeness": {name: closeness(g, ref.grade) for name, g in grades.items()},
            "spread": (max(values) - min(values)) if values else None,
        })
    # Units are criteria, coders are the trainees: how alike the group graded.
    group_units = [[t.judgement(c.id).grade for t in trainees if t.judgement(c.id).grade is not None] for c in rubric.criteria]
    with_reference = [u + ([reference.judgement(c.id).grade] if reference.judgement(c.id).grade is not None else [])
                      for u, c in zip(group_units, rubric.criteria)]
    alpha = krippendorff_alpha(group_units, "ordinal") if len(trainees) >= 2 else None
    alpha_ref = krippendorff_alpha(with_reference, "ordinal") if trainees else None
    people = []
    for t in trainees:
        pairs = [(t.judgement(c.id).grade, reference.judgement(c.id).grade) for c in rubric.criteria]
        pairs = [(g, r) for g, r in pairs if g is not None and r is not None]
        n = len(pairs)
        people.append({
            "trainee": t.reviewer,
            "audit_id": t.id,
            "criteria_compared": n,
            "exact_pct": round(100 * sum(g == r for g, r in pairs) / n, 1) if n else None,
            "adjacent_pct": round(100 * sum(abs(g - r) <= 1 for g, r in pairs) / n, 1) if n else None,
            "mean_difference": round(sum(g - r for g, r in pairs) / n, 2) if n else None,
            "two_or_more_apart": [row["id"] for row in criteria if row["closeness"][t.reviewer] == "2+ apart"],
        })
    return {
        "trainees": len(trainees),
        "alpha_ordinal_group": None if alpha is None else round(alpha, 3),
        "alpha_reading": alpha_reading(alpha),
        "alpha_ordinal_with_reference": None if alpha_ref is None else round(alpha_ref, 3),
        "criteria": criteria,
        "people": people,
    }
