"""Due dates: what a user may type, and what 'today' is (the store's clock, so tests can fix it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from ehcaudit.errors import EhcauditError
from ehcaudit.store import now


class DateError(EhcauditError):
    """A date a user typed that is not a date, or not allowed here."""


_RELATIVE = re.compile(r"^\+(\d{1,4})\s*([dw])$", re.IGNORECASE)
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


_as_of: date | None = None


def today() -> date:
    """Today's date by the store's clock (or the day a report is run as of)."""
    return _as_of or datetime.fromisoformat(now()).date()


@contextmanager
def as_of(day: date | None) -> Iterator[None]:
    """Judge what is overdue as on another day (`--as-of`, e.g. the date of a board meeting)."""
    global _as_of
    previous, _as_of = _as_of, day
    try:
        yield
    finally:
        _as_of = previous


def parse_date(text: str, what: str = "date") -> date:
    """YYYY-MM-DD, DD/MM/YYYY, 'today', or +N d / +N w from today."""
    value = (text or "").strip()
    if not value:
        raise DateError(f"give the {what}: YYYY-MM-DD (e.g. 2026-12-15), DD/MM/YYYY or +14d")
    if value.lower() == "today":
        return today()
    m = _RELATIVE.match(value)
    if m:
        n = int(m.group(1))
        return today() + timedelta(days=n * (7 if m.group(2).lower() == "w" else 1))
    try:
        m = _UK.match(value)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(value)
    except ValueError:
        raise DateError(f"'{value}' is not a date; give the {what} as YYYY-MM-DD (e.g. 2026-12-15), DD/MM/YYYY or +14d") from None


def parse_due(text: str, what: str = "due date") -> date:
    """A due date, which may not be in the past."""
    due = parse_date(text, what)
    if due < today():
        raise DateError(f"the {what} {due.isoformat()} is in the past (today is {today().isoformat()}); give a later date")
    return due


def is_overdue(due: str | None, done: bool = False) -> bool:
    """Not done and the due date has passed (the due day itself is not overdue)."""
    return bool(due) and not done and date.fromisoformat(due) < today()  # type: ignore[arg-type]
