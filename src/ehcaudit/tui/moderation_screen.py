"""Moderation: double-scored plans side by side, disagreements first; record the agreed grade and why."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import one_line, printable
from ehcaudit.store import moderation as mod_store
from ehcaudit.tui.modals import PromptModal
from ehcaudit.tui.widgets.lists import cursor_key
from ehcaudit.tui.widgets.header_bar import HeaderBar
from ehcaudit.output.words import plural
from ehcaudit.tui.screen_base import EhcauditScreen

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


def _short_name(name: str) -> str:
    """A reviewer's name for a column header: whole when short, else initials (never a cut word).

    A part in brackets ("A. Expert (demo)") is left out first; initials are taken from words only.
    """
    name = one_line(name)
    if len(name) <= 10:
        return name
    bare = re.sub(r"\s*[(\[][^)\]]*[)\]]", "", name).strip()
    if bare and len(bare) <= 10:
        return bare
    words = re.findall(r"[^\W_]+", bare or name)
    return "".join(w[0].upper() for w in words)[:4] or name[:4]


def short_names(names: list[str]) -> list[str]:
    """Column headers for the reviewers: short, and never two the same."""
    base = [_short_name(n) for n in names]
    return [f"{s}{base[:i + 1].count(s)}" if base.count(s) > 1 else s for i, s in enumerate(base)]


def moderation_state(moderated: int, total: int) -> str:
    """A plan's moderation in words."""
    if moderated == 0:
        return "not moderated"
    return "moderated" if moderated >= total else "partly moderated"


