"""Every path ehcaudit uses, in one place, so tests can point them at a temp folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "ehcaudit"
_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Folder for databases; EHCAUDIT_HOME overrides (tests use it)."""
    home = os.environ.get("EHCAUDIT_HOME")
    return Path(home) / "data" if home else Path(user_data_dir(APP_NAME))


def config_dir() -> Path:
    """Folder for the user's config (reviewer name, theme)."""
    home = os.environ.get("EHCAUDIT_HOME")
    return Path(home) / "config" if home else Path(user_config_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_file() -> Path:
    """What the app remembers between runs (reviewer name, theme); kept apart from the user's config.toml."""
    return data_dir() / "state.json"


def default_db() -> Path:
    """The database used when no --db is given: EHCAUDIT_DB, else the user data dir."""
    env = os.environ.get("EHCAUDIT_DB")
    return Path(env) if env else data_dir() / "ehcaudit.db"


def demo_db() -> Path:
    return data_dir() / "demo.db"


def _bundled(name: str) -> Path:
    # Installed wheel: files are copied into the package. Editable install or a
    # source checkout: they sit at the top of the repository.
    inside = _PACKAGE_DIR / "bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def rubrics_dir() -> Path:
    return _bundled("rubrics")


def sample_plans_dir() -> Path:
    return _bundled("sample_plans")


def default_rubric_file() -> Path:
    return rubrics_dir() / "ehcp-quality.toml"


def section_titles_file() -> Path:
    return _PACKAGE_DIR / "sections" / "titles.toml"
