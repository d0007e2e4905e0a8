"""The shape of the summary build_summary returns: the JSON a manager's report, the board paper, the
summary screen and `ehcaudit summary --format json` all read. TypedDicts, so the shape is checked
while it stays a plain dict (and its JSON stays as it was)."""

from __future__ import annotations

from typing import Any, TypedDict


class GradeStats(TypedDict):
    n: int
    distribution: dict[str, int]  # scale value (as text) -> how many
    good_or_better_pct: float | None
    mean: float | None


class CriterionQuality(GradeStats):
    id: str
    area: str
    question: str
    not_applicable: int


class AreaQuality(GradeStats):
    id: str
    title: str


class Quality(TypedDict):
    overall: GradeStats
    areas: list[AreaQuality]
    criteria: list[CriterionQuality]


class GroupRow(TypedDict):
    """One group of a breakdown (a phase, a team, a reviewer...)."""
    group: str
    plans: int
    overall: GradeStats
    areas: dict[str, AreaQuality]


class TrendRow(TypedDict):
    cohort: str
    plans: int
    overall: GradeStats
    areas: dict[str, AreaQuality]


class AlphaReading(TypedDict):
    """Alpha.to_dict(): Krippendorff's alpha with its interval, n and reading."""
    alpha: float | None
    ci95: list[float | None] | None
    n_values: int
    units: int
    resampled: int
    reading: str


class AgreementReading(TypedDict):
    """Agreement.to_dict(): how far two reviewers of one plan agree."""
    plans: int
    units: int
    pairs: int
    exact_pct: float | None
    adjacent_pct: float | None
    na_against_grade_pairs: int
    alpha_ordinal: float | None
    alpha_ci95: list[float | None] | None
    alpha_n_values: int
    alpha_plans: int
    reading: str


class AreaAgreement(AgreementReading):
    id: str
    title: str


class CriterionAgreement(AgreementReading):
    id: str
    area: str


class Consistency(TypedDict):
    plans_scored_by_two_or_more: int
    minimum_plans_for_a_reading: int
    overall: AgreementReading
    areas: list[AreaAgreement]
    criteria: list[CriterionAgreement]


class Difference(TypedDict):
    n: int
    mean_difference: float | None


class ReviewerRow(TypedDict):
    reviewer: str
    audits: int
    grades: int
    mean_grade: float | None
    vs_moderated: Difference
    vs_other_reviewers: Difference


class PlanSources(TypedDict):
    """Where one plan's final grades came from (final_grades)."""
    status: str  # single review, fully / partly moderated, unmoderated double-scored
    reviews: int
    criteria: dict[str, str]  # criterion -> moderated / only review / by the rule


class PlanGrades(PlanSources):
    plan: str  # the plan's label


class GradesUsed(TypedDict):
    rule: str
    lead: str | None
    rule_text: str
    criteria: dict[str, int]  # source -> how many criteria grades came from it
    plans: list[PlanGrades]


class RubricRef(TypedDict):
    id: str
    version: str
    title: str


class ScaleEntry(TypedDict):
    value: int
    label: str


class HeldBack(TypedDict):
    """Reviews of the sample left out because a calibration session using them as its reference is still blind."""
    audits: int
    sessions: list[int]  # the blind sessions' ids


class Summary(TypedDict):
    """Everything a manager's report needs (build_summary)."""
    generated_at: str
    rubric: RubricRef
    scale: list[ScaleEntry]
    good_or_better_from: int
    cohorts: list[str]
    plans: int
    audits: int
    held_back: HeldBack
    grade_sources: dict[str, int]
    grades_used: GradesUsed
    quality: Quality
    breakdowns: dict[str, list[GroupRow]]
    trend: list[TrendRow]
    consistency: Consistency
    reviewers: list[ReviewerRow]
    actions: dict[str, Any]  # rounds.actions.summarise_actions
    prechecks: dict[str, Any]  # summary.prechecks.summarise
