"""What a reviewer is warned of about a plan as it is read: each warning made with its kind, never guessed later."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WarningKind(StrEnum):
    """What a warning is about (the `kind` column of plan_warnings)."""

    REDACTION = "redaction"  # personal data that looks unredacted
    MISSING = "missing"  # a section (or every section) was not found
    EMPTY = "empty"  # a section's heading with no text under it
    MERGED = "merged"  # one heading covers several sections
    CHECK = "check"  # the sections found look doubtful: check them before grading
    OTHER = "other"  # anything else


@dataclass(frozen=True)
class PlanWarning:
    kind: WarningKind
    message: str

    def __str__(self) -> str:
        return self.message


# A plan with any of these says "check sections" where it is listed: its sections need a look before grading.
NEEDS_A_LOOK = (WarningKind.MISSING, WarningKind.CHECK)
