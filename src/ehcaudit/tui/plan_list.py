"""The first screen: the plans, filtered and searched, with this reviewer's audit status."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from ehcaudit.output.safe import one_line
from ehcaudit.sections.plan_warnings import NEEDS_A_LOOK
from ehcaudit.store import audits as audit_store
from ehcaudit.store import plans as plan_store
from ehcaudit.store import rounds as round_store
from ehcaudit.tui.round_marks import assignment_header, mine_first, status_cell
from ehcaudit.output.words import plural
from ehcaudit.tui.screen_base import EhcauditScreen, int_key

STATUS_LABELS = {None: "not started", "in_progress": "in progress", "submitted": "submitted"}
STATUS_STYLE = {None: "dim", "in_progress": "bold yellow", "submitted": "bold green"}


_TOKEN = re.compile(r"[a-z]+|\d+")


def _tokens(text: str) -> str:
    """Words and numbers only, numbers without leading zeros: "Plan-07" and "plan7" both read "plan 7"."""
    return " ".join(t.lstrip("0") or "0" if t.isdigit() else t for t in _TOKEN.findall(text.lower()))


def rank_labels(query: str, labels: list[str]) -> list[int]:
    """Indices of the labels that match the search, best match first (ties keep list order).

    The same label written with or without a dash or a leading zero is an exact match; a
    substring comes next; then labels close enough to forgive a typing mistake.
    """
    q = _tokens(query)
    if not q:
        return list(range(len(labels)))
    from rapidfuzz import fuzz  # loaded at the first search, not at every start

    raw = query.strip().lower()
    scored = []
    for i, label in enumerate(labels):
        t = _tokens(label)
        if t == q:
            score = 300.0
        elif raw and raw in label.lower() or f" {q} " in f" {t} " or t.startswith(q + " "):
            score = 200.0 + fuzz.ratio(q, t) / 100
        else:
            score = max(fuzz.ratio(q, t), fuzz.partial_ratio(q, t) - 5)
            if score < 80:
                continue
        scored.append((-score, i))
    if any(score <= -200 for score, _ in scored):
        scored = [(score, i) for score, i in scored if score <= -200]  # the near-misses only when nothing matches
    return [i for _, i in sorted(scored)]


def _states_line(states: plan_store.SectionStates) -> Text:
    """Absent, heading only, says none: three different things, the last in the plan's own words."""
    out = Text()
    if states.absent:
        which = "section" if len(states.absent) == 1 else "sections"
        out.append(f" · {which} {' '.join(states.absent)} not found in this plan", style="yellow")
    if states.empty:
        out.append(f" · heading only: {' '.join(states.empty)}", style="yellow")
    if states.says_none:
        said = ", ".join(f"{c} “{words[:40]}”" for c, words in states.says_none.items())
        out.append(" · " + one_line(f"says none: {said}"), style="dim")  # one_line would take the space off
    return out


