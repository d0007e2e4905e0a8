"""Pre-checks: hints that point a reviewer at weak wording (vague provision, outcomes that are not SMART,
a missing voice, needs without provision, text copied between plans). Hints never grade."""

from ehcaudit.checks.model import KIND_TITLES, KINDS, Hint
from ehcaudit.checks.run import PlanHints, check_sections, copy_hints

__all__ = ["KINDS", "KIND_TITLES", "Hint", "PlanHints", "check_sections", "copy_hints"]
