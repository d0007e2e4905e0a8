"""Keys as people type them ("?" not "question_mark", "Enter" not "enter"), and the config file's [keys] remaps checked."""

from __future__ import annotations

from collections.abc import Callable

import re
from typing import TYPE_CHECKING

from textual.keys import format_key

if TYPE_CHECKING:
    from textual.binding import Binding

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


# ------------------------------------------------------------------ [keys] remaps in the config file

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def _key_names() -> set[str]:
    from textual.keys import KEY_DISPLAY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

    names = {k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")}
    return names | set(KEY_DISPLAY_ALIASES) | set(KEY_NAME_REPLACEMENTS.values()) | set(KEY_TO_UNICODE_NAME)


def is_known_key(key: str) -> bool:
    """Whether Textual would ever send this key: "j", "J", "?", "f5", "ctrl+j", "shift+tab", "question_mark"."""
    from textual.keys import key_to_character

    if len(key) == 1:
        return key.isprintable() and not key.isspace() and key != ","
    *modifiers, base = key.split("+")
    if len(set(modifiers)) != len(modifiers) or not set(modifiers) <= _MODIFIERS or not base:
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _key_names() or key_to_character(base) is not None


def remappable_bindings() -> dict[str, tuple[bool, list[tuple[str, Binding]]]]:
    """Every binding with an id, by class: "AuditScreen" -> (whether it is a widget inside screens, [(id, binding)]).
    Imports every screen, so it is called only when the config file remaps keys."""
    import importlib
    import inspect
    import pkgutil

    import ehcaudit.tui as tui
    from textual.app import App
    from textual.binding import Binding as TextualBinding
    from textual.screen import Screen

    out: dict[str, tuple[bool, list[tuple[str, Binding]]]] = {}
    for info in pkgutil.walk_packages(tui.__path__, "ehcaudit.tui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            pairs = [(b.id, b) for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, TextualBinding) and b.id]
            if pairs:
                out[cls.__qualname__] = (not issubclass(cls, (Screen, App)), pairs)
    return out


def _ranges(ids: list[str]) -> list[str]:
    """Numbered ids said as a range: audit.grade_1 ... audit.grade_9 -> "audit.grade_1 to audit.grade_9"."""
    out: list[str] = []
    numbered: dict[str, list[int]] = {}
    for i in ids:
        stem, digits = re.fullmatch(r"(.*?)(\d*)", i).groups()  # type: ignore[union-attr]  # always matches
        if digits:
            if stem not in numbered:
                numbered[stem] = []
                out.append(stem)
            numbered[stem].append(int(digits))
        else:
            out.append(i)
    return [f"{i}{min(numbered[i])} to {i}{max(numbered[i])}" if i in numbered else i for i in out]


def check_remaps(remaps: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The remaps that can work, and one line per entry that cannot (the action keeps its default key), or
    that takes a key another action has."""
    if not remaps:
        return {}, []
    import difflib

    by_class = remappable_bindings()
    known = {i for _, pairs in by_class.values() for i, _ in pairs}
    good: dict[str, str] = {}
    problems: list[str] = []
    for action, keys in remaps.items():
        if action not in known:
            screen = action.partition(".")[0]
            same = sorted(i for i in known if i.partition(".")[0] == screen)
            close = difflib.get_close_matches(action, sorted(known), n=1)
            hint = (("did you mean " + close[0] + "? " if close else "") + f"known: {', '.join(_ranges(same))}" if same
                    else f"known actions start with {', '.join(sorted({i.partition('.')[0] + '.' for i in known}))}")
            problems.append(f"keys: {action} is not an action ({hint}); ignored")
            continue
        parts = [k.strip() for k in keys.split(",")]
        bad = [k for k in parts if not is_known_key(k)]
        if bad:
            problems.append(f"keys: {action} = {keys!r} is not a key Textual knows ({', '.join(repr(k) for k in bad)}; keys look "
                            "like 'j', 'J', '?', 'f5', 'ctrl+j' or 'shift+tab'); its default key is kept")
            continue
        good[action] = ",".join(parts)

    def keys_of(action: str, binding: Binding) -> list[str]:
        return (good.get(action) or binding.key).split(",")

    # Two actions of one screen on one key: the remap given later in the file gives way and keeps its default key
    # (a swap, search = "f" and filter = "/", is no clash: keys are compared as they are once every remap is applied).
    order = list(good)
    while clash := _first_clash(by_class, good, keys_of):
        action, other = clash
        loser = action if other not in good or order.index(other) < order.index(action) else other
        winner = other if loser == action else action
        problems.append(f"keys: {loser} = {good.pop(loser)!r} is already the key of {winner}; {loser} keeps its default key")

    widgets = [pair for is_widget, pairs in by_class.values() if is_widget for pair in pairs]
    for _, pairs in by_class.values():
        for action, binding in pairs:
            if action not in good:
                continue
            for key in keys_of(action, binding):
                shadow = [i for i, b in widgets if i != action and key in keys_of(i, b) and (i, b) not in pairs]
                if shadow:
                    problems.append(f"keys: {action} = {key!r} is also the key of {shadow[0]}, which wins while its pane "
                                    f"has the focus; choose another key, or remap {shadow[0]} too")
    return good, problems


def _first_clash(by_class: dict[str, tuple[bool, list[tuple[str, Binding]]]], good: dict[str, str],
                 keys_of: Callable[[str, Binding], list[str]]) -> tuple[str, str] | None:
    """(a remapped action, another action of its screen) that end up on one key, or None."""
    for _, pairs in by_class.values():
        for action, binding in pairs:
            if action in good:
                for key in keys_of(action, binding):
                    same = [i for i, b in pairs if i != action and key in keys_of(i, b)]
                    if same:
                        return action, same[0]
    return None


def bound(bindings: list[Binding], remaps: dict[str, str]) -> list[Binding]:
    """The bindings with the keys they really have once the config file's remaps are applied (for help)."""
    return [b.with_key(remaps[b.id], key_display=None) if b.id in remaps else b for b in bindings]


def config_remaps() -> tuple[dict[str, str], list[str]]:
    """The config file's [keys] remaps that can work, and a line per problem (for the app and the CLI)."""
    from ehcaudit import config

    remaps, problem = config.key_remaps()
    good, problems = check_remaps(remaps)
    return good, ([problem] if problem else []) + problems
