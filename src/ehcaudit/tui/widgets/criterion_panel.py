"""The current criterion: the question, the grade, one descriptor at a time, and a line of evidence and note.

Compact by default (what a reviewer needs at 80x24); the detail below it (guidance, every
descriptor, the note, the kept evidence, other reviewers) shows when the panel is widened.
Extra widgets (e.g. pre-check hints) go in the #criterion-extras container.
"""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ehcaudit.rubric import Criterion, Rubric
from ehcaudit.output.safe import one_line, printable
from ehcaudit.audit.model import Evidence, Judgement

NA = 0  # the grade cursor's value for N/A


def _grade_text(rubric: Rubric, judgement: Judgement) -> str:
    if judgement.not_applicable:
        return "N/A"
    if judgement.grade is not None:
        return f"{judgement.grade} {rubric.label(judgement.grade)}"
    return "not graded"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class CriterionPanel(VerticalScroll, can_focus=True):
    """Focusable (Tab) and scrollable, so every part of it is reachable from the keyboard."""

    DEFAULT_CSS = """
    CriterionPanel { padding: 0 1; }
    CriterionPanel > Static { width: 1fr; height: auto; }
    CriterionPanel > #criterion-extras { height: auto; }
    CriterionPanel:focus { background: $boost; }
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: dict[str, object] = {}
        self._last: tuple | None = None

    def _set(self, part: str, content, key=None, same_height: bool = False) -> None:
        # Redraw only what changed: a grade keypress then repaints a line or two, not the whole panel.
        key = content if key is None else key
        if self._shown.get(part) == key:
            return
        self._shown[part] = key
        static = self.query_one(f"#{part}", Static)
        # A change that keeps the same number of lines needs a repaint, not a new layout.
        if isinstance(content, Text) and static.size.width > 0:
            same_height = len(content.wrap(self.app.console, static.size.width)) == static.size.height
        static.update(content, layout=not same_height)

    def compose(self):
        yield Static(id="criterion-title")
        yield Static(id="criterion-question")
        yield Static(id="criterion-grades")
        yield Static(id="criterion-descriptor")
        yield Static(id="criterion-counts")
        yield Vertical(id="criterion-extras")
        yield Static(id="criterion-detail")

    def on_resize(self) -> None:
        if self._last is not None:
            rubric, criterion, judgement, evidence, index, others, cursor = self._last
            # The counts line is fitted to the width.
            self.show(rubric, criterion, judgement, evidence, index, others, cursor, keep_scroll=True)

    def show(self, rubric: Rubric, criterion: Criterion, judgement: Judgement, evidence: list[Evidence],
             index: int, others: list[tuple[str, Judgement]] | None = None, cursor: int | None = None,
             keep_scroll: bool = False) -> None:
        """Draw the criterion; `cursor` is the grade whose descriptor is shown (0 = N/A)."""
        self._last = (rubric, criterion, judgement, evidence, index, others, cursor)
        area = rubric.area(criterion.area)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(criterion.id + " ", style="bold")
        title.append(f"{index + 1}/{len(rubric.criteria)} ", style="dim")
        title.append(printable(area.title) + " ", style="italic")
        title.append(f"· sections {' '.join(criterion.sections)}", style="dim")
        self._set("criterion-title", title)
        self._set("criterion-question", Text(printable(criterion.question), style="bold"))

        values = [s.value for s in rubric.scale] + ([NA] if criterion.allow_na else [])
        if cursor not in values:
            cursor = values[0]
        current = NA if judgement.not_applicable else judgement.grade
        bar = Text(no_wrap=True, overflow="ellipsis")  # one line whatever the grade, so a grade never moves the layout
        bar.append("Grade ", style="bold")
        bar.append(_grade_text(rubric, judgement), style="bold reverse" if judgement.done else "dim")
        bar.append("   ")
        for v in values:
            mark = "N/A" if v == NA else str(v)
            style = "bold underline" if v == cursor else "dim"
            if v == current:
                style += " reverse"
            bar.append(f" {mark} ", style=style)
        self._set("criterion-grades", bar)

        label = "N/A" if cursor == NA else f"{cursor} {rubric.label(cursor)}"
        words = "not applicable to this plan (needs a note saying why)" if cursor == NA else criterion.descriptors.get(cursor, "")
        descriptor = Text()
        descriptor.append(f"{label}: ", style="bold")
        descriptor.append(printable(words))
        self._set("criterion-descriptor", descriptor)

        counts = Text()
        counts.append("Evidence ", style="bold")
        counts.append(_plural(len(evidence), "quote") + " ")
        pages = sorted({e.page_number for e in evidence if e.page_number})
        if pages:
            counts.append(f"(p{', p'.join(map(str, pages))}) ", style="dim")
        counts.append("· Note ", style="bold")
        counts.append(("written" if judgement.note.strip() else "none") + "  ", style="" if judgement.note.strip() else "dim")
        if others:
            counts.append(f"· {_plural(len(others), 'other review')}  ", style="bold")
        # The keys as far as they fit on the line (l and m are in the footer too): never a wrapped hint.
        width = self.query_one("#criterion-counts", Static).size.width
        keys = ["d descriptors", "l list", "m note"]
        while keys and width and counts.cell_len + len(" · ".join(keys)) > width:
            keys.pop()
        counts.append(" · ".join(keys), style="dim")
        self._set("criterion-counts", counts, key=(counts, width))

        detail_key = (criterion.id, current, judgement.note, tuple((e.id, e.quote, e.page_number) for e in evidence),
                      tuple((n, j.grade, j.not_applicable, j.note) for n, j in others or []))
        old = self._shown.get("criterion-detail")
        if old != detail_key:
            # Only the ▶ mark moved: the same lines, so no new layout.
            marker_only = isinstance(old, tuple) and old[0] == detail_key[0] and old[2:] == detail_key[2:]
            self._set("criterion-detail", self._detail(rubric, criterion, judgement, evidence, others, current), detail_key,
                      same_height=marker_only)
        if not keep_scroll:
            self.scroll_home(animate=False)

    def _detail(self, rubric, criterion, judgement, evidence, others, current) -> Group:
        parts: list = [Text("")]
        if criterion.guidance:
            parts.append(Text(printable(criterion.guidance), style="italic"))
            parts.append(Text(""))
        # Stacked, not in columns: a long grade label must not squeeze its descriptor into a sliver.
        for sc in rubric.scale:
            chosen = current == sc.value
            parts.append(Text(("▶ " if chosen else "  ") + printable(f"{sc.value} {sc.label}"), style="bold reverse" if chosen else "bold"))
            parts.append(Padding(Text(printable(criterion.descriptors.get(sc.value, ""))), (0, 0, 0, 4)))
        if criterion.allow_na:
            chosen = current == NA
            parts.append(Text(("▶ " if chosen else "  ") + "0 N/A", style="bold reverse" if chosen else "bold"))
            parts.append(Padding(Text("not applicable to this plan (needs a note)", style="dim"), (0, 0, 0, 4)))
        parts.append(Text(""))
        note = Text("Note: ", style="bold")
        note.append(printable(judgement.note) or "(none; m writes one)", style="" if judgement.note else "dim")
        parts.append(note)
        parts.append(Text(f"Evidence ({len(evidence)}; l lists, edits and deletes):", style="bold"))
        for e in evidence:
            where = f"page {e.page_number}" if e.page_number else "page ?"
            line = Text("  “")
            line.append(printable(e.quote))
            line.append(f"” ({e.section_code or '?'}, {where})", style="dim")
            parts.append(line)
        if others:
            parts.append(Text(""))
            parts.append(Text("Other reviewers (submitted):", style="bold"))
            for name, j in others:
                line = Text(f"  {one_line(name)}: ", style="bold")
                line.append(_grade_text(rubric, j))
                if j.note:
                    line.append(f" · {one_line(j.note)}")
                parts.append(line)
        return Group(*parts)
