"""A found section of a plan, as stored and shown: light to import (the app's start needs it, not the finder)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    code: str
    heading: str
    score: int  # confidence 0-100 that this is the section's heading (see `why`)
    page_start: int
    page_end: int
    text: str
    why: str = ""

    @property
    def states_none(self) -> bool:
        """The section says plainly there is nothing ("None identified.", "N/A")."""
        from ehcaudit.sections.clean import states_none

        lines = [ln for ln in self.text.splitlines() if ln.strip()]
        return bool(lines) and len(lines) <= 3 and any(states_none(ln) for ln in lines) and len(self.text.split()) <= 30

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "heading": self.heading,
            "score": self.score,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "text": self.text,
            "why": self.why,
            "states_none": self.states_none,
        }
