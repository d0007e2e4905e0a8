"""A plan's sections -> hints; a sample of plans -> hints including text copied between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ehcaudit.checks import needs, outcomes, provision
from ehcaudit.checks.model import Hint
from ehcaudit.checks.statements import page_of, statements
from ehcaudit.checks.voice import voice_problem

PROVISION_SECTIONS = ("F", "G", "H1", "H2", "H")
VOICE_SECTIONS = ("A", "A1", "A2")


class SectionLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def page_start(self) -> int: ...
    @property
    def page_end(self) -> int: ...


@dataclass
class PlanHints:
    """One plan's hints; file is what the plan was read from."""

    file: str
    hints: list[Hint] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "hints": [h.to_dict() for h in self.hints]}


def check_sections(sections: Sequence[SectionLike], pages: list[str]) -> list[Hint]:
    """Statement and plan hints for one plan (everything but copying, which needs the sample)."""
    by_code = {s.code: s for s in sections}
    hints: list[Hint] = []

    def page(quote: str, s: SectionLike) -> int:
        return page_of(quote, pages, s.page_start, s.page_end)

    for s in sections:
        if s.code in VOICE_SECTIONS:
            continue
        if s.code in PROVISION_SECTIONS:
            for st in statements(s.code, s.text):
                if not provision.is_provision_statement(st.text):
                    continue
                reading = provision.read_provision(st.text)
                if reading.vague:
                    message, suggestion = provision.describe(reading)
                    hints.append(Hint("provision-vague", s.code, page(st.text, s), st.text, message, suggestion))
        elif s.code == "E":
            for st in statements(s.code, s.text):
                if not outcomes.is_outcome_statement(st.text):
                    continue
                outcome = outcomes.read_outcome(st.text)
                if outcome.kind:
                    message, suggestion = outcomes.describe(outcome, st.text)
                    hints.append(Hint(outcome.kind, s.code, page(st.text, s), st.text, message, suggestion))
    voice_parts = [by_code[c] for c in VOICE_SECTIONS if c in by_code]
    if voice_parts:
        found = voice_problem("\n".join(p.text for p in voice_parts))
        if found:
            quote, message = found
            where = next((p for p in voice_parts if quote.split()[0] in p.text), voice_parts[0])
            hints.append(Hint("voice-indirect", where.code, page(quote, where), quote, message,
                              "Add the child's own words: quotes, their answers to pictures or symbols, or what they told whom."))
    b, f = by_code.get("B"), by_code.get("F")
    if b and f:
        for need in needs.unprovided_needs(b.text, f.text):
            hints.append(Hint("need-without-provision", "B", page(need.quote, b), need.quote,
                              f"B describes needs in {need.area}, but F has no provision for {need.area}.",
                              f"Add provision in F for {need.area}, or say in B why none is needed."))
    return hints


def copy_hints(plans: Sequence[tuple[str, Sequence[SectionLike], list[str]]]) -> list[list[Hint]]:
    """For a sample of (name, sections, pages): per plan, a hint for each paragraph nearly verbatim in another plan."""
    from ehcaudit.checks import copies  # only a sample needs it

    paras = []
    for i, (_name, sections, _pages) in enumerate(plans):
        paras.extend(copies.paragraphs(i, [(s.code, s.text, s.page_start, s.page_end) for s in sections]))
    out: list[list[Hint]] = [[] for _ in plans]
    grouped: dict[tuple[int, str], list[copies.Copy]] = {}
    for c in copies.find_copies(paras, len(plans)):
        grouped.setdefault((c.paragraph.plan, c.paragraph.text), []).append(c)
    for (plan, text), found in grouped.items():
        para = found[0].paragraph
        others = ", ".join(f"{plans[c.other_plan][0]} (section {c.other_section})" for c in found)
        pages = plans[plan][2]
        out[plan].append(Hint("copied-text", para.section, page_of(text, pages, para.page_start, para.page_end), text,
                              f"Nearly the same paragraph is in {others}; check it was written for this child.",
                              "Rewrite it from this child's own advice and information."))
    return out
