"""Pre-check hints on the audit screen, kept out of the screen's own module: the screen mixes this in,
mounts the panel once and asks for the hints of each criterion's sections."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.binding import Binding

from ehcaudit.checks import Hint
from ehcaudit.errors import EhcauditError
from ehcaudit.output.safe import one_line
from ehcaudit.store import hints as hint_store
from ehcaudit.tui.widgets.hints_panel import HintsPanel
from ehcaudit.tui.screen_base import EhcauditScreen
from ehcaudit.tui.widgets.plan_view import PlanView

if TYPE_CHECKING:
    from ehcaudit.store.db import Database

    from ehcaudit.rubric import Criterion
    from ehcaudit.audit.model import Audit
    from ehcaudit.store.plans import PlanRow

# Section A criteria also cover A1 and A2; H covers H1 and H2.
_FAMILY = {"A": ("A", "A1", "A2"), "H": ("H", "H1", "H2")}


def quote_pattern(quote: str) -> re.Pattern:
    """The quote in the plan text whatever its line breaks, or failing that its first words."""
    words = [re.escape(w) for w in quote.split()]
    whole = r"\s+".join(words)
    head = r"\s+".join(words[:6])
    return re.compile(f"{whole}|{head}", re.IGNORECASE)


class HintsMixin(EhcauditScreen[str | None]):
    """Adds the hints panel to the audit screen; the screen lists HINT_BINDINGS among its own
    (this class sets no BINDINGS of its own, so nothing is merged twice)."""

    if TYPE_CHECKING:  # what the audit screen provides
        db: Database
        plan: PlanRow
        reviewer: str
        audit: Audit

        @property
        def criterion(self) -> Criterion: ...

        def _status(self, message: str, error: bool = False) -> None: ...

    HINT_BINDINGS = [
        Binding("h", "next_hint", "Next hint", show=False, id="audit.next_hint"),  # the panel says "h next"
        Binding("W", "hint_wrong", "Mark hint wrong", show=False, id="audit.hint_wrong"),
    ]

    def mount_hints(self) -> None:
        self._hints: list[Hint] = []
        self._hint_index: int | None = None
        self.query_one("#criterion-extras").mount(HintsPanel(id="hints-panel"))

    def show_hints(self, sections: tuple[str, ...] | list[str]) -> None:
        """The hints for these sections (worked out again if the plan's sections were corrected)."""
        wanted = {code for s in sections for code in _FAMILY.get(s, (s,))}
        try:
            hints = hint_store.plan_hints(self.db, self.plan.id)
        except EhcauditError as exc:
            self.notify(str(exc), severity="error")
            hints = []
        self._hints = [h for h in hints if h.section in wanted]
        self._hint_index = None
        self._draw_hints()

    def _draw_hints(self) -> None:
        wrong = hint_store.wrong_quotes(self.db, self.plan.id)
        self.query_one(HintsPanel).show_hints(self._hints, self._hint_index, wrong)
        view = self.query_one(PlanView)
        marks = [(quote_pattern(h.quote), "underline yellow") for h in self._hints]
        if self._hint_index is not None:
            marks.append((quote_pattern(self._hints[self._hint_index].quote), "black on yellow"))
        view.set_marks(marks)

    def action_next_hint(self) -> None:
        if not self._hints:
            self._status("no pre-check hints for these sections")
            return
        self._hint_index = 0 if self._hint_index is None else (self._hint_index + 1) % len(self._hints)
        self._draw_hints()
        hint = self._hints[self._hint_index]
        self.query_one(PlanView).next_match(quote_pattern(hint.quote), start=0)
        # On the status line too: the compact panel at 80x24 has no room for the message.
        self._status(one_line(f"hint {self._hint_index + 1}/{len(self._hints)} ({hint.section} p{hint.page}): {hint.message}"))

    def action_hint_wrong(self) -> None:
        if self._hint_index is None:
            self._status("press h to pick a hint first", error=True)
            return
        hint = self._hints[self._hint_index]
        try:
            hint_store.mark_hint_wrong(self.db, self.plan.id, hint, self.reviewer, self.audit.id, self.criterion.id)
        except EhcauditError as exc:
            self._status(str(exc), error=True)
            return
        self._status("hint marked wrong; thank you, it is counted")
        self._draw_hints()
