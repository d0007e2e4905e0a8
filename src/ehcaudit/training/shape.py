"""The shape of a calibration session's figures (scoring.compare) and of the pack handed out
(session_pack.build_pack): TypedDicts, so the shape is checked while the JSON stays a plain dict."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from ehcaudit.summary.shape import AlphaReading, ScaleEntry

Answer = int | str | None  # a grade, "N/A", or None when not graded


class CriterionFigures(TypedDict):
    id: str
    question: str
    reference: int | None
    reference_na: bool
    rationale: str
    grades: dict[str, Answer]  # trainee -> answer
    closeness: dict[str, str]  # trainee -> exact / adjacent / 2+ apart / N/A against a grade / n/a
    spread: int | None
    na_against_grade: bool
    extract: NotRequired[list[str]]  # added by build_pack: the reference's quotes or the plan's text
    sections: NotRequired[list[str]]  # added by build_pack


class TraineeFigures(TypedDict):
    trainee: str
    audit_id: int
    criteria_compared: int
    exact_pct: float | None
    adjacent_pct: float | None
    mean_difference: float | None
    two_or_more_apart: list[str]
    na_against_grade: list[str]


class Figures(TypedDict):
    """scoring.compare: per criterion and per trainee, and alpha across the group."""
    trainees: int
    alpha_ordinal_group: float | None
    alpha_reading: str
    alpha_ordinal_with_reference: float | None
    group_alpha: AlphaReading
    with_reference_alpha: AlphaReading
    alpha_note: str
    criteria: list[CriterionFigures]
    people: list[TraineeFigures]


class SessionRef(TypedDict):
    id: int
    name: str
    plan: str
    trainer: str
    reference_audit: int
    reference_reviewer: str


class Pack(Figures):
    """build_pack: everything a trainer hands out."""
    session: SessionRef
    scale: list[ScaleEntry]
