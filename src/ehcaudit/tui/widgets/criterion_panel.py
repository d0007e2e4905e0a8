"""The current criterion: question, guidance, descriptors, the grade so far, note and evidence."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ehcaudit.rubric import Criterion, Rubric
from ehcaudit.safe import one_line, printable
from ehcaudit.store.audits import Evidence, Judgement


class CriterionPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    CriterionPanel { padding: 0 1; }
    CriterionPanel > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(id="criterion-body")

    def show(self, rubric: Rubric, criterion: Criterion, judgement: Judgement,
             evidence: list[Evidence], index: int, others: list[tuple[str, Judgement]] | None = None) -> None:
        area = rubric.area(criterion.area)
        parts: list = []
        title = Text()
        title.append(f"{criterion.id}", style="bold")
        title.append(f"  {index + 1}/{len(rubric.criteria)}  ", style="dim")
        title.append(printable(area.title), style="italic")
        parts.append(title)
        parts.append(Text(printable(criterion.question), style="bold"))
        parts.append(Text(f"Sections: {' '.join(criterion.sections)}" + ("   N/A allowed (0 or x)" if criterion.allow_na else ""), style="dim"))
        if criterion.guidance:
            parts.append(Text(printable(criterion.guidance), style="italic"))
        parts.append(Text(""))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for s in rubric.scale:
            chosen = judgement.grade == s.value
            label = Text(("▶ " if chosen else "  ") + printable(f"{s.value} {s.label}"), style="bold reverse" if chosen else "bold")
            grid.add_row(label, Text(printable(criterion.descriptors.get(s.value, "")), style="" if chosen or not judgement.done else "dim"))
        if criterion.allow_na:
            chosen = judgement.not_applicable
            grid.add_row(Text(("▶ " if chosen else "  ") + "0 N/A", style="bold reverse" if chosen else "bold"),
                         Text("not applicable to this plan (needs a note)", style="dim"))
        parts.append(grid)
        parts.append(Text(""))
        grade = Text("Grade: ", style="bold")
        if judgement.not_applicable:
            grade.append("N/A", style="bold")
        elif judgement.grade is not None:
            grade.append(printable(f"{judgement.grade} {rubric.label(judgement.grade)}"), style="bold")
        else:
            grade.append("not graded", style="dim")
        parts.append(grade)
        note = Text("Note: ", style="bold")
        note.append(printable(judgement.note) or "(none; press m to add)", style="" if judgement.note else "dim")
        parts.append(note)
        parts.append(Text(f"Evidence ({len(evidence)}):", style="bold"))
        for e in evidence[-6:]:
            where = f"{e.section_code or '?'} p{e.page_number}" if e.page_number else (e.section_code or "")
            parts.append(Text(printable(f"  “{e.quote[:160]}” ({where})")))
        if others:
            parts.append(Text(""))
            parts.append(Text("Other reviewers (submitted):", style="bold"))
            for name, j in others:
                g = "N/A" if j.not_applicable else (str(j.grade) if j.grade is not None else "-")
                parts.append(Text(one_line(f"  {name}: {g}  {j.note[:80]}")))
        self.query_one("#criterion-body", Static).update(Group(*parts))
        self.scroll_home(animate=False)
