"""Small dialogs: note, text prompt, pick from a list, confirm; asking where to save a file.

Every dialog (these, the forms in form_modal.py, the actions and evidence lists) is a Dialog: a title,
its own widgets, one help line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ehcaudit.output.safe import one_line, printable


ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A titled box: title, the widgets of `body()`, one help line; `cancel` closes it with None."""

    DIALOG_CLASSES = "dialog"
    DIALOG_ID: str | None = None

    def __init__(self, title: str, help_text: str = ""):
        super().__init__()
        self.title_text = title
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.DIALOG_CLASSES, id=self.DIALOG_ID):
            yield Label(Text(printable(self.title_text)), classes="dialog-title")
            yield from self.body()
            yield Label(Text(self.help_text), classes="dialog-help")

    def body(self) -> ComposeResult:
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteModal(Dialog[str | None]):
    """Edit a note; ctrl+s saves, escape cancels.

    With `on_draft`, the text is handed over as it is typed (debounced), so a killed terminal keeps it.
    """

    DRAFT_DELAY = 0.3  # seconds of quiet before the draft is saved

    BINDINGS = [
        # Priority: handled the moment it arrives, before keys typed after it reach the note.
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, text: str, on_draft: Callable[[str], None] | None = None, restored: bool = False):
        help_text = "ctrl+s save · escape cancel"
        super().__init__(title, "an unsaved draft was restored · " + help_text if restored else help_text)
        self.text = text
        self.on_draft = on_draft
        self.restored = restored
        self._draft_timer: Timer | None = None
        self._finished = False

    def body(self) -> ComposeResult:
        yield TextArea(self.text, id="note-text", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.on_draft is None or self._finished:
            return
        if self._draft_timer is not None:
            self._draft_timer.reset()  # still typing: wait for the next pause
        else:
            self._draft_timer = self.set_timer(self.DRAFT_DELAY, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        if self.on_draft is not None and not self._finished:
            self.on_draft(self.query_one(TextArea).text)

    def _finish(self, result: str | None) -> None:
        if self._finished:
            return
        self._finished = True  # a draft timer still pending now does nothing
        area = self.query_one(TextArea)
        area.read_only = True  # keys already on their way to it change nothing
        self.dismiss(result)

    def on_key(self, event) -> None:
        # Keys typed straight after ctrl+s were already on their way to the note: once it is saved (read-only),
        # they reach here instead and go on to the audit screen, so a grade key grades.
        if self._finished:
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))

    def action_save(self) -> None:
        self._finish(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self._finish(None)


class PromptModal(Dialog[str | None]):
    """Ask for one line of text; enter accepts, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "", help_text: str = "enter accept · escape cancel"):
        super().__init__(title, help_text)
        self.placeholder = placeholder
        self.value = value

    def body(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


def ask_and_write(screen: Screen, title: str, placeholder: str, write: Callable[[Path], str | None],
                  what: str = "the file", value: str = "") -> None:
    """Ask for a file name, ask before replacing a file that is there, then write it; the line after names the
    full path. A refusal or an unwritable path is one line on screen.

    `write` writes the file (output.files.write_private: all or nothing, owner only), or returns why it will not
    (e.g. an unknown suffix).
    """
    from ehcaudit.output.files import wrote

    def write_now(path: Path) -> None:
        try:
            refusal = write(path)
        except OSError as exc:
            screen.notify(f"{path}: cannot write ({exc.strerror}); choose another folder", severity="error")
            return
        if refusal:
            screen.notify(refusal, severity="error")
        else:
            screen.notify(wrote(what, path), timeout=10)

    def chosen(name: str | None) -> None:
        if not name:
            return
        path = Path(name).expanduser().absolute()
        if not path.is_file():
            write_now(path)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                write_now(path)
            else:
                screen.notify(f"{path} kept as it was; nothing written")

        screen.app.push_screen(ConfirmModal(f"Replace {path.name}?", Text(f"{path} is already there. Replace it with {what}?"),
                                            yes_label="y: replace it", no_label="n / escape: keep it"), replace)

    screen.app.push_screen(PromptModal(title, placeholder, value=value), chosen)


class PickModal(Dialog[str | None]):
    """Choose one of a list; enter picks, escape cancels, a choice's key jumps to it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None, search: bool = False):
        # Codes (criteria, sections) jump by their key; anything else (plans) by the words of its label.
        typing = "type to search" if search else "type a code to jump"
        super().__init__(title, f"↑↓ move · enter choose · {typing} · escape cancel")
        self.choices = choices
        self.current = current
        self.search = search

    def body(self) -> ComposeResult:
        yield OptionList(*[Option(Text(one_line(label)), id=key) for key, label in self.choices], id="pick-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        keys = [k for k, _ in self.choices]
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        self._typed = ""

    def _search(self, event) -> None:
        """Highlight the first choice whose label holds what has been typed; backspace takes a character back."""
        if event.key == "backspace":
            self._typed = self._typed[:-1]
        elif event.character and event.character.isprintable() and not event.character.isspace():
            self._typed += event.character.lower()
        else:
            return
        event.stop()
        labels = [one_line(label).lower() for _, label in self.choices]
        for typed in (self._typed, self._typed[-1:]):  # nothing holds it: start again from the last character
            found = next((i for i, label in enumerate(labels) if typed and typed in label), None)
            if found is not None:
                self._typed = typed
                self.query_one(OptionList).highlighted = found
                return

    def on_key(self, event) -> None:
        if self.search:
            self._search(event)
            return
        if event.character and event.character.isalnum():
            self._typed = (self._typed + event.character.upper())[-3:]
            keys = [k.upper() for k, _ in self.choices]
            for length in (3, 2, 1):
                prefix = self._typed[-length:]
                if prefix in keys:
                    self.query_one(OptionList).highlighted = keys.index(prefix)
                    event.stop()
                    return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ConfirmModal(Dialog[bool]):
    """Show a summary and ask yes or no."""

    BINDINGS = [
        Binding("y,enter", "yes", "Confirm", id="confirm.yes"),
        Binding("n,escape", "no", "Cancel", id="confirm.no"),
    ]

    def __init__(self, title: str, body, yes_label: str = "y / enter: confirm", no_label: str = "n / escape: go back"):
        super().__init__(title, f"{yes_label} · {no_label}")
        self.message = body
        self.yes_label = yes_label
        self.no_label = no_label

    def body(self) -> ComposeResult:
        yield Static(self.message, id="confirm-body")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
