"""The user's small config file: who is reviewing, and the theme they chose."""

from __future__ import annotations

import tomllib

from ehcaudit import locations


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
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
            continue
        if isinstance(value, dict):
            continue  # tables ([keys]) are written after the plain keys
        escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'{key} = "{escaped}"')
    for key, value in merged.items():
        if isinstance(value, dict):
            lines.append(f"\n[{key}]")
            for k, v in value.items():
                lines.append(f'"{_escape(str(k))}" = "{_escape(str(v))}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def advance_after_grade() -> bool:
    """Whether grading a criterion moves on to the next one (config `advance_after_grade`)."""
    return load_config().get("advance_after_grade") is True


def saved_reviewer() -> str | None:
    name = load_config().get("reviewer")
    return name.strip() if isinstance(name, str) and name.strip() else None
