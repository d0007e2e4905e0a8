"""The rubric's rule for area and overall grades: weighted means, banded."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.rubric.model import Rubric


@dataclass(frozen=True)
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
    """Area and overall grades from per-criterion grades (None = N/A or not graded)."""
    area_means: dict[str, float | None] = {}
    for area in rubric.areas:
        pairs = [(g, c.weight) for c in rubric.criteria_in(area.id) if (g := grades.get(c.id)) is not None]
        total = sum(w for _, w in pairs)
        area_means[area.id] = sum(g * w for g, w in pairs) / total if total else None
    weighted = [(m, rubric.area(a).weight) for a, m in area_means.items() if m is not None]
    total = sum(w for _, w in weighted)
    overall = sum(m * w for m, w in weighted) / total if total else None
    return DerivedGrades(
        area_means=area_means,
        area_grades={a: band(rubric, m) for a, m in area_means.items()},
        overall_mean=overall,
        overall_grade=band(rubric, overall),
    )
