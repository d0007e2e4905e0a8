"""Defence in depth for the screen: no control character in any text the app draws reaches the terminal.

Screens pass untrusted text (plan text, names, notes, rubric text) as Text objects
made printable with ehcaudit.output.safe, never as markup. This catches whatever slips
through: Rich and Textual already drop a few control codes from every piece of
text (bell, backspace, carriage return); here every other one, ESC and the C1
controls included, is drawn as a visible symbol instead (one character for one,
so styled spans stay where they were).
"""

from __future__ import annotations

from ehcaudit.output.safe import _BIDI

_KEPT = {9, 10, 7, 8, 11, 12, 13}  # tab and newline are text; the rest Rich and Textual already remove


def _table() -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20) if code not in _KEPT}
    table[0x7F] = "\u2421"
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})
    table.update({ord(ch): "\ufffd" for ch in _BIDI})
    return table


def install() -> bool:
    """Extend Rich's and Textual's control-code tables; True if both were found."""
    import rich.control
    import textual.content

    found = 0
    for module in (rich.control, textual.content):
        translate = getattr(module, "_CONTROL_STRIP_TRANSLATE", None)
        if isinstance(translate, dict):
            translate.update(_table())
            found += 1
    return found == 2
