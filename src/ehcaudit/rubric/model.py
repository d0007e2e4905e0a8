"""The shape of a rubric once it has been validated."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from functools import cached_property

from ehcaudit.errors import AuditError


@dataclass(frozen=True)
class ScaleValue:
    value: int
    label: str


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    weight: float = 1.0


@dataclass(frozen=True)
class Criterion:
    id: str
    area: str
    question: str
    sections: tuple[str, ...]
    guidance: str
    descriptors: dict[int, str]
    look_for: tuple[str, ...]
    allow_na: bool
    weight: float = 1.0


@dataclass(frozen=True)
class Band:
    min: float
    grade: int


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    version: str
    scale: tuple[ScaleValue, ...]
    areas: tuple[Area, ...]
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]
    description: str = ""
    source: str = field(default="", repr=False, compare=False)
    sha256: str = ""

    @property
    def scale_values(self) -> tuple[int, ...]:
        return tuple(s.value for s in self.scale)

    def label(self, value: int | None) -> str:
        """The scale label for a grade value ("Good"), or "N/A" for None."""
        if value is None:
            return "N/A"
        for s in self.scale:
            if s.value == value:
                return s.label
        return str(value)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def grade_problem(self, criterion_id: str, grade: int | None) -> str | None:
        """What is wrong with this grade (None = N/A) for the criterion, or None: the one grade rule,
        used by the audit screen, moderation and the scores CSV."""
        if grade is None and not self.criterion(criterion_id).allow_na:
            return f"{criterion_id} cannot be N/A in this rubric"
        if grade is not None and grade not in self.scale_values:
            return f"{grade} is not on this rubric's scale ({', '.join(map(str, self.scale_values))})"
        return None

    def check_grade(self, criterion_id: str, grade: int | None) -> None:
        """Refuse (AuditError, one line) a grade off the scale, or N/A (None) where the criterion does not allow it."""
        problem = self.grade_problem(criterion_id, grade)
        if problem:
            raise AuditError(problem + ("; give it a grade" if grade is None else ""))

    @cached_property
    def layout(self) -> tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...]:
        """(area id, area weight, ((criterion id, weight), ...)) for each area: what derive_grades walks."""
        return tuple((a.id, a.weight, tuple((c.id, c.weight) for c in self.criteria if c.area == a.id)) for a in self.areas)

    def area(self, area_id: str) -> Area:
        for a in self.areas:
            if a.id == area_id:
                return a
        raise KeyError(area_id)

    def criteria_in(self, area_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.area == area_id]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the rubric (what `rubric show --format json` prints)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "sha256": self.sha256,
            "scale": [{"value": s.value, "label": s.label} for s in self.scale],
            "grading": {
                "method": "weighted_mean",
                "bands": [{"min": b.min, "grade": b.grade} for b in self.bands],
            },
            "areas": [{"id": a.id, "title": a.title, "weight": a.weight} for a in self.areas],
            "criteria": [
                {
                    "id": c.id,
                    "area": c.area,
                    "question": c.question,
                    "sections": list(c.sections),
                    "guidance": c.guidance,
                    "descriptors": {str(k): v for k, v in sorted(c.descriptors.items(), reverse=True)},
                    "look_for": list(c.look_for),
                    "allow_na": c.allow_na,
                    "weight": c.weight,
                }
                for c in self.criteria
            ],
        }
