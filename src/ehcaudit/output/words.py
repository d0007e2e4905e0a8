"""Numbers in words people read: "1 plan", "3 plans" (no terminal, no HTML)."""

from __future__ import annotations

_IRREGULAR = {"criterion": "criteria", "is": "are", "was": "were", "step/s": "steps/s", "reply": "replies"}


def plural(n: float, one: str, many: str | None = None) -> str:
    """n with the word in the right number: plural(1, "plan") == "1 plan"."""
    word = one if n == 1 else (many or _IRREGULAR.get(one) or one + "s")
    return f"{n:g} {word}" if isinstance(n, float) else f"{n} {word}"
