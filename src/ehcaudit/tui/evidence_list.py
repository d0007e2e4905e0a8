"""The note and the kept evidence of one criterion, each quote with its page; edit or delete (logged, undoable)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.errors import EhcauditError
from ehcaudit.store import audits as audit_store
from ehcaudit.tui.modals import Dialog, NoteModal
from ehcaudit.tui.widgets.lists import cursor_key, refill_options

NOTE = "note"


class EvidenceListModal(Dialog[None]):
    """Everything kept for a criterion; changes go straight to the store, one event each."""

    DIALOG_ID = "evidence-dialog"

    BINDINGS = [
        Binding("e,enter", "edit", "Edit", id="evidence.edit"),
        Binding("d,delete", "delete", "Delete", id="evidence.delete"),
        Binding("m", "note", "Note", id="evidence.note"),
        Binding("u,ctrl+z", "undo", "Undo", id="evidence.undo"),
        Binding("escape,l,q", "close", "Close", id="evidence.close"),
    ]

    def __init__(self, db, audit_id: int, criterion_id: str, reviewer: str):
        super().__init__(f"Note and evidence for {criterion_id}",
                         "↑↓ move · e/Enter edit · d delete · m note · u undo · escape close")
        self.db = db
        self.audit_id = audit_id
        self.criterion_id = criterion_id
        self.reviewer = reviewer

    def body(self) -> ComposeResult:
        yield OptionList(id="evidence-list")
        yield Static("", id="evidence-status")

    def on_mount(self) -> None:
        self.load()
        self.query_one(OptionList).focus()

    def load(self, keep: int | None = None) -> None:
        audit = audit_store.load_audit(self.db, self.audit_id)
        self.submitted = audit.submitted
        note = audit.judgement(self.criterion_id).note
        options = [Option(Text.assemble(("Note: ", "bold"), (note, "") if note else ("none; m writes one", "dim")), id=NOTE)]
        for e in audit.evidence_for(self.criterion_id):
            where = f"page {e.page_number}" if e.page_number else "page ?"
            prompt = Text.assemble((f"{where:<8}", "bold"), (f"{e.section_code or '?':<3} ", "dim"), "“", e.quote, "”")
            options.append(Option(prompt, id=str(e.id)))
        if len(options) == 1:
            options.append(Option(Text("No evidence kept yet: select lines with space, then e.", style="dim"), id="none", disabled=True))
        refill_options(self.query_one(OptionList), options)

    def _chosen(self) -> str | None:
        return cursor_key(self.query_one(OptionList))

    def _say(self, message: str, error: bool = False) -> None:
        self.query_one("#evidence-status", Static).update(Text(message, style="bold red" if error else "dim"))

    def _write(self, write, done: str) -> None:
        try:
            write()
        except EhcauditError as exc:
            self._say(str(exc), error=True)
            return
        self.load()
        self._say(done)

    def action_edit(self) -> None:
        chosen = self._chosen()
        if chosen == NOTE:
            self.action_note()
            return
        if chosen in (None, "none"):
            return
        audit = audit_store.load_audit(self.db, self.audit_id)
        item = next((e for e in audit.evidence if e.id == int(chosen)), None)
        if item is None:
            return

        def edited(text: str | None) -> None:
            if text is not None:
                self._write(lambda: audit_store.edit_evidence(self.db, self.audit_id, item.id, text, self.reviewer),
                            f"quote from page {item.page_number or '?'} edited (u undoes)")

        self.app.push_screen(NoteModal(f"Edit the quote from page {item.page_number or '?'}", item.quote), edited)

    def action_delete(self) -> None:
        chosen = self._chosen()
        if chosen in (None, NOTE, "none"):
            return
        self._write(lambda: audit_store.delete_evidence(self.db, self.audit_id, int(chosen), self.reviewer),
                    "quote deleted (u puts it back)")

    def action_note(self) -> None:
        audit = audit_store.load_audit(self.db, self.audit_id)

        def saved(text: str | None) -> None:
            if text is not None:
                self._write(lambda: audit_store.set_note(self.db, self.audit_id, self.criterion_id, text, self.reviewer), "note saved")

        self.app.push_screen(NoteModal(f"Note for {self.criterion_id}", audit.judgement(self.criterion_id).note), saved)

    def action_undo(self) -> None:
        result: list[str | None] = []
        self._write(lambda: result.append(audit_store.undo(self.db, self.audit_id, self.reviewer)), "")
        self._say(result[0] if result and result[0] else "nothing to undo")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_close(self) -> None:
        self.dismiss(None)