class PlanListScreen(EhcauditScreen[None]):
    """The plans, with this reviewer's audit status."""

    HELP_TITLE = "Plan list"
    BINDINGS = [
        Binding("enter", "open_plan", "Audit", tooltip="Audit the plan under the cursor", id="plans.open", priority=False),
        Binding("slash", "focus_search", "Search", id="plans.search"),
        Binding("f", "focus_filters", "Filter", id="plans.filter"),
        Binding("i", "import_plans", "Import", id="plans.import"),
        Binding("s", "summary", "Summary", id="plans.summary"),
        Binding("M", "moderation", "Moderate", id="plans.moderation"),
        Binding("R", "replay", "Replay", show=False, tooltip="Replay a submitted audit (training)", id="plans.replay"),
        Binding("C", "calibration", "Calibrate", show=False, tooltip="Calibration sessions (training)", id="plans.calibration"),
        Binding("P", "progress", "Audit round progress", show=False, id="plans.progress"),
        Binding("D", "draw_sample", "Draw a sample", show=False, id="plans.sample"),
        Binding("ctrl+r", "app.change_reviewer", "Reviewer name", show=False, id="plans.reviewer"),
        Binding("r", "refresh", "Refresh", show=False, id="plans.refresh"),
        Binding("escape", "focus_table", "Back to list", show=False, id="plans.focus_table"),
    ]

    def __init__(self, db, reviewer: str):
        super().__init__()
        self.db = db
        self.reviewer = reviewer
        self.plans: list[plan_store.PlanRow] = []
        self.statuses: dict[int, str] = {}
        self._shown = 0
        self.assigned: dict[int, tuple] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="plans-header")
        with Horizontal(id="plan-filters"):
            yield Input(placeholder="/ search plans by label", id="plan-search")
            yield Select([], prompt="All cohorts", id="cohort-filter", allow_blank=True)
            yield Select(
                [("Not started", "none"), ("In progress", "in_progress"), ("Submitted", "submitted")],
                prompt="Any status", id="status-filter", allow_blank=True,
            )
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="plans-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Plan", "Cohort", "Pages", "Sections", "Warnings", "Phase", "Status")
        self.load()
        table.focus()

    def load(self) -> None:
        self.plans = plan_store.list_plans(self.db)
        self.statuses = audit_store.statuses_for(self.db, self.reviewer)
        self.assigned = round_store.open_assignments_for(self.db, self.reviewer)
        self.plans = mine_first(self.plans, self.assigned, self.statuses)
        cohorts = sorted({p.cohort for p in self.plans if p.cohort}, reverse=True)
        select = self.query_one("#cohort-filter", Select)
        current = select.value
        select.set_options([(c, c) for c in cohorts])
        if current in cohorts:
            select.value = current
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        query = self.query_one("#plan-search", Input).value
        cohort = self.query_one("#cohort-filter", Select).value
        status = self.query_one("#status-filter", Select).value
        keep_row = table.cursor_row
        order = rank_labels(query, [p.label for p in self.plans])
        table.clear()
        shown = 0
        for p in (self.plans[i] for i in order):
            st = self.statuses.get(p.id)
            if cohort not in (Select.NULL, None) and p.cohort != cohort:
                continue
            if status not in (Select.NULL, None) and (st or "none") != status:
                continue
            warnings = Text()
            if p.redaction_warning:
                warnings.append("UNREDACTED ", style="bold red")
            if any(w.kind in NEEDS_A_LOOK for w in p.warnings):
                warnings.append("check sections ", style="bold yellow")
            warnings.append(f"{len(p.warnings)}" if p.warnings else "-")
            table.add_row(
                # Text, never a plain str: DataTable reads a str as markup, and a cohort or phase comes
                # from a CSV ("[link=...]2026-11[/link]" would show as a link).
                Text(one_line(p.label), style="bold"),
                Text(one_line(p.cohort or "-")),
                str(p.page_count) if p.has_pdf else "no PDF",
                f"{len(p.section_codes)}/12",
                warnings,
                Text(one_line(p.metadata.get("phase") or "-")),
                status_cell(Text(STATUS_LABELS[st], style=STATUS_STYLE[st]), p.id, self.assigned, st),
                key=str(p.id),
            )
            shown += 1
        if shown:
            table.move_cursor(row=min(keep_row, shown - 1))
        done = sum(1 for p in self.plans if self.statuses.get(p.id) == "submitted")
        header = Text()
        header.append(" ehcaudit ", style="bold reverse")
        header.append(f"  reviewer {self.reviewer} · {plural(len(self.plans), 'plan')} · {done} submitted by you" + assignment_header(self.assigned, self.statuses))
        self.query_one("#plans-header", Static).update(header)
        self._shown = shown
        self.show_status()

    def show_status(self) -> None:
        """The count of plans shown, or what the redaction check found in the highlighted plan."""
        plan = self._highlighted()
        if plan is not None and plan.redaction_warning:
            line = Text(" ⚠ ", style="bold red")
            line.append(one_line(f"{plan.label}: {plan.redaction_warning}"), style="red")
        elif self.plans:
            line = Text(f" {self._shown} of {plural(len(self.plans), 'plan')} shown", style="dim")
            if plan is not None:
                line.append(_states_line(plan_store.section_states(self.db, plan.id)))
        else:
            line = Text(" No plans yet: press i to import a folder of PDFs, or run `ehcaudit demo`.", style="dim")
        self.query_one("#plans-status", Static).update(line)

    def _highlighted(self) -> plan_store.PlanRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self.plans if str(p.id) == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_status()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_plan(int_key(event.row_key.value))

    def action_open_plan(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.open_plan(int_key(key.value))

    def open_plan(self, plan_id: int) -> None:
        self.ehc.open_audit(plan_id)

    def action_focus_search(self) -> None:
        self.query_one("#plan-search", Input).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#cohort-filter", Select).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_table":  # escape from the search or a filter; on the list itself it has nothing to do
            return not isinstance(self.focused, DataTable)
        return True

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        self.load()

    def action_summary(self) -> None:
        from ehcaudit.tui.summary_screen import SummaryScreen

        self.app.push_screen(SummaryScreen(self.db, self.ehc.rubric))

    def action_moderation(self) -> None:
        from ehcaudit.tui.moderation_screen import ModerationScreen

        self.app.push_screen(ModerationScreen(self.db, self.ehc.rubric, self.reviewer), lambda _: self.load())

    def action_replay(self) -> None:
        from ehcaudit.tui.replay_screen import ReplayScreen

        self.app.push_screen(ReplayScreen(self.db, self.ehc.rubric))

    def action_calibration(self) -> None:
        from ehcaudit.tui.calibration_screen import CalibrationScreen

        self.app.push_screen(CalibrationScreen(self.db, self.ehc.rubric, self.reviewer), lambda _: self.load())

    def action_import_plans(self) -> None:
        from ehcaudit.tui.import_screen import ImportScreen

        self.app.push_screen(ImportScreen(self.db), lambda _: self.load())

    def action_progress(self) -> None:
        from ehcaudit.tui.progress_screen import ProgressScreen

        self.app.push_screen(ProgressScreen(self.db, self.reviewer), lambda _: self.load())

    def action_draw_sample(self) -> None:
        from ehcaudit.tui.progress_screen import ProgressScreen
        from ehcaudit.tui.round_forms import sample_modal

        def drawn(round_id) -> None:
            if round_id:
                self.app.push_screen(ProgressScreen(self.db, self.reviewer, round_id), lambda _: self.load())

        self.app.push_screen(sample_modal(self.db, self.reviewer, self.ehc.rubric.id), drawn)
