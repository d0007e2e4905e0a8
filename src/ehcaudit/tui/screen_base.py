"""The base of ehcaudit's full screens: `self.ehc` is the running app, typed, so a screen reaches the
app's rubric, reviewer and open_audit through names a type checker knows (toolong's habit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from ehcaudit.tui.app import EhcauditApp

ResultType = TypeVar("ResultType")


class EhcauditScreen(Screen[ResultType]):
    """A full screen of the ehcaudit app."""

    @property
    def ehc(self) -> EhcauditApp:
        """The running EhcauditApp (self.app is typed as any Textual App)."""
        from ehcaudit.tui.app import EhcauditApp  # app.py imports the screens, so not at the top

        app = self.app
        assert isinstance(app, EhcauditApp), "ehcaudit screens run inside EhcauditApp"
        return app


def int_key(key: str | None) -> int:
    """The id a table row or list option was keyed by: every row and option of an id is given one."""
    if key is None:
        raise ValueError("a row or option without a key")
    return int(key)
