"""Following an audit round: per reviewer assigned / in progress / submitted / overdue, and what the round still needs."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ehcaudit.output.words import plural
from ehcaudit.errors import EhcauditError
from ehcaudit.rounds.progress import progress_lines, round_progress
from ehcaudit.rounds.text import plain
from ehcaudit.store import rounds as round_store
from ehcaudit.tui.modals import PickModal
from ehcaudit.tui.screen_base import EhcauditScreen, int_key
from ehcaudit.tui.widgets.lists import cursor_key
from ehcaudit.tui.widgets.header_bar import HeaderBar

STATUS_STYLE = {"not_started": "dim", "in_progress": "bold yellow", "submitted": "bold green"}
SHORT = {"not_started": "to do", "in_progress": "started", "submitted": "done"}
REFRESH_SECONDS = 5.0


class ProgressScreen(EhcauditScreen[None]):
    """One round's progress, refreshed every few seconds while reviewers work."""

    CSS_PATH = "rounds.tcss"
    HELP_TITLE = "Audit round progress"
    BINDINGS = [
        Binding("d", "draw_sample", "Draw sample", id="progress.sample"),
        Binding("a", "assign", "Assign", id="progress.assign"),
        Binding("o", "choose_round", "Other audit round", id="progress.round"),
        Binding("enter", "open_plan", "Audit plan", show=False, id="progress.open"),
        Binding("r", "refresh", "Refresh", show=False, id="progress.refresh"),
        Binding("escape,q", "back", "Plans", id="progress.back"),
    ]

    def __init__(self, db, reviewer: str, round_id: int | None = None):
        super().__init__()
        self.db = db
        self.reviewer = reviewer
        self.round_id = round_id
        self.progress: dict | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="progress-header")
        yield Static(id="progress-summary")
        yield DataTable(id="progress-reviewers", cursor_type="none", zebra_stripes=True)
        yield DataTable(id="progress-plans", cursor_type="row", zebra_stripes=True)
        yield Static(id="progress-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress-reviewers", DataTable).add_columns(
            "Reviewer", "Assigned", "Not started", "In progress", "Submitted", "Overdue")
        self.query_one("#progress-plans", DataTable).add_columns("Plan", "Stratum", "2x", "Reviews")
        self.load()
        self.query_one("#progress-plans", DataTable).focus()
        self.set_interval(REFRESH_SECONDS, self.load)

    def load(self) -> None:
        header = self.query_one(HeaderBar)
        me = (f"as {self.reviewer}", "bold", 0)
        try:
            self.progress = p = round_progress(self.db, self.round_id)
        except EhcauditError:
            self.progress = None
            header.show("Audit round progress", [me, ("no audit round yet", "", 1)])
            self.query_one("#progress-summary", Static).update(Text(
                "Press d to draw a random sample of plans for a new audit round, then a to share it among reviewers.",
                style="dim"))
            return
        self.round_id = p["round"]["id"]
        header.show("Audit round progress", [me, (f"audit round {p['round']['id']}", "", 1),
                                             (plain(p["round"]["name"]), "", 2),
                                             (f"updated every {REFRESH_SECONDS:g}s", "dim", 4)])
        self.query_one("#progress-summary", Static).update(Text("\n".join(plain(x) for x in progress_lines(p)[:2])))
        reviewers = self.query_one("#progress-reviewers", DataTable)
        reviewers.clear()
        for r in p["reviewers"]:
            reviewers.add_row(Text(plain(r["reviewer"]), style="bold" if r["reviewer"] == self.reviewer else ""),
                              str(r["assigned"]), str(r["not_started"]), str(r["in_progress"]), str(r["submitted"]),
                              Text(str(r["overdue"]), style="bold red" if r["overdue"] else ""))
        plans = self.query_one("#progress-plans", DataTable)
        keep = plans.cursor_row
        plans.clear()
        by_plan: dict[int, list[dict]] = {}
        for a in p["assignments"]:
            by_plan.setdefault(a["plan_id"], []).append(a)
        for rp in round_store.round_plans(self.db, self.round_id):
            reviews = Text()
            for i, a in enumerate(sorted(by_plan.get(rp.plan_id, []), key=lambda a: a["review"])):
                if i:
                    reviews.append("  ")
                style = "bold red" if a["overdue"] else STATUS_STYLE[a["status"]]
                word = "LATE" if a["overdue"] else SHORT[a["status"]]
                reviews.append(f"{plain(a['reviewer'])}: {word}", style=style)
            if not by_plan.get(rp.plan_id):
                reviews.append("not assigned", style="dim")
            stratum = plain(rp.stratum) or "-"
            stratum = stratum if len(stratum) <= 20 else stratum[:19] + "…"  # the reviews must fit 80 columns
            plans.add_row(Text(plain(rp.label), style="bold"), Text(stratum), "yes" if rp.double else "",
                          reviews, key=str(rp.plan_id))
        if plans.row_count:
            plans.move_cursor(row=min(keep, plans.row_count - 1))
        need = len(p["need_second_review"]), len(p["need_moderation"])
        if not p["plans"]:
            status = " this audit round has no plans: d draws a new sample"
        elif not p["reviews_assigned"]:
            status = f" seed {p['round']['seed']} · nothing assigned yet: a shares the plans among reviewers"
        else:
            status = (f" seed {p['round']['seed']} · {need[0] or 'none'} to review a 2nd time · "
                      f"{need[1] or 'none'} to moderate" + (" (M on the plan list)" if need[1] else ""))
        self.query_one("#progress-status", Static).update(Text(status, style="dim", no_wrap=True, overflow="ellipsis"))

    def action_refresh(self) -> None:
        self.load()

    def action_draw_sample(self) -> None:
        from ehcaudit.tui.round_forms import sample_modal

        def drawn(round_id) -> None:
            if round_id:
                self.round_id = round_id
                self.load()
                self.notify(f"audit round {round_id} drawn (seed {self.progress['round']['seed'] if self.progress else '?'}); "
                            "press a to assign it")

        self.app.push_screen(sample_modal(self.db, self.reviewer, self.ehc.rubric.id), drawn)

    def action_assign(self) -> None:
        from ehcaudit.tui.round_forms import assign_modal

        if self.round_id is None:
            self.notify("draw a sample first (d)", severity="error")
            return

        def assigned(count) -> None:
            if count:
                self.load()
                self.notify(f"{plural(count, 'review')} assigned, due {self.progress['round']['due'] if self.progress else ''}")

        self.app.push_screen(assign_modal(self.db, self.round_id, self.reviewer), assigned)

    def action_choose_round(self) -> None:
        rounds = round_store.list_rounds(self.db)
        if not rounds:
            self.notify("no audit rounds yet: press d to draw a sample", severity="error")
            return
        choices = [(str(r.id), f"{r.id:>3}  {plain(r.name)[:30]:<30} {r.size:>3} plans  due {r.due or '-'}") for r in rounds]

        def chosen(key: str | None) -> None:
            if key:
                self.round_id = int(key)
                self.load()

        self.app.push_screen(PickModal("Which audit round?", choices, str(self.round_id), search=True), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "progress-plans":
            self.ehc.open_audit(int_key(event.row_key.value))

    def action_open_plan(self) -> None:
        key = cursor_key(self.query_one("#progress-plans", DataTable))
        if key is not None:
            self.ehc.open_audit(int(key))

    def action_back(self) -> None:
        self.dismiss(None)
