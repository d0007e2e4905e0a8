"""An audit, its judgement per criterion and the evidence quoted from the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ehcaudit.rubric import Rubric


@dataclass
class Judgement:
    criterion_id: str
    grade: int | None = None
    not_applicable: bool = False
    note: str = ""

    @property
    def done(self) -> bool:
        return self.grade is not None or self.not_applicable


@dataclass
class Evidence:
    id: int
    criterion_id: str
    section_code: str | None
    page_number: int | None
    quote: str


@dataclass
class Audit:
    id: int
    plan_id: int
    reviewer: str
    rubric_sha256: str
    kind: str
    status: str
    current_criterion: str | None
    judgements: dict[str, Judgement] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    submitted_at: str | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    def judgement(self, criterion_id: str) -> Judgement:
        return self.judgements.get(criterion_id) or Judgement(criterion_id)

    def evidence_for(self, criterion_id: str) -> list[Evidence]:
        return [e for e in self.evidence if e.criterion_id == criterion_id]

    def done_count(self, rubric: Rubric) -> int:
        return sum(1 for c in rubric.criteria if self.judgement(c.id).done)

    def grades(self) -> dict[str, int | None]:
        return {cid: j.grade for cid, j in self.judgements.items()}
