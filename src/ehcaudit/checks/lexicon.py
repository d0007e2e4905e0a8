"""The pre-checks' word lists (words.toml beside this module), compiled once."""

from __future__ import annotations

from typing import Any

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Pattern:
    """One word list as a single case-insensitive regular expression on word boundaries."""

    regex: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)

    def findall(self, text: str) -> list[str]:
        return [m.group(0) for m in self.regex.finditer(text)]

    def __bool__(self) -> bool:  # a Pattern is always usable
        return True


def compile_list(entries: list[str]) -> Pattern:
    """Entries are regexes; anchored ones ("^...") match at the start, the rest between word boundaries."""
    entries = [e.strip() for e in entries]
    anchored = [f"(?:{e})" for e in entries if e.startswith("^")]
    # One word-boundary group round all the rest: far cheaper than a boundary round each alternative.
    words = [e for e in entries if not e.startswith("^")]
    parts = anchored + ([f"(?<![\\w-])(?:{'|'.join(words)})(?![\\w-])"] if words else [])
    return Pattern(re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE))


@cache
def words() -> dict[str, Any]:
    """The raw TOML tables."""
    text = Path(__file__).with_name("words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def pattern(table: str, name: str) -> Pattern:
    """The compiled list words()[table][name]."""
    return compile_list(words()[table][name])


@cache
def area_patterns() -> dict[str, tuple[Pattern, Pattern]]:
    """Area of need -> (heading words, content words)."""
    return {area: (compile_list(v["heading"]), compile_list(v["words"])) for area, v in words()["areas"].items() if isinstance(v, dict)}
