"""Import a folder of PDFs from inside the app, in a worker so the screen never freezes.

Each file has the same time budget as `ehcaudit import` (60 s): a stuck file is stopped and logged.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Log, ProgressBar

from ehcaudit.errors import EhcauditError
from ehcaudit.importer import collect_pdfs, default_jobs, import_plans, shown
from ehcaudit.reader_pool import DEFAULT_TIMEOUT
from ehcaudit.safe import one_line, printable
from ehcaudit.store import open_db


class ImportScreen(ModalScreen[int]):
    BINDINGS = [Binding("escape", "close", "Close", id="import.close")]

    def __init__(self, db, timeout: float | None = DEFAULT_TIMEOUT):
        super().__init__()
        self.db = db
        self.timeout = timeout
        self.running = False
        self.imported = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-dialog"):
            yield Label("Import plan PDFs", classes="dialog-title")
            yield Input(placeholder="folder or PDF file (enter to start)", id="import-path")
            yield Input(placeholder="cohort, e.g. 2026-11 (optional)", id="import-cohort")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Label("", id="import-current")
            yield Log(id="import-log", highlight=False)
            yield Label("enter start · escape close", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self.query_one("#import-path", Input).focus()
            return
        path = Path(raw).expanduser()
        files, problems = collect_pdfs([path])
        log = self.query_one(Log)
        if not files:
            for line in problems:
                log.write_line(line)  # the import's own report repeats these when there are files
            log.write_line(f"{shown(path)}: no PDF files found there")
            return
        self.query_one(ProgressBar).update(total=len(files), progress=0)
        self.running = True
        self.run_import(path, self.query_one("#import-cohort", Input).value.strip() or None)

    @work(thread=True, exclusive=True)
    def run_import(self, path: Path, cohort: str | None) -> None:
        # A connection of its own: SQLite connections are not shared across threads here.
        try:
            db = open_db(self.db.path)
            worker = get_current_worker()
            report = import_plans(db, [path], cohort=cohort, timeout=self.timeout, jobs=default_jobs(),
                                  stop=lambda: worker.is_cancelled,  # the app is closing: stop reading
                                  progress=lambda p: worker.is_cancelled or self.app.call_from_thread(self._advance, p))
            db.conn.close()
        except EhcauditError as exc:
            self.app.call_from_thread(self._finish, [str(exc)], "import stopped")
            return
        self.imported = report.imported
        if not worker.is_cancelled:
            self.app.call_from_thread(self._finish, report.lines, report.summary)

    def _advance(self, path: Path) -> None:
        self.query_one(ProgressBar).advance(1)
        self.query_one("#import-current", Label).update(Text(one_line(f"read {path.name}")))

    def _finish(self, lines: list[str], summary: str) -> None:
        log = self.query_one(Log)
        for line in lines:
            log.write_line(printable(line))  # file names and what went wrong: untrusted
        log.write_line(printable(summary))
        self.query_one("#import-current", Label).update(Text(one_line(summary)))
        self.running = False

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.imported)
        else:
            self.notify("the import is still running; it will finish in a moment")
