"""Is an outcome (E) SMART: a time frame and something a person can see the child do? Or is it a service?"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehcaudit.checks.lexicon import pattern

WILL = re.compile(r"\b(will|shall|to)\s+(?:(?:be\s+)?(?:able|supported|helped|encouraged)\s+to\s+)?(?:continue\s+to\s+)?(?:(?:always|consistently|now|also|then|independently|confidently|successfully|regularly)\s+)?", re.IGNORECASE)
# Where the main clause stops: a purpose or result clause is not the outcome itself.
CLAUSE_END = re.compile(r"\b(so that|in order to|so he|so she|so they|which will|because|to help|to support|to enable|to allow)\b|[;:]", re.IGNORECASE)
LOOKS_LIKE_OUTCOME = re.compile(r"\bwill\b|^\W*(to|i want to|i would like to|i will)\b|^\W*[\w\[\]' ]{1,30}\bto (be able to )?\w+", re.IGNORECASE)


@dataclass
class OutcomeReading:
    service: str | None
    time_frame: bool
    observable: bool

    @property
    def kind(self) -> str | None:
        if self.service:
            return "outcome-is-provision"
        if not (self.time_frame and self.observable):
            return "outcome-not-smart"
        return None


def is_outcome_statement(text: str) -> bool:
    """A line that states an outcome (not a heading or a note about reviewing them)."""
    stripped = text.strip().lower()
    if stripped.endswith(":") or pattern("outcome", "not_outcome").search(stripped):
        return False
    return len(stripped.split()) >= 4 and bool(LOOKS_LIKE_OUTCOME.search(text))


def _predicate(text: str) -> str:
    """The main clause after 'will' (or 'to'): what the child will do."""
    m = WILL.search(text)
    rest = text[m.end():] if m else text
    cut = CLAUSE_END.search(rest)
    return rest[: cut.start()] if cut else rest


def read_outcome(text: str) -> OutcomeReading:
    service = pattern("outcome", "service").search(text)
    time_frame = bool(pattern("outcome", "time_frame").search(text))
    pred = _predicate(text)
    head = " ".join(pred.split()[:4])
    vague = pattern("outcome", "unobservable").search(head)
    measured = pattern("outcome", "measure").search(pred) or pattern("outcome", "measure").search(text)
    # A vague verb is rescued by a measure; any other verb is taken to be something a person could see.
    observable = not vague or bool(measured)
    return OutcomeReading(service=service.group(0) if service else None, time_frame=time_frame, observable=observable)


def describe(r: OutcomeReading, text: str) -> tuple[str, str]:
    if r.service:
        return (
            f"Describes a service or input ('{r.service}'), not what the child will achieve; it belongs in provision.",
            "Say what the child will be able to do because of it, by when (e.g. 'By July, will ... so that ...').",
        )
    missing = []
    if not r.time_frame:
        missing.append("no time frame (by when?)")
    if not r.observable:
        vague = pattern("outcome", "unobservable").search(" ".join(_predicate(text).split()[:4]))
        what = f"'{vague.group(0)}'" if vague else "it"
        missing.append(f"nothing anyone could observe ({what} cannot be seen or counted)")
    return (
        "Outcome not SMART: " + " and ".join(missing) + ".",
        "Say what the child will do that someone can see, and by when (e.g. 'By the end of Year 5, will read ... aloud').",
    )
