"""Settings: the user's config file, which ehcaudit only reads, and the small state the app writes.

config.toml is the user's: `reviewer`, `theme` and a `[keys]` table, edited by hand and never
rewritten. What the app remembers (the reviewer name a user set for themselves, the theme they
toggled) goes to state.json in the data folder, so saving it can never damage the user's file.
"""

from __future__ import annotations

from typing import Any

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ehcaudit import locations
from ehcaudit.errors import EhcauditError

MAX_NAME = 80


class ConfigError(EhcauditError):
    """The config file cannot be read, or a setting is not acceptable."""


def load_config() -> dict[str, Any]:
    """The user's config.toml as a dict ({} when there is none); ConfigError names the file and line of a TOML error."""
    path = locations.config_file()
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    import tomllib  # most users have no config file: no TOML parser at every start

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        line = f":{where.group(1)}" if where else ""
        raise ConfigError(f"{path}{line}: not valid TOML ({reason}); fix the file or move it aside") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None


def load_state() -> dict[str, Any]:
    """What the app remembered last time; an unreadable state file counts as empty."""
    try:
        state = json.loads(locations.state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_state(values: dict[str, Any]) -> None:
    """Merge values into state.json: written whole to a temporary file and renamed, readable by the owner only."""
    path = locations.state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**load_state(), **values}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".state-", suffix=".json")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(merged, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot save settings ({exc.strerror})") from None


def check_reviewer_name(name: str) -> str:
    """The name trimmed, or ConfigError if it is empty, too long or not one line of printable text."""
    name = (name or "").strip()
    if not name:
        raise ConfigError("a reviewer name cannot be empty")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise ConfigError("a reviewer name must be one line of printable text (no newlines or control characters)")
    if len(name) > MAX_NAME:
        raise ConfigError(f"a reviewer name is at most {MAX_NAME} characters")
    return name


def _valid_name(value: object) -> str | None:
    try:
        return check_reviewer_name(value) if isinstance(value, str) else None
    except ConfigError:
        return None


def advance_after_grade() -> bool:
    """Whether grading a criterion moves on to the next one: as last toggled in the app (`A`), else config.toml's
    `advance_after_grade`."""
    toggled = load_state().get("advance_after_grade")
    if isinstance(toggled, bool):
        return toggled
    return load_config().get("advance_after_grade") is True


def remember_advance_after_grade(on: bool) -> None:
    save_state({"advance_after_grade": bool(on)})


def saved_reviewer() -> str | None:
    """The name the user set for themselves (app or `ehcaudit config reviewer`), else config.toml's `reviewer`."""
    return _valid_name(load_state().get("reviewer")) or _valid_name(load_config().get("reviewer"))


def remember_reviewer(name: str) -> str:
    """Remember the name a user gave for themselves; returns it trimmed."""
    name = check_reviewer_name(name)
    save_state({"reviewer": name})
    return name


def saved_theme() -> str | None:
    theme = load_state().get("theme") or load_config().get("theme")
    return theme if isinstance(theme, str) else None


def remember_theme(theme: str) -> None:
    save_state({"theme": theme})


def key_remaps() -> tuple[dict[str, str], str | None]:
    """The [keys] table (binding id -> keys), and a line if it is not a table of strings."""
    keys = load_config().get("keys")
    if keys is None:
        return {}, None
    path = locations.config_file()
    if not isinstance(keys, dict):
        return {}, f"{path}: keys must be a table ([keys] with lines like \"audit.next\" = \"j\"); key remaps ignored"
    good = {k: v for k, v in keys.items() if isinstance(v, str)}
    bad = sorted(set(keys) - set(good))
    return good, (f"{path}: [keys] entries must be strings; ignored {', '.join(bad)}" if bad else None)
