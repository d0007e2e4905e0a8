"""Calibration sessions: start one on a reference audit, join as a trainee, and compare as the trainer."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.calibration_pack import build_pack, pack_html, pack_markdown
from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.store import calibration as cal_store
from ehcaudit.tui.modals import PickModal, PromptModal, ask_and_write
from ehcaudit.words import plural

CLOSENESS_STYLE = {"exact": "bold green", "adjacent": "yellow", "2+ apart": "bold red", "n/a": "dim"}


class CalibrationScreen(Screen):
    """Calibration sessions for trainers and trainees."""

    HELP_TITLE = "Calibration"
    BINDINGS = [
        Binding("enter", "join", "Grade as trainee", id="calibration.join"),
        Binding("N", "new_session", "New session", id="calibration.new"),
        Binding("v", "view", "Trainer's view", id="calibration.view"),
        Binding("x", "export", "Export pack", id="calibration.export"),
        Binding("escape,q", "back", "Back", id="calibration.back"),
    ]

    def __init__(self, db, rubric: Rubric, user: str):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.user = user

    def compose(self) -> ComposeResult:
        yield Static(id="calibration-header")
        with Horizontal(id="calibration-body"):
            yield OptionList(id="calibration-sessions")
            yield VerticalScroll(Static(id="calibration-detail"), id="calibration-side")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append(" Calibration ", style="bold reverse")
        header.append(f"  {self.user} · Enter grades the plan blind, as a trainee")
        self.query_one("#calibration-header", Static).update(header)
        self.load()

    def load(self, keep: int | None = None) -> None:
        sessions = cal_store.list_sessions(self.db)
        options = self.query_one(OptionList)
        options.clear_options()
        for s in sessions:
            options.add_option(Option(f"{s.name}\n  plan {s.plan_label} · trainer {s.trainer}", id=str(s.id)))
        if sessions:
            ids = [s.id for s in sessions]
            options.highlighted = ids.index(keep) if keep in ids else 0
            options.focus()
        else:
            self.query_one("#calibration-detail", Static).update(Text(
                "No sessions yet. Press N, choose a submitted audit as the reference, and name the session.", style="dim"))

    def _session_id(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return int(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.action_view()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_join()

    def action_new_session(self) -> None:
        audits = [a for a in cal_store.submitted_audits(self.db) if a["kind"] == "review"]
        if not audits:
            self.notify("no submitted audits yet: a reference must be a submitted audit", severity="error")
            return
        choices = [(str(a["id"]), f"{a['id']:>4} {a['plan']:<12} {a['reviewer']:<18}{' (reference)' if a['is_reference'] else ''}")
                   for a in audits]

        def reference_chosen(audit_id: str | None) -> None:
            if not audit_id:
                return

            def named(name: str | None) -> None:
                if not name:
                    return
                try:
                    sid = cal_store.start_session(self.db, name, int(audit_id), self.user)
                except EhcauditError as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.load(keep=sid)
                self.notify(f"session '{name}' started")

            self.app.push_screen(PromptModal("Name the session", "e.g. November induction"), named)

        self.app.push_screen(PickModal("Choose the reference audit", choices), reference_chosen)

    def action_join(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        from ehcaudit.tui.audit_screen import AuditScreen

        session = cal_store.get_session(self.db, sid)
        audit = cal_store.open_training_audit(self.db, sid, self.user, self.rubric)
        self.app.push_screen(AuditScreen(self.db, session.plan_id, self.user, self.rubric, audit=audit), lambda _: self.action_view())

    def action_view(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        pack = build_pack(self.db, sid, self.rubric)
        self.query_one("#calibration-detail", Static).update(trainer_view(pack))

    def action_export(self) -> None:
        sid = self._session_id()
        if sid is None:
            return

        def write(path: Path) -> None:
            pack = build_pack(self.db, sid, self.rubric)
            text = pack_html(pack) if path.suffix.lower() in (".html", ".htm") else pack_markdown(pack)
            path.write_text(text, encoding="utf-8")

        ask_and_write(self, "Export the session pack", "e.g. session.html or session.md", write)

    def action_back(self) -> None:
        self.dismiss(None)


def trainer_view(pack: dict) -> Group:
    """Per criterion: the reference against every trainee; then a line per trainee."""
    s = pack["session"]
    alpha = pack["alpha_ordinal_group"]
    head = Text()
    head.append(f"{s['name']}", style="bold")
    head.append(f" · plan {s['plan']} · reference by {s['reference_reviewer']} · {plural(pack['trainees'], 'trainee')} submitted\n")
    head.append(f"Group alpha (ordinal): {'-' if alpha is None else alpha} ({pack['alpha_reading']}) · with the reference: "
                f"{'-' if pack['alpha_ordinal_with_reference'] is None else pack['alpha_ordinal_with_reference']}")
    names = [p["trainee"] for p in pack["people"]]
    table = Table(header_style="bold", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Criterion")
    table.add_column("Ref")
    for n in names:
        table.add_column(n)
    table.add_column("Spread")
    for c in pack["criteria"]:
        ref = "N/A" if c["reference_na"] else ("-" if c["reference"] is None else str(c["reference"]))
        cells = []
        for n in names:
            g = c["grades"].get(n)
            cells.append(Text("-" if g is None else str(g), style=CLOSENESS_STYLE[c["closeness"].get(n, "n/a")]))
        table.add_row(c["id"], ref, *cells, "-" if c["spread"] is None else str(c["spread"]))
    people = Table(title="Per trainee", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("Trainee", "Exact %", "Adjacent %", "Mean diff", "2+ apart on"):
        people.add_column(col)
    for p in pack["people"]:
        people.add_row(p["trainee"], str(p["exact_pct"]), str(p["adjacent_pct"]), str(p["mean_difference"]),
                       ", ".join(p["two_or_more_apart"]) or "-")
    key = Text("green exact · yellow adjacent · red two or more apart", style="dim")
    return Group(head, Text(""), table, key, Text(""), people)
