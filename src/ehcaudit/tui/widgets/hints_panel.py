"""Pre-check hints for the sections on screen: a line each, the current one marked. They point; they never grade."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from ehcaudit.checks import KIND_TITLES, Hint


class HintsPanel(Static):
    """The hints beside the criterion; `h` steps through them, `W` marks the current one wrong."""

    DEFAULT_CSS = """
    HintsPanel { width: 1fr; height: auto; margin-top: 1; padding: 0 0 1 0; border-top: solid $panel-lighten-2; }
    """

    def show_hints(self, hints: list[Hint], current: int | None, wrong: set[tuple[str, str]]) -> None:
        if not hints:
            self.update(Text("Pre-checks: nothing to point at in these sections.", style="dim"))
            return
        title = Text()
        title.append(f"Pre-checks: {len(hints)} hint{'s' if len(hints) != 1 else ''}", style="bold")
        title.append("  h next · W mark wrong · hints never grade", style="dim")
        rows: list[Text] = [title]
        for i, h in enumerate(hints):
            mark = "▶ " if i == current else "  "
            line = Text(mark, style="bold yellow")
            line.append(f"{h.section} p{h.page} ", style="dim")
            line.append(KIND_TITLES.get(h.kind, h.kind), style="bold" if i == current else "")
            if (h.kind, h.quote) in wrong:
                line.append("  (marked wrong)", style="italic dim")
            rows.append(line)
            if i == current:
                rows.append(Text(f"    {h.message}", style="italic"))
                if h.suggestion:
                    rows.append(Text(f"    {h.suggestion}", style="dim"))
        self.update(Group(*rows))
