"""Moderation: double-scored plans side by side, disagreements first; record the agreed grade and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.safe import one_line
from ehcaudit.store import moderation as mod_store
from ehcaudit.tui.modals import PromptModal

GRADE = Binding.Group("Agreed grade", compact=True)


NA_AGAINST_GRADE = 99  # ranks above any gap between grades


def disagreement(judgements) -> tuple[int, str]:
    """(rank for sorting, what the Spread column shows): N/A against a grade is a disagreement, not a spread of 0."""
    done = [j for j in judgements if j is not None and j.done]
    values = [j.grade for j in done if not j.not_applicable]
    if any(j.not_applicable for j in done) and values:
        return NA_AGAINST_GRADE, "N/A vs " + "/".join(str(v) for v in sorted(set(values)))
    spread = max(values) - min(values) if values else 0
    return spread, str(spread)


def _grade(j) -> str:
    if j is None or not j.done:
        return "-"
    return "N/A" if j.not_applicable else str(j.grade)


class ModerationScreen(Screen):
    """Plans scored by two or more reviewers, side by side."""

    HELP_TITLE = "Moderation"
    BINDINGS = [
        *[Binding(str(n), f"agree({n})", f"Agree {n}", group=GRADE, id=f"moderation.grade_{n}") for n in range(1, 10)],
        Binding("0,x", "agree_na", "Agree N/A", id="moderation.na"),
        Binding("tab", "focus_next", "Switch pane", show=False, id="moderation.switch"),
        Binding("escape,q", "back", "Back", id="moderation.back"),
    ]

    def __init__(self, db, rubric: Rubric, moderator: str):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.moderator = moderator
        self.plans = mod_store.double_scored(db, rubric, moderator)
        self.current: int | None = None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "agree":
            return parameters[0] in self.rubric.scale_values
        return True

    def compose(self) -> ComposeResult:
        yield Static(id="moderation-header")
        with Horizontal(id="moderation-body"):
            yield OptionList(id="moderation-plans")
            yield DataTable(id="moderation-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="moderation-status")
        yield Footer()

    def on_mount(self) -> None:
        header = Text()
        header.append(" Moderation ", style="bold reverse")
        header.append(f"  moderator {one_line(self.moderator)} · {len(self.plans)} plans scored by two or more reviewers · "
                      "a digit records the agreed grade, with a reason")
        self.query_one("#moderation-header", Static).update(header)
        plans = self.query_one("#moderation-plans", OptionList)
        for pid, label, audits in self.plans:
            plans.add_option(Option(Text(f"{one_line(label)}  ({len(audits)} reviews)"), id=str(pid)))
        if self.plans:
            plans.highlighted = 0
            self.load_plan(self.plans[0][0])
            self.query_one(DataTable).focus()
        else:
            self.query_one("#moderation-status", Static).update(
                Text(" No plan has two submitted audits yet. Ask a second reviewer to score some plans blind.", style="dim"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.load_plan(int(event.option.id))

    def load_plan(self, plan_id: int, keep: str | None = None) -> None:
        self.current = plan_id
        audits = next(a for pid, _, a in self.plans if pid == plan_id)
        moderated = mod_store.moderations_for(self.db, plan_id, self.rubric)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*[Text(h) for h in ("Criterion", *[one_line(a.reviewer) for a in audits], "Spread", "Agreed", "Reason")])
        rows = []
        for c in self.rubric.criteria:
            grades = [a.judgement(c.id) for a in audits]
            rank, spread = disagreement(grades)
            m = moderated.get(c.id)
            agreed = "-" if m is None else ("N/A" if m.not_applicable else str(m.grade))
            rows.append((rank, c.id, [_grade(j) for j in grades], agreed, m.reason if m else "", spread))
        # Disagreements first, widest first (N/A against a grade before all); then the rubric's order.
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        rows.sort(key=lambda r: (-r[0], order[r[1]]))
        for rank, cid, grades, agreed, reason, spread in rows:
            style = "bold red" if rank >= 2 else "yellow" if rank == 1 else ""
            table.add_row(Text(cid, style=style), *[Text(g) for g in grades], Text(spread, style=style), Text(agreed),
                          Text(one_line(reason)[:40]), key=cid)
        if keep:
            table.move_cursor(row=[r[1] for r in rows].index(keep))
        disagreements = sum(1 for r in rows if r[0] > 0)  # N/A against a grade included
        self.query_one("#moderation-status", Static).update(
            Text(f" {disagreements} of {len(rows)} criteria disagree · {sum(1 for r in rows if r[3] != '-')} moderated", style="dim"))

    def _selected_criterion(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _record(self, grade: int | None) -> None:
        cid = self._selected_criterion()
        if cid is None or self.current is None:
            return
        plan_id = self.current
        label = "N/A" if grade is None else f"{grade} {self.rubric.label(grade)}"

        def reasoned(reason: str | None) -> None:
            if reason is None:
                return
            try:
                mod_store.moderate(self.db, plan_id, self.rubric, cid, grade, reason, self.moderator)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.load_plan(plan_id, keep=cid)
            self.notify(f"{cid}: agreed {label}")

        self.app.push_screen(PromptModal(f"Why is {cid} {label}?", "reason (kept with the moderated grade)"), reasoned)

    def action_agree(self, grade: int) -> None:
        self._record(grade)

    def action_agree_na(self) -> None:
        self._record(None)

    def action_back(self) -> None:
        self.dismiss(None)
