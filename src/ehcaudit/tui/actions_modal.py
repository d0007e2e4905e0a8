"""Actions on a plan, from the audit screen: record what must change, mark it done, reopen it; each one logged."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ehcaudit.sections.codes import SECTION_CODES, SECTION_NAMES
from ehcaudit.errors import AuditError, EhcauditError
from ehcaudit.rounds.actions import is_late, mark_done, record_action
from ehcaudit.rounds.text import plain
from ehcaudit.rubric import Rubric
from ehcaudit.store import actions as action_store
from ehcaudit.tui.form_modal import Field, FormModal
from ehcaudit.tui.modals import Dialog, PromptModal
from ehcaudit.tui.widgets.lists import cursor_key


def _short(text: str, width: int) -> str:
    text = plain(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def new_action_form(db, plan_id: int, rubric: Rubric, actor: str, criterion_id: str | None, audit_id: int | None,
                    team: str | None) -> FormModal:
    def submit(v: dict[str, str]) -> int:
        owner = v["owner"]
        if not owner:
            raise AuditError("who owns the action? a team or a person's name")
        return record_action(db, plan_id=plan_id, what=v["what"], due=v["due"], actor=actor,
                             team=owner if v["kind"] == "team" else None, person=owner if v["kind"] == "person" else None,
                             section=v["section"] or None, criterion_id=v["criterion"] or None, rubric=rubric,
                             audit_id=audit_id)

    sections = [("no particular section", "")] + [(f"{c} {SECTION_NAMES[c]}", c) for c in SECTION_CODES]
    criteria = [("no criterion", "")] + [(f"{c.id} {c.question[:50]}", c.id) for c in rubric.criteria]
    return FormModal("Record an action on this plan", [
        Field("what", "What must change", placeholder="e.g. amend section F to quantify speech and language therapy"),
        Field("section", "Section", options=sections, value=""),
        Field("criterion", "Criterion", options=criteria, value=criterion_id or ""),
        Field("kind", "Owned by", options=[("a team", "team"), ("a person", "person")], value="team"),
        Field("owner", "Team or person", team or "", placeholder="e.g. North SEN team, or A. Khan"),
        Field("due", "Due date", "+28d", placeholder="YYYY-MM-DD, DD/MM/YYYY or +28d"),
    ], submit)


def done_form(db, action_id: int, actor: str) -> FormModal:
    def submit(v: dict[str, str]) -> bool:
        mark_done(db, action_id, v["note"], actor, v["on"] or None)
        return True

    return FormModal(f"Mark action {action_id} done", [
        Field("note", "What was done", placeholder="e.g. section F reissued with hours and who delivers"),
        Field("on", "Done on", "today", placeholder="YYYY-MM-DD or today"),
    ], submit)


class ActionsModal(Dialog[None]):
    """The plan's actions: n new, d done, o reopen, escape close."""

    CSS_PATH = "rounds.tcss"
    DIALOG_CLASSES = "dialog actions-dialog"
    HELP_TITLE = "Actions"
    BINDINGS = [
        Binding("n", "new", "New action", id="actions.new"),
        Binding("d", "done", "Mark done", id="actions.done"),
        Binding("o", "reopen", "Reopen", id="actions.reopen"),
        Binding("escape,q", "close", "Close", id="actions.close"),
    ]

    def __init__(self, db, plan, rubric: Rubric, actor: str, criterion_id: str | None = None, audit_id: int | None = None):
        super().__init__(f"Actions on {plain(plan.label)}", "n new action · d mark done · o reopen · escape close")
        self.db = db
        self.plan = plan
        self.rubric = rubric
        self.actor = actor
        self.criterion_id = criterion_id
        self.audit_id = audit_id
        self.actions: list = []

    def body(self) -> ComposeResult:
        yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="actions-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "What must change", "Sec", "Owner", "Due", "Status")
        self.load()
        table.focus()

    def load(self, keep: int | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.actions = action_store.list_actions(self.db, plan_id=self.plan.id)
        for a in self.actions:
            if a.status == "done":
                status = Text("done", style="green")
            else:
                status = Text("OVERDUE", style="bold red") if is_late(a) else Text("open", style="yellow")
            # Text, not str: a DataTable reads a str cell as markup, and these were typed by people.
            table.add_row(str(a.id), Text(_short(a.what, 23)), Text(a.section_code or "-"), Text(_short(a.owner, 12)),
                          Text(a.due), status, key=str(a.id))
        if keep is not None and self.actions:
            ids = [a.id for a in self.actions]
            if keep in ids:
                table.move_cursor(row=ids.index(keep))
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted action in full (the table is cut to fit 80 columns), and the counts."""
        counts = (f"{sum(a.status == 'open' for a in self.actions)} open · {sum(a.status == 'done' for a in self.actions)} done"
                  f" · {sum(is_late(a) for a in self.actions)} overdue")
        a = self._selected()
        if a is None:
            text = Text(" No actions yet: press n to record what must change.", style="dim")
        else:
            text = Text()
            text.append(f" {a.id}. {plain(a.what)}", style="bold")
            owner = f"{plain(a.owner)} ({a.owner_kind})"
            text.append(f"\n section {a.section_code or '-'} · {owner} · due {a.due}")
            if a.status == "done":
                text.append(f" · done {a.done_on}: {plain(a.done_note or '')}")
            text.append(f"\n {counts}", style="dim")
        self.query_one("#actions-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def _selected(self):
        key = cursor_key(self.query_one(DataTable))
        return None if key is None else next((a for a in self.actions if a.id == int(key)), None)

    def action_new(self) -> None:
        def saved(action_id) -> None:
            if action_id:
                self.load(keep=action_id)
                self.notify(f"action {action_id} recorded")

        self.app.push_screen(new_action_form(self.db, self.plan.id, self.rubric, self.actor, self.criterion_id,
                                             self.audit_id, self.plan.metadata.get("team")), saved)

    def action_done(self) -> None:
        a = self._selected()
        if a is None:
            return
        if a.status == "done":
            self.notify(f"action {a.id} is already done; o reopens it", severity="error")
            return

        def saved(ok) -> None:
            if ok:
                self.load(keep=a.id)
                self.notify(f"action {a.id} done")

        self.app.push_screen(done_form(self.db, a.id, self.actor), saved)

    def action_reopen(self) -> None:
        a = self._selected()
        if a is None:
            return

        def reason_given(reason: str | None) -> None:
            if reason is None:
                return
            try:
                if not reason.strip():
                    raise AuditError("give a reason to reopen an action")
                action_store.reopen_action(self.db, a.id, reason, self.actor)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.load(keep=a.id)
            self.notify(f"action {a.id} reopened")

        self.app.push_screen(PromptModal(f"Why reopen action {a.id}?", "reason (logged)"), reason_given)

    def action_close(self) -> None:
        self.dismiss(None)
