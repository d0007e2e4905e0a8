"""The user's small config file: who is reviewing, and the theme they chose."""

from __future__ import annotations

import tomllib

from ehcaudit import locations
from ehcaudit.files import write_private


def load_config() -> dict:
    path = locations.config_file()
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (FileNotFoundError, tomllib.TOMLDecodeError, OSError):
        return {}


def save_config(values: dict) -> None:
    """Write simple string keys; the file stays hand-editable TOML."""
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**load_config(), **values}
    lines = []
    for key, value in merged.items():
        escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'{key} = "{escaped}"')
    write_private(path, "\n".join(lines) + "\n")  # all or nothing, mode 0600


def saved_reviewer() -> str | None:
    name = load_config().get("reviewer")
    return name.strip() if isinstance(name, str) and name.strip() else None
