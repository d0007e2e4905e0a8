"""A double-scored plan with four reviewers, each with notes and evidence: what the moderation screen is for."""

from ehcaudit.store import audits as A
from ehcaudit.store.plans import get_plan, plan_sections

NOTES = {
    "Demo reviewer": "Section A is written in the first person throughout, but the parents' views are mixed in "
                     "with the child's own words, so it is not always clear who is speaking.",
    "A. N. Other": "Parents' views have their own heading; the child's voice is quoted. Clear.",
}


def add_reviewers(db, rubric, label="plan-01", reviewers=("Demo reviewer", "A. N. Other"), notes=None) -> int:
    """Submit fictional audits of `label` by `reviewers`, grading V2 apart from the demo's two; the plan's id.
    `notes` ({criterion: note}) adds the same note by each of them on other criteria."""
    plan = get_plan(db, label)
    sections = plan_sections(db, plan.id)
    for k, who in enumerate(reviewers):
        audit = A.open_audit(db, plan.id, who, rubric)
        for c in rubric.criteria:
            A.set_grade(db, audit.id, rubric, c.id, 1 + (k + len(c.id) + ord(c.id[-1])) % 4 if c.id == "V2" else 3, who)
        A.set_note(db, audit.id, "V2", NOTES.get(who, f"{who}'s note on V2."), who)
        for cid, note in (notes or {}).items():
            A.set_note(db, audit.id, cid, note, who)
        first = sections.get("A")
        if first and first.text.strip():
            A.add_evidence(db, audit.id, "V2", first.text.strip().splitlines()[0], "A", first.page_start, who)
        A.submit(db, audit.id, rubric, who)
    return plan.id
