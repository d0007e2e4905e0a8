"""The rubric's rule for area and overall grades: weighted means, banded."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.rubric.model import Rubric


@dataclass(slots=True)  # not frozen: made once per plan in a summary of thousands, so cheap to build
class DerivedGrades:
    area_means: dict[str, float | None]
    area_grades: dict[str, int | None]
    overall_mean: float | None
    overall_grade: int | None


def band(rubric: Rubric, mean: float | None) -> int | None:
    """The grade whose band holds this mean."""
    if mean is None:
        return None
    for b in rubric.bands:
        if mean >= b.min - 1e-9:
            return b.grade
    return rubric.bands[-1].grade


def derive_grades(rubric: Rubric, grades: dict[str, int | None]) -> DerivedGrades:
    """Area and overall grades from per-criterion grades (None = N/A or not graded).

    The one derivation: an audit's submit, imports and every summary over thousands of plans use it,
    so it walks the rubric's precomputed layout. Means are kept: a summary's area mean is taken over
    them, never over the banded grades.
    """
    area_means: dict[str, float | None] = {}
    area_grades: dict[str, int | None] = {}
    total = weight = 0.0
    for area_id, area_weight, criteria in rubric.layout:
        a_total = a_weight = 0.0
        for cid, w in criteria:
            g = grades.get(cid)
            if g is not None:
                a_total += g * w
                a_weight += w
        if a_weight:
            mean = a_total / a_weight
            area_means[area_id], area_grades[area_id] = mean, band(rubric, mean)
            total += mean * area_weight
            weight += area_weight
        else:
            area_means[area_id] = area_grades[area_id] = None
    overall = total / weight if weight else None
    return DerivedGrades(area_means=area_means, area_grades=area_grades, overall_mean=overall,
                         overall_grade=band(rubric, overall))
