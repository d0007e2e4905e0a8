"""Every key, per screen, from the bindings themselves (so it can never drift)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ehcaudit.tui.keys import key_display


def bindings_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, padding=(0, 2))
    table.add_column("Keys", style="bold", no_wrap=True)
    table.add_column("Action")
    seen = set()
    for b in bindings:
        if not b.description or (b.action, b.description) in seen:
            continue
        seen.add((b.action, b.description))
        table.add_row(key_display(b.key), b.tooltip or b.description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static(Text("Keys (remap them under [keys] in the config file; ctrl+p finds any action by name)", style="bold"))
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings))
            yield Static(Text("escape closes this help", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
