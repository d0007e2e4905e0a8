"""What a pre-check says: a hint about one statement of a plan. Hints point; they never grade."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass

KINDS = (
    "provision-vague",
    "outcome-not-smart",
    "outcome-is-provision",
    "voice-indirect",
    "need-without-provision",
    "copied-text",
)

KIND_TITLES = {
    "provision-vague": "provision not specific",
    "outcome-not-smart": "outcome not SMART",
    "outcome-is-provision": "outcome describes a service",
    "voice-indirect": "child's own words missing",
    "need-without-provision": "need without provision",
    "copied-text": "text copied from another plan",
}


@dataclass(frozen=True)
class Statement:
    """A sentence, bullet or table cell of a section, as printed (wrapped lines joined)."""

    section: str
    text: str
    heading: str = ""  # the sub-heading above it in the section, if any
    bullet: bool = False


@dataclass(frozen=True)
class Hint:
    kind: str
    section: str
    page: int
    quote: str
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The `check --format json` contract: suggestion only when there is one."""
        out = {"kind": self.kind, "section": self.section, "page": self.page, "quote": self.quote, "message": self.message}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        return out
