"""Drawing a round's sample and sharing it out: the steps the CLI and the app both take."""

from __future__ import annotations

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound
from ehcaudit.rounds.assignment import AssignError, share_out
from ehcaudit.rounds.dates import parse_due
from ehcaudit.rounds.sampling import DEFAULT_DOUBLE, Candidate, Sample, draw_sample
from ehcaudit.rubric import Rubric
from ehcaudit.store import plans as plan_store
from ehcaudit.store.audits import register_rubric
from ehcaudit.store import rounds as round_store


def candidates(db: Database, cohort: str | None) -> list[Candidate]:
    """The plans a sample is drawn from: a cohort's plans (or all) that have a PDF to audit."""
    if cohort:
        known = round_store.cohorts(db)
        if cohort not in known:
            raise NotFound(f"no cohort '{cohort}'; cohorts are: {', '.join(known) or 'none (import with --cohort)'}")
    return [Candidate(p.id, p.label, p.metadata) for p in plan_store.list_plans(db, cohort=cohort) if p.has_pdf]


def draw_round(db: Database, *, size: int, cohort: str | None = None, stratify: list[str] | None = None,
               double_share: float = DEFAULT_DOUBLE, seed: int | None = None, rubric_id: str = "ehcp-quality",
               name: str | None = None, actor: str = "QA lead", rubric: Rubric | None = None,
               ) -> tuple[round_store.RoundRow, Sample]:
    """Draw a sample and record it as a new round (seed included).

    Given the rubric itself, its text is stored too, so reviewers open a round on a rubric file of the
    council's own with the exact text the round was drawn for.
    """
    if rubric is not None:
        register_rubric(db, rubric)
        rubric_id = rubric.id
    what = f"cohort '{cohort}'" if cohort else "the imported plans"
    sample = draw_sample(candidates(db, cohort), size, stratify or [], double_share, seed, what)
    if name is None:
        name = round_store.unique_round_name(db, f"{cohort or 'all plans'}: sample of {size}")
    strata = {s.key: {"population": s.population, "quota": round(s.quota, 3), "sampled": s.sampled} for s in sample.strata}
    round_id = round_store.create_round(
        db, name=name, cohort=cohort, rubric_id=rubric_id, size=size, stratify=sample.stratify,
        double_share=double_share, seed=sample.seed, actor=actor,
        plans=[(pid, stratum, pid in sample.double) for pid, stratum in sample.chosen],
        detail={"population": sample.population, "strata": strata},
    )
    return round_store.get_round(db, round_id), sample


def assign_round(db: Database, round_ref: str | int | None, reviewers: list[str], due: str,
                 actor: str = "QA lead", replace: bool = False) -> list[tuple[int, int, str]]:
    """Share the round's plans among reviewers with a due date (not in the past); returns the assignments."""
    rnd = round_store.get_round(db, round_ref)
    due_date = parse_due(due, "round's due date")
    if not replace and round_store.assignments(db, rnd.id, rnd.rubric_id):
        raise AssignError(f"round '{rnd.name}' is already assigned; add --replace to share it out again "
                          "(audits already started are kept)")
    plans = [(p.plan_id, p.double) for p in round_store.round_plans(db, rnd.id)]
    shared = share_out(plans, reviewers, seed=rnd.seed)
    round_store.set_assignments(db, rnd.id, shared, due_date.isoformat(), actor)
    return shared


def move_review(db: Database, round_ref: str | int | None, plan_ref: str, from_reviewer: str,
                to_reviewer: str, actor: str = "QA lead") -> None:
    """Give one reviewer's review of a plan to another (who is not already reviewing it)."""
    rnd = round_store.get_round(db, round_ref)
    plan = plan_store.get_plan(db, plan_ref)
    current = [a for a in round_store.assignments(db, rnd.id, rnd.rubric_id) if a.plan_id == plan.id]
    if not current:
        raise NotFound(f"plan '{plan.label}' is not in round '{rnd.name}'")
    names = [a.reviewer for a in current]
    if from_reviewer not in names:
        raise NotFound(f"unknown reviewer '{from_reviewer}' for plan '{plan.label}' (its reviewers: {', '.join(names)})")
    if to_reviewer in names:
        raise AssignError(f"{to_reviewer} already reviews '{plan.label}'; the two reviews of a plan go to different people")
    round_store.move_assignment(db, rnd.id, plan.id, from_reviewer, to_reviewer, actor)
