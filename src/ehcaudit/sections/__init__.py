"""Finding a plan's sections (A-K) in page text, whatever the template."""

from ehcaudit.sections.find import FoundSections, Section, find_sections

__all__ = ["FoundSections", "Section", "find_sections"]
