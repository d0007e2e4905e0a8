"""Keys as people type them: "?" not "question_mark", "Enter" not "enter"."""

from __future__ import annotations

from textual.keys import format_key

_WORDS = {"enter": "Enter", "escape": "Escape", "tab": "Tab", "shift+tab": "shift+Tab", "space": "space",
          "backspace": "Backspace", "delete": "Delete", "home": "Home", "end": "End"}


def key_display(keys: str) -> str:
    """A binding's key string ("question_mark,f1") as it is typed ("?, f1")."""
    shown = []
    for key in (k.strip() for k in keys.split(",")):
        if not key:
            continue
        shown.append(_WORDS.get(key) or format_key(key))
    return ", ".join(dict.fromkeys(shown))
