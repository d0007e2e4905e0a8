"""The ehcaudit Textual app: screens, themes, command palette, remappable keys."""

from __future__ import annotations

from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from ehcaudit import config
from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric, resolve_rubric
from ehcaudit.tui.help_screen import HelpScreen
from ehcaudit.tui.keys import key_display
from ehcaudit.tui.modals import PromptModal
from ehcaudit.tui.plan_list import PlanListScreen

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


class EhcauditApp(App):
    """Audit EHC plans: plan list -> audit screen -> submit."""

    TITLE = "ehcaudit"
    CSS_PATH = "ehcaudit.tcss"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_contrast", "High contrast", show=False, id="app.contrast"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True),
    ]

    def __init__(self, db, reviewer: str | None = None, rubric: Rubric | None = None,
                 start: str = "plans", start_audit: int | None = None):
        super().__init__()
        self.start = start
        self.start_audit = start_audit
        self.db = db
        self.reviewer = reviewer or config.saved_reviewer()
        self.rubric = rubric or resolve_rubric(None)
        self.register_theme(HIGH_CONTRAST)
        cfg = config.load_config()
        theme = cfg.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        keys = cfg.get("keys")
        if isinstance(keys, dict):
            self.set_keymap({k: v for k, v in keys.items() if isinstance(v, str)})

    def on_mount(self) -> None:
        if self.reviewer:
            self._start(self.reviewer)
        else:
            self.push_screen(PlanListScreen(self.db, "?"))
            self.ask_reviewer()

    def _start(self, reviewer: str, switch: bool = False) -> None:
        config.save_config({"reviewer": reviewer})
        plans = PlanListScreen(self.db, reviewer)
        self.switch_screen(plans) if switch else self.push_screen(plans)
        if self.start == "replay":
            from ehcaudit.tui.replay_screen import ReplayScreen

            self.push_screen(ReplayScreen(self.db, self.rubric, self.start_audit))

    def ask_reviewer(self) -> None:
        def named(name: str | None) -> None:
            if not name:
                self.exit(message="ehcaudit needs a reviewer name; run it again, or pass --reviewer NAME")
                return
            self.reviewer = name
            self._start(name, switch=True)

        self.push_screen(
            PromptModal("Who is reviewing?", "your name, as it should appear on audits",
                        help_text="remembered for next time · --reviewer overrides"),
            named,
        )

    def open_audit(self, plan_id: int) -> None:
        from ehcaudit.tui.audit_screen import AuditScreen  # imported when first needed: a quicker cold start

        try:
            screen = AuditScreen(self.db, plan_id, self.reviewer, self.rubric)
        except EhcauditError as exc:
            self.notify(str(exc), severity="error")
            return

        def closed(_status) -> None:
            if isinstance(self.screen, PlanListScreen):
                self.screen.load()

        self.push_screen(screen, closed)

    def action_help(self) -> None:
        sections = []
        screen = self.screen
        if hasattr(screen, "help_bindings"):
            from ehcaudit.tui.widgets.plan_view import PlanView

            sections.append((screen.HELP_TITLE, screen.help_bindings()))
            sections.append(("Plan text", list(PlanView.BINDINGS) + [
                Binding("enter", "", "Keep the paragraph as evidence (asks first)"),
                Binding("up,down,pageup,pagedown", "", "Move through the plan"),
                Binding("tab", "", "Switch between the plan and the criterion panel")]))
        elif hasattr(screen, "HELP_TITLE"):
            sections.append((screen.HELP_TITLE, list(screen.BINDINGS)))
        sections.append(("Everywhere", list(self.BINDINGS) + [Binding("ctrl+p", "", "Command palette: every action by name")]))
        self.push_screen(HelpScreen(sections))

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name
        config.save_config({"theme": self.theme})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every described binding of the current screen, by name.
        seen = set()
        for binding in getattr(screen, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            action = binding.action
            yield SystemCommand(binding.tooltip or binding.description, f"key: {key_display(binding.key)}", lambda a=action: screen.run_action(a))
        yield SystemCommand("High contrast theme", "toggle a high-contrast theme (ctrl+t)", self.action_toggle_contrast)
        yield SystemCommand("Help: all keys", "show every key (?)", self.action_help)
