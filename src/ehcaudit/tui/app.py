"""The ehcaudit Textual app: screens, themes, command palette, remappable keys."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from ehcaudit import config
from ehcaudit.errors import EhcauditError
from ehcaudit.store.db import explain
from ehcaudit.output.safe import printable
from ehcaudit.tui.keys import bound, key_display
from ehcaudit.tui.plan_list import PlanListScreen
from ehcaudit.tui.safety import install as install_screen_safety

if TYPE_CHECKING:
    from ehcaudit.rubric import Rubric

install_screen_safety()  # no control character in any drawn text reaches the terminal

HIGH_CONTRAST = Theme(
    name="ehcaudit-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)


@cache
def _set_aside_loaded_objects() -> None:
    """Once per process: hide what is loaded by now (the modules, classes and constants of Python, Textual
    and ehcaudit, which live as long as the app) from the garbage collector, which never finds garbage there.

    Otherwise the first full collection walks them all while the plan list is first drawn (about 25 ms
    of the cold start), and every later full collection walks them again, a pause under some keypress.
    """
    gc.freeze()


class EhcauditApp(App):
    """Audit EHC plans: plan list -> audit screen -> submit."""

    TITLE = "ehcaudit"
    CSS_PATH = "ehcaudit.tcss"
    NOTIFICATION_TIMEOUT = 4  # seconds: a confirmation is read at a glance, and goes before it is in the way
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_contrast", "High contrast", show=False, id="app.contrast"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True),
    ]

    def __init__(self, db, reviewer: str | None = None, rubric: Rubric | None = None,
                 start: str = "plans", start_audit: int | None = None, hide_grades: bool = False,
                 remember_reviewer: bool = True):
        _set_aside_loaded_objects()
        super().__init__()
        self.remember_reviewer = remember_reviewer  # the demo: a name changed with ctrl+r is for this session only
        self.start = start
        self.start_audit = start_audit
        self.hide_grades = hide_grades  # replay --hide-grades
        self.db = db
        # A --reviewer name is for this run only; a name is remembered only when the user sets it here.
        self.reviewer = reviewer or config.saved_reviewer()
        self._rubric = rubric  # the bundled default is read when a screen first asks for it (not at start)
        self.register_theme(HIGH_CONTRAST)
        theme = config.saved_theme()
        if theme and theme in self.available_themes:
            self.theme = theme
        from ehcaudit.tui.keys import config_remaps

        # A remap naming no action, or a key Textual never sends, is a line at start; its action keeps its key.
        self.key_remaps, self.config_problems = config_remaps()
        if self.key_remaps:
            self.set_keymap(self.key_remaps)

    @property
    def rubric(self) -> Rubric:
        """The rubric audits are scored against: the one given, else the bundled default."""
        if self._rubric is None:
            from ehcaudit.rubric import resolve_rubric

            self._rubric = resolve_rubric(None)
        return self._rubric

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification shows its text as written: plan labels and names are never markup or escapes."""
        if not markup:
            message, title = printable(message), printable(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        for problem in self.config_problems:
            self.notify(problem, severity="warning", timeout=15)
        for warning in getattr(self.db, "warnings", []):
            self.notify(warning, severity="warning", timeout=15)
        if self.reviewer:
            self._start(self.reviewer)
        else:
            self.push_screen(PlanListScreen(self.db, "?"))
            self.ask_reviewer()

    def _start(self, reviewer: str, switch: bool = False) -> None:
        plans = PlanListScreen(self.db, reviewer)
        self.switch_screen(plans) if switch else self.push_screen(plans)
        if self.start == "replay":
            from ehcaudit.tui.replay_screen import ReplayScreen

            self.push_screen(ReplayScreen(self.db, self.rubric, self.start_audit, viewer=reviewer, hide_grades=self.hide_grades))

    def ask_reviewer(self) -> None:
        """First run: ask who is reviewing, and remember the name they give."""
        from ehcaudit.tui.modals import PromptModal

        def named(name: str | None) -> None:
            if not name:
                self.exit(message="ehcaudit needs a reviewer name; run it again, or pass --reviewer NAME")
                return
            try:
                name = config.remember_reviewer(name)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                self.ask_reviewer()
                return
            self.reviewer = name
            self._start(name, switch=True)

        self.push_screen(
            PromptModal("Who is reviewing?", "your name, as it should appear on audits",
                        help_text="remembered for next time · change it later with ctrl+r on the plan list"),
            named,
        )

    def action_change_reviewer(self) -> None:
        """Settings: change (and remember) the reviewer name audits are signed with."""
        if not isinstance(self.screen, PlanListScreen):
            self.notify("go back to the plan list to change the reviewer name", severity="warning")
            return
        from ehcaudit.tui.modals import PromptModal

        def named(name: str | None) -> None:
            if not name or name == self.reviewer:
                return
            try:
                name = config.remember_reviewer(name) if self.remember_reviewer else config.check_reviewer_name(name)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.reviewer = name
            if isinstance(self.screen, PlanListScreen):
                self.screen.reviewer = name
                self.screen.load()
            self.notify(f"reviewing as {name} from now on" if self.remember_reviewer
                        else f"reviewing as {name} for this demo only; your saved name is unchanged")

        saves = ("enter saves it for next time" if self.remember_reviewer
                 else "enter: for this demo only (saved name kept)")  # whole at 80 columns
        self.push_screen(
            PromptModal("Reviewer name", "your name, as it should appear on audits", value=self.reviewer or "",
                        help_text=f"{saves} · escape: no change"),
            named,
        )

    def open_audit(self, plan_id: int) -> None:
        from ehcaudit.tui.audit_screen import AuditScreen  # imported when first needed: a quicker cold start

        assert self.reviewer, "the plan list (which opens audits) shows only once a reviewer is named"

        try:
            from ehcaudit.tui.round_forms import rubric_for

            screen = AuditScreen(self.db, plan_id, self.reviewer, rubric_for(self.db, plan_id, self.reviewer, self.rubric))
        except EhcauditError as exc:
            self.notify(str(exc), severity="error")
            return
        except sqlite3.Error as exc:  # a damaged database
            self.notify(str(explain(exc, getattr(self.db, "path", "the database"))), severity="error")
            return

        def closed(_status) -> None:
            if isinstance(self.screen, PlanListScreen):
                self.screen.load()

        self.push_screen(screen, closed)

    def action_help(self) -> None:
        from ehcaudit.tui.help_screen import HelpScreen

        sections = []
        screen = self.screen
        if hasattr(screen, "help_bindings") and hasattr(screen, "HELP_TITLE"):
            from ehcaudit.tui.widgets.plan_view import PlanView

            sections.append((screen.HELP_TITLE, screen.help_bindings()))
            if screen.query(PlanView):  # the plan text's keys only where there is plan text
                sections.append(("Plan text", list(PlanView.BINDINGS) + [
                    Binding("enter", "", "Keep the paragraph as evidence (asks first)"),
                    Binding("up,down,pageup,pagedown", "", "Move through the plan"),
                    Binding("tab", "", "Switch between the plan and the criterion panel")]))
        elif hasattr(screen, "HELP_TITLE"):
            sections.append((screen.HELP_TITLE, list(screen.BINDINGS)))
        sections.append(("Everywhere", list(self.BINDINGS) + [Binding("ctrl+p", "", "Command palette: every action by name")]))
        # What is really bound: the config file's remaps replace a binding's keys.
        self.push_screen(HelpScreen([(title, bound(list(bindings), self.key_remaps)) for title, bindings in sections]))

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name
        try:
            config.remember_theme(self.theme)
        except EhcauditError as exc:
            self.notify(str(exc), severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every described binding of the current screen, by name.
        seen = set()
        for binding in getattr(screen, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            action = binding.action
            destination, name, params = parse_action(action)
            if not destination and not screen.check_action(name, params):
                continue  # it would do nothing here (the plan list's "Back to list" while on the list)
            keys = self.key_remaps.get(binding.id or "", binding.key)
            yield SystemCommand(binding.tooltip or binding.description, f"key: {key_display(keys)}", lambda a=action: screen.run_action(a))
        yield SystemCommand("High contrast theme", "toggle a high-contrast theme (ctrl+t)", self.action_toggle_contrast)
        yield SystemCommand("Help: all keys", "show every key (?)", self.action_help)
