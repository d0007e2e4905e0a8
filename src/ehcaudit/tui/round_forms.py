"""The forms a QA lead fills in for a round: draw a sample, share it out; the rubric and feedback of an assigned plan."""

from __future__ import annotations

from ehcaudit.errors import EhcauditError
from ehcaudit.output.words import plural
from ehcaudit.rounds.assignment import parse_reviewers
from ehcaudit.rounds.round import assign_round, draw_round
from ehcaudit.rounds.sampling import STRATA_FIELDS, SampleError, parse_stratify
from ehcaudit.rubric.load import bundled_rubrics
from ehcaudit.store import rounds as round_store
from ehcaudit.tui.form_modal import Field, FormModal


def _int(text: str, what: str, blank: int | None = None) -> int | None:
    if not text and blank is not None:
        return blank
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise SampleError(f"{what} must be a whole number (got '{text}')") from None


def _share(text: str) -> float:
    raw = text.strip().rstrip("%") or "20"
    try:
        value = float(raw)
    except ValueError:
        raise SampleError(f"the double-review share must be a number such as 20% or 0.2 (got '{text}')") from None
    return value / 100 if text.strip().endswith("%") or value > 1 else value


def sample_modal(db, actor: str, rubric_id: str) -> FormModal:
    """Draw a sample as a new round; dismisses with the new round's id."""
    cohorts = list(reversed(round_store.cohorts(db)))
    rubrics = sorted(bundled_rubrics())

    def submit(v: dict[str, str]) -> int:
        from ehcaudit.rubric import resolve_rubric

        size = _int(v["size"], "the sample size")
        if size is None:
            raise SampleError("how many plans? give the sample size")
        seed = _int(v["seed"], "the seed")
        rnd, _ = draw_round(db, size=size, cohort=v["cohort"] or None, stratify=parse_stratify(v["stratify"]),
                            double_share=_share(v["double"]), seed=seed,
                            rubric=resolve_rubric(v["rubric"] or None), name=v["name"] or None, actor=actor)
        return rnd.id

    fields = [
        Field("cohort", "Cohort", cohorts[0] if cohorts else "", options=[("All plans", "")] + [(c, c) for c in cohorts],
              allow_blank=False),
        Field("size", "Plans to sample", "", placeholder="e.g. 12"),
        Field("stratify", "Stratify by", "", placeholder="any of " + ", ".join(STRATA_FIELDS) + "; blank: none"),
        Field("double", "Double review", "20%", placeholder="share scored twice, e.g. 25%"),
        Field("seed", "Seed", "", placeholder="blank: a fresh random seed (recorded)"),
        Field("rubric", "Rubric", rubric_id if rubric_id in rubrics else "", options=[(r, r) for r in rubrics]),
        Field("name", "Audit round name", "", placeholder="blank: from the cohort and size"),
    ]
    return FormModal("Draw a sample for a new audit round", fields, submit)


def assign_modal(db, round_id: int, actor: str) -> FormModal:
    """Share a round among reviewers with a due date; dismisses with the number of reviews assigned."""
    rnd = round_store.get_round(db, round_id)
    current = round_store.assignments(db, rnd.id, rnd.rubric_id)
    names = ", ".join(sorted({a.reviewer for a in current}))

    def submit(v: dict[str, str]) -> int:
        from ehcaudit.rounds.assignment import AssignError

        reviewers = parse_reviewers(v["reviewers"])
        if not reviewers:
            raise AssignError("name the reviewers, separated by commas")
        return len(assign_round(db, rnd.id, reviewers, v["due"], actor, replace=bool(current)))

    intro = (f"Audit round {rnd.id} '{rnd.name}': {plural(rnd.size, 'plan')}. Reviews are balanced by count; the two reviews of a "
             "double-scored plan go to different people.")
    if current:
        intro += " It is already assigned: saving shares it out again (audits already started are kept)."
    return FormModal("Assign the audit round", [
        Field("reviewers", "Reviewers", names, placeholder="names, separated by commas"),
        Field("due", "Due date", rnd.due or "+14d", placeholder="YYYY-MM-DD, DD/MM/YYYY or +14d"),
    ], submit, intro=intro)


def rubric_for(db, plan_id: int, reviewer: str, default):
    """The rubric of the round that assigned this plan to this reviewer (a round may use the annual-review rubric)."""
    from ehcaudit.errors import RubricError
    from ehcaudit.rubric import load_rubric_text, resolve_rubric

    assigned = round_store.open_assignments_for(db, reviewer).get(plan_id)
    if not assigned or assigned[2] == default.id:
        return default
    source = round_store.stored_rubric_source(db, assigned[2])
    if source is not None:
        return load_rubric_text(source, f"rubric {assigned[2]}")
    try:
        return resolve_rubric(assigned[2])
    except RubricError:
        raise RubricError(f"this plan's round uses rubric '{assigned[2]}', which is not in this database or bundled") from None


def export_feedback(screen, db, audit) -> None:
    """Ask where to save the feedback for the plan writer (HTML or Markdown by suffix), from a submitted audit."""
    from pathlib import Path

    from ehcaudit.output.files import write_private
    from ehcaudit.rounds.feedback import (
        build_feedback,
        default_file_name,
        render_feedback,
    )
    from ehcaudit.tui.modals import ask_and_write

    if not audit.submitted:
        screen.notify("submit the audit first (S): feedback is written from a submitted audit", severity="error")
        return
    try:
        report = build_feedback(db, audit.id)
    except EhcauditError as exc:
        screen.notify(str(exc), severity="error")
        return

    def write(path: Path) -> None:
        write_private(path, render_feedback(report, "md" if path.suffix.lower() in (".md", ".markdown") else "html"))

    ask_and_write(screen, "Save feedback for the plan writer as", "file name (.html prints to A4; .md)", write,
                  what="feedback for the plan writer", value=default_file_name(report, "html"))
