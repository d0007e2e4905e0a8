"""Words people read: "1 plan", "3 plans", and text cut at a word's end (no terminal, no HTML)."""

from __future__ import annotations

_IRREGULAR = {"criterion": "criteria", "is": "are", "was": "were", "step/s": "steps/s", "reply": "replies"}


def plural(n: float, one: str, many: str | None = None) -> str:
    """n with the word in the right number: plural(1, "plan") == "1 plan"."""
    word = one if n == 1 else (many or _IRREGULAR.get(one) or one + "s")
    return f"{n:g} {word}" if isinstance(n, float) else f"{n} {word}"


def fit_words(text: str, room: int) -> str:
    """`text` in `room` cells, cut at the end of a word with an ellipsis when it is longer."""
    if len(text) <= room:
        return text
    cut = text[: max(1, room - 1)]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:·-") + "…"
