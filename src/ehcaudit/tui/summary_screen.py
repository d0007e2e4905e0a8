"""The manager's view: quality and consistency across the sample, computed in a worker."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, LoadingIndicator, Static, TabbedContent, TabPane

from ehcaudit.errors import EhcauditError
from ehcaudit.output.files import write_private
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import one_line
from ehcaudit.store import open_db
from ehcaudit.store.summary_rows import known_cohorts
from ehcaudit.summary.compute import BREAKDOWNS, build_summary
from ehcaudit.summary.data import load_sample
from ehcaudit.summary.render import render, write_xlsx
from ehcaudit.summary.board_paper import findings
from ehcaudit.summary.shape import Summary
from ehcaudit.summary.tables import summary_tables
from ehcaudit.tui.modals import ask_and_write
from ehcaudit.tui.widgets.fitted_table import fitted_table
from ehcaudit.tui.widgets.charts import alpha_chart, distribution_chart, grade_key
from ehcaudit.tui.screen_base import EhcauditScreen
from ehcaudit.tui.widgets.header_bar import HeaderBar


class SummaryScreen(EhcauditScreen[None]):
    """Quality and consistency across the sample."""

    HELP_TITLE = "Summary"
    _TABS = Binding.Group("Tab", compact=True)
    BINDINGS = [
        # Priority: the tab's scrolling body has focus (so the arrows and PageDown scroll at once), and would
        # otherwise take left and right for sideways scrolling it never needs.
        Binding("left", "switch_tab(-1)", "Previous tab", priority=True, group=_TABS, id="summary.tab_previous"),
        Binding("right", "switch_tab(1)", "Next tab", priority=True, group=_TABS, id="summary.tab_next"),
        Binding("c", "cycle_cohort", "Cohort", id="summary.cohort"),
        Binding("b", "cycle_breakdown", "Breakdown", id="summary.breakdown"),
        Binding("u", "cycle_rule", "Unmoderated", id="summary.rule"),
        Binding("x", "export", "Export", show=False, id="summary.export"),  # the header says "x export": room for w
        Binding("w", "more_figures", "More figures", id="summary.figures"),
        Binding("r", "refresh", "Recompute", show=False, id="summary.refresh"),
        Binding("escape,q", "back", "Back", id="summary.back"),
    ]

    def __init__(self, db, rubric: Rubric):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.cohorts = known_cohorts(db)[::-1]  # newest first
        self.cohort: str | None = None
        self.breakdown = "phase"
        self.rule = "mean"  # how unmoderated criteria of double-scored plans are graded (u cycles)
        self.summary: Summary | None = None
        self.figures = 0  # which page of each table's columns is shown, when they do not all fit (w turns it)
        self._pages = 1  # the most pages any table has at this width
        self._tab_pages: dict[str, int] = {}  # the same, per tab: the footer offers w only where it turns something

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="summary-header")
        yield LoadingIndicator(id="summary-loading")
        with TabbedContent(id="summary-tabs"):
            with TabPane("Quality", id="tab-quality"):
                yield VerticalScroll(Static(id="quality-body"))
            with TabPane("Consistency", id="tab-consistency"):
                yield VerticalScroll(Static(id="consistency-body"))
            with TabPane("Breakdown", id="tab-breakdown"):
                yield VerticalScroll(Static(id="breakdown-body"))
            with TabPane("Reviewers", id="tab-reviewers"):
                yield VerticalScroll(Static(id="reviewers-body"))
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.compute()
        self._focus_tab()

    def _active_tab(self) -> str:
        return self.query_one("#summary-tabs", TabbedContent).active

    def _focus_tab(self) -> None:
        """Focus the active tab's scrolling body, so the arrow keys and PageUp/PageDown scroll it straight away."""
        active = self._active_tab()
        if active:
            self.query_one(f"#{active}", TabPane).query_one(VerticalScroll).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._focus_tab()
        self.refresh_bindings()

    def action_switch_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab, wrapping round."""
        tabs = self.query_one("#summary-tabs", TabbedContent)
        ids = [pane.id for pane in tabs.query(TabPane) if pane.id]
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "more_figures":
            return self._tab_pages.get(self._active_tab(), 1) > 1
        return True

    def _header(self) -> None:
        lead = f" ({one_line(self._lead() or '')})" if self.rule == "lead" else ""
        self.query_one(HeaderBar).show("Summary", [
            (f"cohort {self.cohort or 'all'} (c)", "", 0), (f"by {self.breakdown} (b)", "", 2),
            (f"unmoderated: {self.rule}{lead} (u)", "", 1), ("x export", "dim", 4)])

    def compute(self) -> None:
        self._header()
        self.query_one("#summary-loading").display = True
        self.run_summary(self.cohort, self.breakdown, self.rule, self._lead())

    @work(thread=True, exclusive=True)
    def run_summary(self, cohort: str | None, breakdown: str, rule: str = "mean", lead: str | None = None) -> None:
        # Thousands of audits take a moment: never on the screen's thread, and on a connection of its own.
        try:
            db = open_db(self.db.path)
            data = load_sample(db, self.rubric.id, [cohort] if cohort else None)
            result = build_summary(self.rubric, data, [breakdown], [cohort] if cohort else None, rule=rule, lead=lead)
            db.conn.close()
        except EhcauditError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, result)

    def on_resize(self) -> None:
        if self.summary is not None:
            self.show(self.summary)

    def _table(self, t, tab: str) -> RenderableType:
        table, pages = fitted_table(t, max(20, self.size.width - 2), self.figures)  # 2: the scroll bar
        self._pages = max(self._pages, pages)
        self._tab_pages[tab] = max(self._tab_pages.get(tab, 1), pages)
        return table

    def show(self, s: Summary) -> None:
        self.summary = s
        self._pages = 1
        self._tab_pages = {}
        self.query_one("#summary-loading").display = False
        tables = {t.name: t for t in summary_tables(s)}
        q = s["quality"]
        dist_rows = [("Overall", q["overall"]["distribution"])] + [(a["title"], a["distribution"]) for a in q["areas"]]
        bar = max(12, min(40, self.size.width - 40))
        self.query_one("#quality-body", Static).update(Group(
            Text("\n\n".join(findings(s))), Text(""), Text("Grades by area", style="bold"),
            distribution_chart(dist_rows, s["scale"], bar), grade_key(s["scale"]), Text(""),
            self._table(tables["criteria"], "tab-quality"), self._table(tables["trend"], "tab-quality"),
            # Actions agreed after audits (ehcaudit.rounds), when there are any.
            *[self._table(t, "tab-quality") for name, t in tables.items() if name.startswith(("actions", "reaudits"))],
        ))
        c = s["consistency"]
        # The overall and per-area agreement first: whether the grades can be trusted is the question asked here.
        self.query_one("#consistency-body", Static).update(Group(
            Text(f"Plans scored by two or more reviewers: {c['plans_scored_by_two_or_more']}", style="bold"), Text(""),
            self._table(tables["consistency"], "tab-consistency"), Text(""),
            Text("Krippendorff's alpha (ordinal) by criterion", style="bold"),
            alpha_chart([(x["id"], x["alpha_ordinal"], x["pairs"]) for x in c["criteria"]], bar), Text(""),
            self._table(tables["agreement-criteria"], "tab-consistency"),
        ))
        by = next((t for name, t in tables.items() if name.startswith("by-")), None)
        rows = s["breakdowns"].get(self.breakdown, [])
        self.query_one("#breakdown-body", Static).update(Group(
            Text(f"Overall grades by {self.breakdown}", style="bold"),
            distribution_chart([(r["group"], r["overall"]["distribution"]) for r in rows], s["scale"], bar),
            grade_key(s["scale"]), Text(""),
            *( [self._table(by, "tab-breakdown")] if by else [] ),
        ))
        self.query_one("#reviewers-body", Static).update(Group(self._table(tables["reviewers"], "tab-reviewers"), Text(
            "A positive difference means the reviewer grades more generously than the moderated grade "
            "(or than the other reviewers of the same plans).", style="dim")))
        self.refresh_bindings()

    def action_more_figures(self) -> None:
        """Turn every table that is too wide for the screen to its next page of figures."""
        if self.summary is None:
            return
        if self._pages < 2:
            self.notify("every figure is already in view")
            return
        self.figures = (self.figures + 1) % self._pages
        self.show(self.summary)

    def action_cycle_cohort(self) -> None:
        options = [None, *self.cohorts]
        self.cohort = options[(options.index(self.cohort) + 1) % len(options)]
        self.compute()

    def action_cycle_breakdown(self) -> None:
        self.breakdown = BREAKDOWNS[(BREAKDOWNS.index(self.breakdown) + 1) % len(BREAKDOWNS)]
        self.compute()

    def _lead(self) -> str | None:
        return self.ehc.reviewer if self.rule == "lead" else None

    def action_cycle_rule(self) -> None:
        rules = ["mean", "first"] + (["lead"] if self.ehc.reviewer else [])
        self.rule = rules[(rules.index(self.rule) + 1) % len(rules)] if self.rule in rules else "mean"
        self.compute()

    def action_refresh(self) -> None:
        self.compute()

    def action_export(self) -> None:
        def write(path: Path) -> str | None:
            fmt = {".json": "json", ".csv": "csv", ".md": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".txt": "table"}.get(path.suffix.lower())
            if fmt is None:
                return "end the file name with .html, .md, .xlsx, .csv, .json or .txt"
            if self.summary is None:
                return "the summary is still being computed; try again in a moment"
            if fmt == "xlsx":
                write_xlsx(self.summary, path)
            else:
                write_private(path, render(self.summary, fmt))
            return None

        ask_and_write(self, "Export the summary to a file", "e.g. board-paper.html (.html .md .xlsx .csv .json .txt)", write,
                      what="the summary")

    def action_back(self) -> None:
        self.dismiss(None)
