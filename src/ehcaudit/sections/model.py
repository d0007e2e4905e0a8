"""A found section of a plan, as stored and shown: light to import (the app's start needs it, not the finder)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# What a plan says when a section has nothing in it: body text, however often it repeats.
STATES_NONE = re.compile(
    r"^\s*(?:none(?:\s+(?:identified|known|at\s+(?:this|the\s+present)\s+time|required|assessed|reported))?"
    r"|n\s*/\s*a|not\s+(?:applicable|known(?:\s+to\s+social\s+care)?|required|relevant)"
    r"|no\s+(?:\w+\s+){0,4}(?:needs?|provision|concerns?|budget|advice)(?:\s+(?:\w+\s+){0,3}\w+)?"
    r"|nil(?:\s+return)?|there\s+(?:are|is)\s+no\b.*)\s*[.!]?\s*$",
    re.I,
)


def states_none(text: str) -> bool:
    """Whether a line says plainly there is nothing ("None identified.", "N/A", "No health needs")."""
    return bool(STATES_NONE.match(text)) and len(text.split()) <= 12


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