class ModerationScreen(EhcauditScreen[None]):
    """Plans scored by two or more reviewers: grades side by side, then each reviewer's note and evidence."""

    HELP_TITLE = "Moderation"
    BINDINGS = [
        *[Binding(str(n), f"agree({n})", f"Agree {n}", group=GRADE, id=f"moderation.grade_{n}") for n in range(1, 10)],
        Binding("0,x", "agree_na", "Agree N/A", id="moderation.na"),
        Binding("tab", "focus_next", "Next pane (plans, criteria, each reviewer)", show=False, id="moderation.switch"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="moderation.switch_back"),
        Binding("escape,q", "back", "Back", id="moderation.back"),
    ]

    def __init__(self, db, rubric: Rubric, moderator: str):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.moderator = moderator
        self.plans = mod_store.double_scored(db, rubric, moderator)
        self.current: int | None = None

    def help_bindings(self) -> list[Binding]:
        """This screen's keys for the help screen, grades collapsed to the rubric's scale."""
        scale = ", ".join(f"{s.value} {s.label}" for s in self.rubric.scale)
        digits = ",".join(str(v) for v in sorted(self.rubric.scale_values))
        out = [Binding(digits, "agree", f"Record the agreed grade ({scale})")]
        return out + [b for b in self.BINDINGS if isinstance(b, Binding) and not b.action.startswith("agree(")]

    def action_focus_next(self) -> None:
        self.focus_next()

    def action_focus_previous(self) -> None:
        self.focus_previous()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "agree":
            return parameters[0] in self.rubric.scale_values
        return True

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="moderation-header")
        with Horizontal(id="moderation-body"):
            yield OptionList(id="moderation-plans")
            with Vertical(id="moderation-main"):
                yield DataTable(id="moderation-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="moderation-question")
                yield Horizontal(id="moderation-compare")
        yield Static(id="moderation-status")
        yield Footer(show_command_palette=False)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "narrow")

    def on_mount(self) -> None:
        self.set_class(self.size.width < 100, "narrow")
        self.query_one(HeaderBar).show("Moderation", [
            (f"as {self.moderator}", "bold", 0), (plural(len(self.plans), "double-scored plan"), "", 1),
            ("a digit records the agreed grade", "dim", 3)])
        self._fill_plans()
        if self.plans:
            plans = self.query_one("#moderation-plans", OptionList)
            plans.highlighted = 0
            self.load_plan(self.plans[0][0])
            self.query_one(DataTable).focus()
        else:
            self.query_one("#moderation-status", Static).update(
                Text(" No plan has two submitted audits yet. Ask a second reviewer to score some plans blind.", style="dim"))

    def _fill_plans(self) -> None:
        plans = self.query_one("#moderation-plans", OptionList)
        keep = plans.highlighted
        plans.clear_options()
        total = len(self.rubric.criteria)
        for pid, label, audits in self.plans:
            done = len(mod_store.moderations_for(self.db, pid, self.rubric))
            state = moderation_state(done, total)
            style = "green" if state == "moderated" else "yellow" if state == "partly moderated" else "dim"
            prompt = Text.assemble((one_line(label), "bold"), (f" {plural(len(audits), 'review')}\n", "dim"), (state, style))
            plans.add_option(Option(prompt, id=str(pid)))
        if keep is not None and self.plans:
            plans.highlighted = min(keep, len(self.plans) - 1)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and int(event.option.id) != self.current:
            self.load_plan(int(event.option.id))

    def _audits(self, plan_id: int):
        return next(a for pid, _, a in self.plans if pid == plan_id)

    def load_plan(self, plan_id: int, keep: str | None = None) -> None:
        self.current = plan_id
        audits = self._audits(plan_id)
        moderated = mod_store.moderations_for(self.db, plan_id, self.rubric)
        reviewers = {a.reviewer for a in audits}
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # Short reviewer columns, so the reason stays in view at 80 columns.
        table.add_column(Text("Crit"), key="criterion")
        for i, name in enumerate(short_names([a.reviewer for a in audits])):
            table.add_column(Text(name), key=f"r{i}")
        table.add_column("Spread", key="spread")
        table.add_column("Agreed", key="agreed")
        table.add_column("Reason", key="reason")
        rows = []
        for c in self.rubric.criteria:
            grades = [a.judgement(c.id) for a in audits]
            rank, spread = disagreement(grades)
            m = moderated.get(c.id)
            agreed = "-" if m is None else ("N/A" if m.not_applicable else str(m.grade))
            reason = ""
            if m:
                reason = m.reason + (f" ({m.moderator}, who also scored it)" if m.moderator in reviewers else "")
            rows.append((rank, c.id, [_grade(j) for j in grades], agreed, reason, spread))
        # Disagreements first, widest first (N/A against a grade before all); then the rubric's order.
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        rows.sort(key=lambda r: (-r[0], order[r[1]]))
        room = max(12, self.size.width - (36 if self.size.width >= 100 else 28) - 6 - 12 * len(audits) - 16)
        for rank, cid, grades, agreed, reason, spread in rows:
            style = "bold red" if rank >= 2 else "yellow" if rank == 1 else ""
            reason = one_line(reason)
            short = reason if len(reason) <= room else reason[: room - 1] + "…"
            table.add_row(Text(cid, style=style), *[Text(g) for g in grades], Text(spread, style=style), Text(agreed),
                          Text(short), key=cid)
        if keep:
            table.move_cursor(row=[r[1] for r in rows].index(keep))
        disagreements = sum(1 for r in rows if r[0] > 0)  # N/A against a grade included
        done = sum(1 for r in rows if r[3] != "-")
        status = Text(f" {disagreements} of {len(rows)} criteria disagree · {done} moderated "
                      f"({moderation_state(done, len(rows))})", style="dim")
        if self.moderator in reviewers:
            status.append(" · you scored this plan: your moderation is recorded as by one of its reviewers", style="bold yellow")
        self.query_one("#moderation-status", Static).update(status)
        self._compare()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._compare()

    def _compare(self) -> None:
        """The criterion under the cursor: each reviewer's grade, note and evidence, side by side."""
        cid = self._selected_criterion()
        if cid is None or self.current is None:
            return
        c = self.rubric.criterion(cid)
        question = Text(no_wrap=False)
        question.append(f"{cid} ", style="bold")
        question.append(printable(c.question))
        m = mod_store.moderations_for(self.db, self.current, self.rubric).get(cid)
        if m:
            question.append(f"\nAgreed {'N/A' if m.not_applicable else m.grade} by {one_line(m.moderator)}: ", style="bold")
            question.append(printable(m.reason))
        self.query_one("#moderation-question", Static).update(question)
        box = self.query_one("#moderation-compare", Horizontal)
        box.remove_children()
        columns = []
        for a in self._audits(self.current):
            j = a.judgement(cid)
            body = Text()
            body.append(f"{one_line(a.reviewer)}: {_grade(j)}", style="bold")
            if j.grade is not None:
                body.append(f" {self.rubric.label(j.grade)}", style="bold")
            body.append("\n")
            body.append(printable(j.note) or "no note", style="" if j.note else "dim")
            for e in a.evidence_for(cid):
                body.append(f"\np{e.page_number or '?'} ", style="bold")
                body.append(f"“{printable(e.quote)}”")
            columns.append(VerticalScroll(Static(body), classes="moderation-reviewer"))
        box.mount_all(columns)

    def _selected_criterion(self) -> str | None:
        return cursor_key(self.query_one(DataTable))

    def _record(self, grade: int | None) -> None:
        cid = self._selected_criterion()
        if cid is None or self.current is None:
            return
        plan_id = self.current
        problem = self.rubric.grade_problem(cid, grade)
        if problem:
            self.notify(problem + ("; give it a grade" if grade is None else ""), severity="error")  # before asking why
            return
        label = "N/A" if grade is None else f"{grade} {self.rubric.label(grade)}"
        scored = self.moderator in {a.reviewer for a in self._audits(plan_id)}

        def reasoned(reason: str | None) -> None:
            if reason is None:
                return
            try:
                mod_store.moderate(self.db, plan_id, self.rubric, cid, grade, reason, self.moderator)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.load_plan(plan_id, keep=cid)
            self._fill_plans()
            self.notify(f"{cid}: agreed {label}")

        help_text = "enter accept · escape cancel"
        if scored:
            help_text = "you scored this plan: this is recorded with the moderation · " + help_text
        self.app.push_screen(PromptModal(f"Why is {cid} {label}?", "reason (kept with the moderated grade)",
                                         help_text=help_text), reasoned)

    def action_agree(self, grade: int) -> None:
        self._record(grade)

    def action_agree_na(self) -> None:
        self._record(None)

    def action_back(self) -> None:
        self.dismiss(None)
