"""A small keyboard form: labelled one-line fields, enter moves on, ctrl+s saves, a bad value is one line in red."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ehcaudit.errors import EhcauditError
from ehcaudit.tui.modals import Dialog


@dataclass
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: list[tuple[str, str]] | None = None  # (shown, value): a Select instead of an Input
    allow_blank: bool = False
    hint: str = ""
    extra: dict = field(default_factory=dict)


class FormSelect(Select[str], inherit_bindings=False):
    """A form's drop-down: enter moves to the next field like every other field; space or ↓ opens the list.

    (Textual's Select opens its list on enter too, which hid the next field and swallowed what was typed next.)
    """

    BINDINGS = [
        Binding("enter", "next_field", "Next field", show=False),
        Binding("space,down", "show_overlay", "Open the list", show=False),
    ]

    class Submitted(Message):
        def __init__(self, select: FormSelect) -> None:
            super().__init__()
            self.select = select

    def action_next_field(self) -> None:
        self.post_message(self.Submitted(self))


class FormModal(Dialog):
    """Fill in fields; `submit(values)` does the work and returns what to dismiss with, raising EhcauditError on bad input."""

    CSS_PATH = "rounds.tcss"
    DIALOG_CLASSES = "dialog form-dialog"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict[str, str]], object], intro: str = "",
                 save_label: str = "ctrl+s save"):
        lists = " · space opens a list" if any(f.options is not None for f in fields) else ""
        super().__init__(title, f"enter next field{lists} · {save_label} · escape cancel")
        self.fields = fields
        self.submit = submit
        self.intro = intro
        self.save_label = save_label

    def body(self) -> ComposeResult:
        if self.intro:
            yield Static(Text(self.intro), classes="form-intro")
        for f in self.fields:
            with Horizontal(classes="form-row"):
                yield Label(f.label, classes="form-label")
                if f.options is not None:
                    yield FormSelect([(Text(shown), value) for shown, value in f.options], id=f"field-{f.key}", compact=True,
                                     allow_blank=f.allow_blank, value=f.value if f.value else Select.NULL)
                else:
                    yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.key}", compact=True)
            if f.hint:
                yield Label(f.hint, classes="form-hint")
        yield Static(id="form-error")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].key}").focus()

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            if isinstance(widget, Select):
                out[f.key] = "" if widget.value in (Select.NULL, None) else str(widget.value)
            else:
                assert isinstance(widget, Input)  # a field is a Select or an Input (compose)
                out[f.key] = widget.value.strip()
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._next_field(event.input)

    def on_form_select_submitted(self, event: FormSelect.Submitted) -> None:
        event.stop()
        self._next_field(event.select)

    def _next_field(self, widget: Input | Select[str]) -> None:
        """Enter on any field moves to the next one; on the last, it saves."""
        fields = [w for w in self.query("Input, Select") if w.id and w.id.startswith("field-")]
        if widget is fields[-1]:
            self.action_save()
        else:
            fields[fields.index(widget) + 1].focus()

    def action_save(self) -> None:
        try:
            result = self.submit(self.values())
        except EhcauditError as exc:
            self.query_one("#form-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(result)
