"""Finding a plan's sections (A-K) in page text, whatever the template."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehcaudit.sections.model import Section

if TYPE_CHECKING:
    from ehcaudit.sections.find import FoundSections, find_sections

__all__ = ["FoundSections", "Section", "find_sections"]


def __getattr__(name: str) -> Any:
    # The finder (and pypdf behind it) is imported when first used, not when the app starts.
    if name in ("FoundSections", "find_sections"):
        from ehcaudit.sections import find

        return getattr(find, name)
    raise AttributeError(name)
