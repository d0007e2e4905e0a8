"""A screen's one-line header that always fits: the least important parts are left out first, never a cut word."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ehcaudit.output.safe import one_line

# A part: (text, style, rank). Rank 0 is never dropped; higher ranks go first when the line is too long.
Part = tuple[str, str, int]


def fit_header(title: str, parts: list[Part], width: int) -> Text:
    """The title in reverse, then as many parts as fit in width (in their order), separated by " · "."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f" {one_line(title)} ", style="bold reverse")
    return fit_parts(line, parts, width)


def fit_parts(line: Text, parts: list[Part], width: int) -> Text:
    """`line`, then as many parts as fit in width (in their order), separated by " · "."""
    kept = [(one_line(t), s, r) for t, s, r in parts if t]

    def length(items: list[Part]) -> int:
        return line.cell_len + 1 + sum(Text(t).cell_len for t, _, _ in items) + 3 * max(0, len(items) - 1)

    while length(kept) > width and any(r > 0 for _, _, r in kept):
        worst = max(r for _, _, r in kept)
        drop = max(i for i, (_, _, r) in enumerate(kept) if r == worst)  # of equal rank, the last one goes
        kept.pop(drop)
    line.append(" ")
    for i, (text, style, _) in enumerate(kept):
        if i:
            line.append(" · ", style="dim")
        line.append(text, style=style)
    line.truncate(max(width, 1), overflow="ellipsis")
    return line


class StatusLine(Static):
    """A status line that always fits: like the header, the least important parts are left out first."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._parts: list[Part] = []

    def show(self, parts: list[Part]) -> None:
        """Set what the line says; it is fitted to the width when drawn."""
        if parts != self._parts:
            self._parts = list(parts)
            self.refresh()

    def render(self) -> Text:
        return fit_parts(Text(no_wrap=True, overflow="ellipsis"), self._parts, self.size.width or 80)


class HeaderBar(Static):
    """A header line laid out again for the width it has each time it is drawn."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._title = ""
        self._parts: list[Part] = []

    def show(self, title: str, parts: list[Part]) -> None:
        """Set what the header says; it is fitted to the width when drawn."""
        if (title, parts) != (self._title, self._parts):
            self._title, self._parts = title, list(parts)
            self.refresh()

    @property
    def plain(self) -> str:
        return fit_header(self._title, self._parts, self.size.width or 80).plain

    def render(self) -> Text:
        return fit_header(self._title, self._parts, self.size.width or 80)
