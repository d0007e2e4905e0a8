"""Making untrusted text (plan labels, names, notes, quotes) safe in a terminal, Markdown or a CSV cell."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
# A heading, list item or setext underline at the start; a number such as "78.6" or "-2" is none of them.
_MD_LINE_START = re.compile(r"^(#|[-+](?!\d)|=)|^(\d{1,9})(?=[.)](?:\s|$))")


def plain(text: object) -> str:
    """One line without control characters or escape sequences (a terminal cannot be told to do anything)."""
    return _CONTROL.sub("", " ".join(str(text).split()))


def md_cell(text: object) -> str:
    """Text that Markdown shows as written: no links, images, HTML, emphasis or table breaks."""
    escaped = _MD_SPECIAL.sub(r"\\\1", plain(text)).replace("&", "&amp;")
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\", escaped, count=1)


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str):
        value = plain(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def text_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(x) for x in [h] + [r[i] for r in rows]) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return out
