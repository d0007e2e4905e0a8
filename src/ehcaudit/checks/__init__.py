"""Pre-checks: hints that point a reviewer at weak wording (vague provision, outcomes that are not SMART,
a missing voice, needs without provision, text copied between plans). Hints never grade."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ehcaudit.checks.model import KIND_TITLES, KINDS, Hint
    from ehcaudit.checks.run import PlanHints, check_sections, copy_hints

__all__ = ["KINDS", "KIND_TITLES", "Hint", "PlanHints", "check_sections", "copy_hints"]

_HOME = {"KINDS": "model", "KIND_TITLES": "model", "Hint": "model",
         "PlanHints": "run", "check_sections": "run", "copy_hints": "run"}


def __getattr__(name: str) -> Any:
    # The checks (their word lists and patterns) load when first used: not for `ehcaudit --help`,
    # whose `check` command lives in checks/cli.py, nor for the plan list.
    if name in _HOME:
        from importlib import import_module

        return getattr(import_module(f"ehcaudit.checks.{_HOME[name]}"), name)
    raise AttributeError(name)
