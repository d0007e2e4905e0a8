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
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.training.scoring import alpha_text
from ehcaudit.training.session_pack import build_pack, pack_html, pack_markdown
from ehcaudit.errors import EhcauditError
from ehcaudit.output.files import write_private
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import one_line
from ehcaudit.store import audits as audit_store
from ehcaudit.store import calibration as cal_store
from ehcaudit.tui.modals import ConfirmModal, PickModal, PromptModal, ask_and_write
from ehcaudit.tui.widgets.lists import cursor_key, refill_options
from ehcaudit.tui.widgets.header_bar import HeaderBar
from ehcaudit.output.words import plural
from ehcaudit.training.shape import Pack
from ehcaudit.tui.screen_base import EhcauditScreen

REFERENCE_KINDS = [
    ("review", "A real review of the sample: held back from the summary while the session is blind, counted again once revealed"),
    ("training", "Written for training (an answer key): never counted in the summary, moderation or scores export"),
]
CLOSENESS_STYLE = {"exact": "bold green", "adjacent": "yellow", "2+ apart": "bold red", "N/A against a grade": "bold red", "n/a": "dim"}


class CalibrationScreen(EhcauditScreen[None]):
    """Calibration sessions for trainers and trainees."""

    HELP_TITLE = "Calibration"
    BINDINGS = [
        Binding("enter", "join", "Grade", tooltip="Grade the plan as a trainee", id="calibration.join"),
        Binding("N", "new_session", "New", tooltip="New session", id="calibration.new"),
        Binding("v", "view", "Compare", tooltip="Trainer's view: the reference against every trainee", id="calibration.view"),
        Binding("r", "reveal", "Reveal", tooltip="Reveal the grades to the trainees", id="calibration.reveal"),
        Binding("x", "export", "Export", tooltip="Export the session pack", id="calibration.export"),
        Binding("escape,q", "back", "Back", id="calibration.back"),
    ]

    def __init__(self, db, rubric: Rubric, user: str):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.user = user

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="calibration-header")
        with Horizontal(id="calibration-body"):
            yield OptionList(id="calibration-sessions")
            yield VerticalScroll(Static(id="calibration-detail"), id="calibration-side")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._header(None)
        self.load()

    def _header(self, session: cal_store.Session | None) -> None:
        """Who is signing, and what the highlighted session is: blind until its trainer reveals it."""
        parts = [(f"as {self.user}", "bold", 0)]
        if session is not None:
            parts.append((session.name, "", 3))
            if session.revealed:
                parts += [("revealed", "bold green", 1), ("Enter grades the plan as a trainee", "dim", 4)]
            else:
                parts.append(("blind", "bold yellow", 1))
                parts.append(("r reveals (trainer)" if self.user == session.trainer else "Enter grades the plan blind",
                              "dim", 4))
        self.query_one(HeaderBar).show("Calibration", parts)

    def load(self, keep: int | None = None) -> None:
        sessions = cal_store.list_sessions(self.db)
        options = self.query_one(OptionList)
        refill_options(options, [Option(Text(f"{one_line(s.name)}\n  plan {one_line(s.plan_label)} · trainer {one_line(s.trainer)}"),
                                        id=str(s.id)) for s in sessions], keep=None if keep is None else str(keep))
        if sessions:
            options.focus()
        else:
            self.query_one("#calibration-detail", Static).update(Text(
                "No sessions yet. Press N, choose a submitted audit as the reference, and name the session.", style="dim"))

    def _session_id(self) -> int | None:
        key = cursor_key(self.query_one(OptionList))
        return None if key is None else int(key)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.action_view()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_join()

    def action_new_session(self) -> None:
        audits = [a for a in audit_store.submitted_audits(self.db, self.user) if a["kind"] == "review"]
        if not audits:
            self.notify("no submitted audits yet: a reference must be a submitted audit", severity="error")
            return
        choices = [(str(a["id"]), f"{a['id']:>4} {a['plan']:<12} {a['reviewer']:<18}{' (reference)' if a['is_reference'] else ''}")
                   for a in audits]

        def reference_chosen(audit_id: str | None) -> None:
            if not audit_id:
                return

            def kind_chosen(kind: str | None) -> None:
                if not kind:
                    return

                def named(name: str | None) -> None:
                    if not name:
                        return
                    try:
                        sid = cal_store.start_session(self.db, name, int(audit_id), self.user, for_training=kind == "training")
                    except EhcauditError as exc:
                        self.notify(str(exc), severity="error")
                        return
                    self.load(keep=sid)
                    self.notify(f"session '{name}' started; {cal_store.reference_words(self.db, int(audit_id))}", timeout=10)

                self.app.push_screen(PromptModal("Name the session", "e.g. November induction"), named)

            # A real review must not vanish from the figures unannounced; an answer key must not count as a review.
            self.app.push_screen(PickModal(f"What is audit {audit_id}?", REFERENCE_KINDS, search=True,
                                           current="training" if cal_store.written_for_training(self.db, int(audit_id)) else "review"),
                                 kind_chosen)

        self.app.push_screen(PickModal("Choose the reference audit", choices, search=True), reference_chosen)

    def action_join(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        from ehcaudit.tui.audit_screen import AuditScreen

        session = cal_store.get_session(self.db, sid)
        rubric = self._rubric(sid)
        audit = cal_store.open_training_audit(self.db, sid, self.user, rubric)
        self.app.push_screen(AuditScreen(self.db, session.plan_id, self.user, rubric, audit=audit), lambda _: self.action_view())

    def _rubric(self, session_id: int) -> Rubric:
        # The session's own rubric (its reference was scored against it), as `ehcaudit calibrate report` uses.
        return cal_store.session_rubric(self.db, session_id) or self.rubric

    def action_view(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        session = cal_store.get_session(self.db, sid)
        self._header(session)
        detail = self.query_one("#calibration-detail", Static)
        if not session.visible_to(self.user):
            detail.update(blind_view(session, len(cal_store.submitted_trainees(self.db, sid))))
            return
        view = trainer_view(build_pack(self.db, sid, self._rubric(sid)))
        if not session.revealed:
            view = Group(Text("Not revealed yet: only you, the trainer, see this. r reveals it to the trainees.\n",
                              style="bold yellow"), view)
        detail.update(view)

    def action_reveal(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        session = cal_store.get_session(self.db, sid)
        if session.revealed:
            self.notify("this session's grades are already revealed")
            return
        if self.user != session.trainer:
            self.notify(f"only the session's trainer ({session.trainer}) can reveal its grades", severity="error")
            return
        done = len(cal_store.submitted_trainees(self.db, sid))

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                cal_store.reveal_session(self.db, sid, self.user)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.action_view()
            self.notify(f"grades of '{session.name}' revealed")

        body = Text(f"{done} trainee{'s have' if done != 1 else ' has'} submitted. Everyone will see the reference "
                    "and every trainee's grades; trainees who have not submitted will see them too.")
        self.app.push_screen(ConfirmModal(f"Reveal the grades of '{session.name}'?", body), confirmed)

    def action_export(self) -> None:
        sid = self._session_id()
        if sid is None:
            return
        if not cal_store.get_session(self.db, sid).visible_to(self.user):
            self.notify("the session is still blind: its trainer reveals the grades (r) before the pack can be exported",
                        severity="error")
            return

        def write(path: Path) -> None:
            pack = build_pack(self.db, sid, self._rubric(sid))
            text = pack_html(pack) if path.suffix.lower() in (".html", ".htm") else pack_markdown(pack)
            write_private(path, text)

        ask_and_write(self, "Export the session pack", "e.g. session.html or session.md", write, what="the session pack")

    def action_back(self) -> None:
        self.dismiss(None)


def blind_view(session: cal_store.Session, submitted: int) -> Text:
    """What a trainee sees of a session before the trainer reveals it: no grade of anyone's."""
    text = Text()
    text.append(one_line(session.name), style="bold")
    text.append(f" · plan {one_line(session.plan_label)} · trainer {one_line(session.trainer)}\n\n")
    text.append("Blind: the reference grades and every trainee's grades stay hidden until the trainer reveals them.\n")
    text.append(f"{submitted} trainee{'s have' if submitted != 1 else ' has'} submitted so far.\n\n")
    text.append("enter: grade the plan as a trainee", style="dim")
    return text


def trainer_view(pack: Pack) -> Group:
    """Per criterion: the reference against every trainee; then a line per trainee."""
    s = pack["session"]
    head = Text()
    head.append(one_line(s["name"]), style="bold")
    head.append(f" · plan {one_line(s['plan'])} · reference by {one_line(s['reference_reviewer'])} · {plural(pack['trainees'], 'trainee')} submitted\n")
    head.append(f"Group alpha (ordinal): {alpha_text(pack['group_alpha'])} · with the reference: "
                f"{alpha_text(pack['with_reference_alpha'])}\n")
    head.append(pack["alpha_note"], style="dim")
    names = [p["trainee"] for p in pack["people"]]
    table = Table(header_style="bold", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Criterion")
    table.add_column("Ref")
    for n in names:
        table.add_column(Text(one_line(n)))
    table.add_column("Spread")
    for c in pack["criteria"]:
        ref = "N/A" if c["reference_na"] else ("-" if c["reference"] is None else str(c["reference"]))
        cells = []
        for n in names:
            g = c["grades"].get(n)
            cells.append(Text("-" if g is None else str(g), style=CLOSENESS_STYLE[c["closeness"].get(n, "n/a")]))
        table.add_row(Text(c["id"]), Text(ref), *cells, Text("-" if c["spread"] is None else str(c["spread"])))
    people = Table(title="Per trainee", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("Trainee", "Exact %", "Adjacent %", "Mean diff", "2+ apart on"):
        people.add_column(col)
    for p in pack["people"]:
        people.add_row(*[Text(one_line(v)) for v in (p["trainee"], p["exact_pct"], p["adjacent_pct"], p["mean_difference"],
                                                      ", ".join(p["two_or_more_apart"] + p["na_against_grade"]) or "-")])
    key = Text("green exact · yellow adjacent · red two or more apart", style="dim")
    return Group(head, Text(""), table, key, Text(""), people)
