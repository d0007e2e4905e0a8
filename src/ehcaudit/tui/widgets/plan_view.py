"""The plan text on screen: a line cursor, look-for phrases highlighted, lines selectable."""

from __future__ import annotations

import re

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ehcaudit.sections.view_lines import ViewLine
from ehcaudit.output.safe import printable


class PlanView(OptionList):
    """Lines of the plan; space selects lines to keep as evidence."""

    BINDINGS = [
        Binding("space", "toggle_line", "Select line", show=False, id="plan.select_line"),
        Binding("j", "cursor_down", "Down", show=False, id="plan.down"),
        Binding("k", "cursor_up", "Up", show=False, id="plan.up"),
    ]

    DEFAULT_CSS = """
    PlanView { height: 1fr; border: none; padding: 0 1; scrollbar-gutter: stable; }
    PlanView:focus { border: none; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lines: list[ViewLine] = []
        self.selected: set[int] = set()
        self.pattern: re.Pattern | None = None
        self.search: re.Pattern | None = None
        self.marks: list[tuple[re.Pattern, str]] = []

    def set_marks(self, marks: list[tuple[re.Pattern, str]]) -> None:
        """Extra highlights (the pre-check hints' quotes), kept until replaced."""
        self.marks = marks
        for i in range(len(self.lines)):
            self.replace_option_prompt_at_index(i, self._render_line(i))

    def show(self, lines: list[ViewLine], pattern: re.Pattern | None = None,
             search: re.Pattern | None = None, cursor: int = 0) -> None:
        """Replace what is shown; highlights look-for phrases and search matches."""
        self.lines = lines
        self.selected = set()
        self.pattern = pattern
        self.search = search
        self.set_options([Option(self._render_line(i), disabled=False) for i in range(len(lines))])
        if lines:
            first_body = next((i for i, ln in enumerate(lines) if not ln.heading), 0)
            self.highlighted = min(max(cursor, first_body if cursor == 0 else cursor), len(lines) - 1)
            self.scroll_to_highlight(top=True)

    def line_text(self, index: int) -> Text:
        """Line `index` as styled text, its set-aside mark in front."""
        line = self.lines[index]
        # PDF text is untrusted: drawn as Text (never markup), control characters as visible symbols.
        if line.rule:
            return Text(f"── {printable(line.text, newlines=False)} ──", style="dim bold")
        if line.heading:
            return Text(printable(line.text, newlines=False), style="bold reverse")
        text = Text(printable(line.text, newlines=False), style="dim" if line.aside else "")
        if line.aside:
            # Every set-aside line marked; the reason once, at the start of each run (a cover page is one note).
            previous = self.lines[index - 1] if index else None
            lead = Text("┆ ", style="dim")
            if previous is None or previous.aside != line.aside:
                lead.append(f"(set aside: {line.aside}) ", style="dim italic")
            text = lead + text
        if self.pattern is not None:
            text.highlight_regex(self.pattern, style="bold underline magenta")
        for rx, style in self.marks:
            text.highlight_regex(rx, style=style)
        if self.search is not None:
            text.highlight_regex(self.search, style="black on yellow")
        if index in self.selected:
            text = Text("▌ ", style="bold green") + text
            text.stylize("on dark_green")
        return text

    def _render_line(self, index: int) -> RenderableType:
        text = self.line_text(index)
        if not self.lines[index].aside:
            return text
        # A set-aside line that wraps keeps its mark's indent, so it never reads as the plan's own text.
        grid = Table.grid()
        grid.add_column(width=2, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(text[:2], text[2:])
        return grid

    def action_toggle_line(self) -> None:
        index = self.highlighted
        if index is None or not self.lines or self.lines[index].heading:
            return
        self.selected.symmetric_difference_update({index})
        self.replace_option_prompt_at_index(index, self._render_line(index))
        if index + 1 < len(self.lines):
            self.highlighted = index + 1

    def clear_selection(self) -> None:
        for index in list(self.selected):
            self.selected.discard(index)
            self.replace_option_prompt_at_index(index, self._render_line(index))

    def chosen_runs(self) -> list[list[ViewLine]]:
        """The chosen lines in runs of adjacent lines: two paragraphs apart are two quotes."""
        if self.selected:
            indices = sorted(self.selected)
        elif self.highlighted is not None and self.lines and not self.lines[self.highlighted].heading:
            indices = [self.highlighted]
        else:
            return []
        runs: list[list[ViewLine]] = []
        previous = None
        for i in indices:
            if self.lines[i].heading:
                previous = None
                continue
            if previous is not None and i == previous + 1:
                runs[-1].append(self.lines[i])
            else:
                runs.append([self.lines[i]])
            previous = i
        return runs

    def next_match(self, pattern: re.Pattern, start: int | None = None) -> tuple[int, int, bool] | None:
        """Move the cursor to the next line matching pattern, shown a few lines below the top:
        (which match it is, from 1, how many lines match, whether it went round to the first), or None."""
        hits = [i for i, ln in enumerate(self.lines) if pattern.search(ln.text)]
        if not hits:
            return None
        begin = (self.highlighted or 0) + 1 if start is None else start
        after = [k for k, i in enumerate(hits) if i >= begin]
        k = after[0] if after else 0
        self.highlighted = hits[k]
        self.scroll_with_context(hits[k])
        return k + 1, len(hits), not after

    def scroll_with_context(self, index: int) -> None:
        """Scroll so the line sits a few rows below the top, with what comes before it in view."""
        self._update_lines()
        y = self._index_to_line.get(index)
        if y is None:
            return
        above = min(3, max(0, self.scrollable_content_region.height // 4))
        self.scroll_to(y=max(0, y - above), animate=False, force=True, immediate=True)
