"""Making untrusted text safe where it leaves ehcaudit: a terminal, a spreadsheet cell, Markdown, HTML, JSON.

Plan text, file names, reviewer names, notes and rubric text are all untrusted:
a PDF can carry an escape sequence that writes the clipboard (OSC 52), and a
reviewer named `=HYPERLINK(...)` becomes a live formula in a spreadsheet.
Each function here neutralises one kind of exit; callers apply them where text
is written, never where it is stored (the database keeps what was given).
"""

from __future__ import annotations

from typing import Any, TextIO

import html
import json
import re
from collections.abc import Iterable

# C0 controls other than tab and newline, DEL, the C1 controls (U+0080-U+009F:
# 0x9B is a one-byte CSI, 0x9D an OSC), and the bidirectional overrides and
# isolates that reorder what a terminal shows ("Trojan source").
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNPRINTABLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _picture(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: object, newlines: bool = True) -> str:
    """Text a terminal shows as it is: every control character drawn as a visible symbol, never obeyed.

    With newlines=False a newline is drawn too (for one-line places such as a table cell).
    """
    s = str(text).replace("\r\n", "\n")
    return (_UNPRINTABLE if newlines else _UNPRINTABLE_LINE).sub(_picture, s)


def one_line(text: object) -> str:
    """Printable, with every run of whitespace (newlines included) as one space."""
    return printable(" ".join(str(text).split()))


# ------------------------------------------------------------------ spreadsheets

# OWASP CSV injection: a cell starting with one of these is a formula (or becomes one) in
# Excel, LibreOffice and Google Sheets. Tab and carriage return count too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CELL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _risky(value: str) -> bool:
    rest = value.lstrip("'").lstrip(" ")
    return rest.startswith(FORMULA_START) and not _NUMBER.fullmatch(rest)


def cell(value: object) -> object:
    """A value for one CSV or XLSX cell: numbers stay numbers; text cannot run as a formula.

    Control characters (which make an XLSX file corrupt) are dropped; text that would start a
    formula gets a leading quote (OWASP's advice), and so does text that already starts with quotes
    before such a character, so uncell() gives back exactly what was written.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    s = _CELL_CONTROLS.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return "'" + s if _risky(s) else s


def uncell(value: str) -> str:
    """Undo cell()'s quote on reading a file ehcaudit (or anyone following the same rule) wrote."""
    if value.startswith("'") and _risky(value[1:]):
        return value[1:]
    return value


def cells(row: Iterable[object]) -> list[object]:
    return [cell(v) for v in row]


# ------------------------------------------------------------------ Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
# What starts a list item or setext underline (CommonMark): "- x", "+ x", "=", "1. x", "1) x". A number
# such as "78.6" or "-2" starts none of them, so it is left to read plainly.
_MD_LINE_START = re.compile(r"^(\s*)([-+](?!\d)|=|\d{1,9}(?=[.)](?:\s|$)))")


def md_text(text: object) -> str:
    """Text for one Markdown paragraph, heading or table cell: shown as written, never as markup.

    No raw HTML (<script>, <img>), no links or images (so no javascript: or remote image), no
    heading or table row started by a newline: newlines become spaces, and Markdown's punctuation
    is escaped.
    """
    s = one_line(text)
    s = html.escape(s, quote=False)  # & < > as entities: no HTML, no autolinks, no block quote
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # A list item or setext underline at the start: "- x", "+ x", "= x", "1. x".
    return _MD_LINE_START.sub(_escape_line_start, s, count=1)


def _escape_line_start(m: re.Match[str]) -> str:
    lead, mark = m.group(1), m.group(2)
    return lead + ("\\" + mark if not mark.isdigit() else mark + "\\")


def clip(text: str, width: int, stream: TextIO | None = None) -> str:
    """Text cut to width with "…", only when it goes to a terminal; piped or saved output keeps every word."""
    import sys

    stream = stream if stream is not None else sys.stdout
    if len(text) <= width or not getattr(stream, "isatty", lambda: False)():
        return text
    return text[: width - 1] + "…"


# ------------------------------------------------------------------ HTML and JSON


def html_text(text: object) -> str:
    """Text for HTML content or an attribute value."""
    return html.escape(printable(text), quote=True)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_dumps(value: object, indent: int | None = 2) -> str:
    """JSON that is safe to print: C0 controls are escaped by json, and C1, DEL and bidi controls too.

    Lossless: a reader gets back exactly the stored strings.
    """
    try:
        if indent != 2:
            raise _Unusual
        text = _indented(value)
    except _Unusual:
        text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Unusual(Exception):
    """A value _indented leaves to json.dumps (a non-string key, a type json handles through its fallbacks)."""


_encode_str = json.encoder.encode_basestring  # the C encoder json.dumps uses for strings (ensure_ascii=False)


def _float(f: float) -> str:
    if f != f:
        return "NaN"
    if f == float("inf"):
        return "Infinity"
    if f == float("-inf"):
        return "-Infinity"
    return float.__repr__(f)


_STR_ONLY = frozenset({str})


def _indented(value: object) -> str:
    """Exactly json.dumps(value, indent=2, ensure_ascii=False), without its generator per element
    (a summary over thousands of plans is a million values): plain dicts, lists, tuples and scalars."""
    out: list[str] = []
    put = out.append
    pads = ["\n" + "  " * i for i in range(64)]
    seen: dict[tuple[int, tuple[tuple[object, object], ...]], str] = {}

    def enc(o: Any, level: int) -> None:
        t = type(o)
        if t is str:
            put(_encode_str(o))
        elif o is None:
            put("null")
        elif o is True:
            put("true")
        elif o is False:
            put("false")
        elif t is int:
            put(int.__repr__(o))
        elif t is float:
            put(_float(o))
        elif t is dict:
            if not o:
                put("{}")
                return
            if level + 1 >= len(pads):
                raise _Unusual
            key = text = None
            if _STR_ONLY.issuperset(map(type, o.values())):
                # A dict of strings is written once per content and depth (every plan's criteria sources);
                # only strings, as 1, 1.0, True and -0.0, 0.0 are equal keys but not the same JSON.
                key = (level, tuple(o.items()))
                text = seen.get(key)
            if text is not None:
                put(text)
                return
            start = len(out)
            inner = pads[level + 1]
            first = True
            for k, v in o.items():
                if type(k) is not str:
                    raise _Unusual
                put(("{" if first else ",") + inner + _encode_str(k) + ": ")
                first = False
                enc(v, level + 1)
            put(pads[level] + "}")
            if key is not None:
                seen[key] = "".join(out[start:])
        elif t is list or t is tuple:
            if not o:
                put("[]")
                return
            if level + 1 >= len(pads):
                raise _Unusual
            inner = pads[level + 1]
            first = True
            for v in o:
                put(("[" if first else ",") + inner)
                first = False
                enc(v, level + 1)
            put(pads[level] + "]")
        else:
            raise _Unusual

    enc(value, 0)
    return "".join(out)
