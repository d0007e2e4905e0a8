"""Rubrics: the questions a plan is scored against, loaded from TOML."""

from ehcaudit.rubric.grading import DerivedGrades, derive_grades
from ehcaudit.rubric.load import (
    check_rubric_file,
    load_rubric,
    load_rubric_text,
    resolve_rubric,
)
from ehcaudit.rubric.model import Area, Criterion, Rubric, ScaleValue

__all__ = [
    "Area",
    "Criterion",
    "Rubric",
    "ScaleValue",
    "check_rubric_file",
    "load_rubric",
    "load_rubric_text",
    "resolve_rubric",
    "derive_grades",
    "DerivedGrades",
]
