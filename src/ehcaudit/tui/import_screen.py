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
from textual.widgets import Input, Label, ProgressBar, RichLog

from ehcaudit.errors import EhcauditError
from ehcaudit.ingest.importer import collect_pdfs, default_jobs, import_files, read_metadata, shown
from ehcaudit.ingest.pool import DEFAULT_TIMEOUT
from ehcaudit.output.safe import one_line, printable
from ehcaudit.store import open_db


class ImportScreen(ModalScreen[int]):
    """Path, cohort and metadata CSV, one field after another; Enter in the last field (or ctrl+s) starts."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start import", id="import.start"),
        Binding("escape", "close", "Close", id="import.close"),
    ]
    FIELDS = ("#import-path", "#import-cohort", "#import-meta")

    def __init__(self, db, cohort: str | None = None, timeout: float | None = DEFAULT_TIMEOUT):
        super().__init__()
        self.db = db
        self.timeout = timeout
        self.running = False
        self.imported = 0
        self.cohort = cohort

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-dialog"):
            who = getattr(self.app, "reviewer", None)
            yield Label("Import plan PDFs" + (f" · as {one_line(who)}" if who else ""), classes="dialog-title")
            yield Label("Folder or PDF file")
            yield Input(placeholder="e.g. ~/audits/2026-11", id="import-path", compact=True)
            yield Label("Cohort (the sample's month, e.g. 2026-11)")
            yield Input(value=self.cohort or "", placeholder="e.g. 2026-11 (optional)", id="import-cohort", compact=True)
            yield Label("Metadata CSV: phase, need, setting, team by file name")
            yield Input(placeholder="e.g. ~/audits/2026-11/sample.csv (optional)", id="import-meta", compact=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield RichLog(id="import-log", highlight=False, markup=False, wrap=True, min_width=20)
            yield Label("", id="import-current")  # the file being read, then the totals: after the files' lines
            yield Label("Enter next field (in the last: start) · ctrl+s start · escape close", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False  # shown once an import runs (an idle bar only pulses)
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f[1:] for f in self.FIELDS]
        at = ids.index(event.input.id) if event.input.id in ids else len(ids) - 1
        if at + 1 < len(ids):
            self.query_one(self.FIELDS[at + 1], Input).focus()  # Enter moves on; it never starts early
        else:
            self.action_start()

    def _say(self, line: str) -> None:
        self.query_one(RichLog).write(Text(printable(line)))

    def action_start(self) -> None:
        if self.running:
            return
        # Each run's log on its own: lines left from the run before would read as this one's.
        self.query_one(RichLog).clear()
        self.query_one("#import-current", Label).update("")
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self._say("give a folder or a PDF file first")
            self.query_one("#import-path", Input).focus()
            return
        path = Path(raw).expanduser()
        metadata = None
        meta_raw = self.query_one("#import-meta", Input).value.strip()
        if meta_raw:
            try:
                metadata = read_metadata(Path(meta_raw).expanduser())
            except EhcauditError as exc:
                self._say(str(exc))
                self.query_one("#import-meta", Input).focus()
                return
        files, problems = collect_pdfs([path])
        for line in problems:
            self._say(line)
        if not files:
            if not problems:
                self._say(f"{shown(path)}: no PDF files found there")
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=len(files), progress=0)
        bar.display = True
        self.running = True
        self.run_import(files, problems, self.query_one("#import-cohort", Input).value.strip() or None, metadata)

    @work(thread=True, exclusive=True)
    def run_import(self, files: list[Path], skipped: list[str], cohort: str | None, metadata: dict | None = None) -> None:
        # A connection of its own: SQLite connections are not shared across threads here.
        try:
            db = open_db(self.db.path)
            worker = get_current_worker()
            # The files found above, not the folder again: a second walk could find a different set.
            report = import_files(db, files, skipped, cohort=cohort, metadata=metadata, timeout=self.timeout, jobs=default_jobs(),
                                  stop=lambda: worker.is_cancelled,  # the app is closing: stop reading
                                  progress=lambda p: None if worker.is_cancelled else self.app.call_from_thread(self._advance, p))
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
        for line in lines:
            self._say(line)
        # The result once, under the files' lines.
        self.query_one("#import-current", Label).update(Text(one_line(summary), style="bold"))
        self.running = False

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.imported)
        else:
            self.notify("the import is still running; it will finish in a moment")
