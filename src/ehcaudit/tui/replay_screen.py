"""Replay a submitted audit step by step: what the reviewer looked at, kept, graded and changed."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.errors import EhcauditError
from ehcaudit.sections.view_lines import ViewLine, phrase_pattern, section_lines
from ehcaudit.training.replay import ReplayState, replay_states, time_per_criterion
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import printable
from ehcaudit.store import audits as audit_store
from ehcaudit.store import plans as plan_store
from ehcaudit.store.audits import submitted_audits
from ehcaudit.store.calibration import check_visible
from ehcaudit.store.events import Action
from ehcaudit.tui.modals import PickModal
from ehcaudit.tui.widgets.header_bar import HeaderBar
from ehcaudit.tui.widgets.plan_view import PlanView
from ehcaudit.output.words import plural
from ehcaudit.tui.screen_base import EhcauditScreen, int_key

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)


STEP = Binding.Group("Step", compact=True)


class ReplayScreen(EhcauditScreen[None]):
    """Step through a recorded audit."""

    HELP_TITLE = "Replay"
    BINDINGS = [
        Binding("n,right", "step(1)", "Next step", group=STEP, id="replay.next"),
        Binding("p,left", "step(-1)", "Previous step", group=STEP, id="replay.previous"),
        Binding("space", "play", "Play", tooltip="Play or pause", id="replay.play", priority=True),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False, id="replay.faster"),
        Binding("minus", "speed(-1)", "Slower", show=False, id="replay.slower"),
        Binding("g", "jump", "Criterion", id="replay.jump"),
        Binding("h", "hide", "Hide", tooltip="Hide the grades (the room predicts them)", id="replay.hide"),
        Binding("r", "reveal", "Reveal", tooltip="Reveal the hidden grade", id="replay.reveal"),
        Binding("home", "first", "First step", show=False, id="replay.first", priority=True),
        Binding("end", "last", "Last step", show=False, id="replay.last", priority=True),
        Binding("a", "choose", "Other audit", show=False, id="replay.choose"),
        Binding("escape,q", "back", "Back", id="replay.back"),
    ]

    def __init__(self, db, rubric: Rubric, audit_id: int | None = None, viewer: str | None = None, hide_grades: bool = False):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.audit_id = audit_id
        self.viewer = viewer  # who is watching: a blind calibration session's audits stay out of reach
        self.states: list[ReplayState] = []
        self.index = 0
        self.hide_grades = hide_grades
        self.revealed: set[str] = set()
        self.speed_index = 1
        self.timer: Timer | None = None
        self._choices: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="replay-header")
        with Horizontal(id="replay-body"):
            with Vertical(id="replay-plan"):
                yield OptionList(id="replay-chooser")
                yield PlanView(id="replay-view")
            yield VerticalScroll(Static(id="replay-step"), id="replay-side")
        yield Static(id="replay-timeline")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        if self.viewer is None:
            self.viewer = self.ehc.reviewer
        if self.audit_id is None:
            self.action_choose()
        else:
            self.load(self.audit_id)

    # ------------------------------------------------------------ choosing

    def action_choose(self) -> None:
        self._stop()
        chooser = self.query_one("#replay-chooser", OptionList)
        chooser.clear_options()
        self._choices = {str(a["id"]): a for a in submitted_audits(self.db, self.viewer)}
        for key, a in self._choices.items():
            tag = " reference" if a["is_reference"] else " training" if a["kind"] == "training" else ""
            label = Text.assemble(f"{a['id']:>4} {a['plan']:<9} {a['reviewer']}", (tag, "italic"), no_wrap=True, overflow="ellipsis")
            chooser.add_option(Option(label, id=key))
        chooser.display = True
        self.query_one("#replay-view").display = False
        self.query_one("#replay-step", Static).update(Text("Choose a submitted audit to replay (enter).", style="dim"))
        self.query_one(HeaderBar).show("Replay", [(f"as {self.viewer}" if self.viewer else "", "bold", 0),
                                                  ("choose a submitted audit", "dim", 2)])
        if chooser.option_count:
            chooser.highlighted = 0
        chooser.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "replay-chooser":
            self._describe_choice(event.option.id or "")

    def _describe_choice(self, key: str) -> None:
        a = self._choices.get(key)
        if a is None:
            return
        overall = None if self.hide_grades else a["overall_grade"]
        lines = [
            f"Audit {a['id']} of {a['plan']}",
            f"by {a['reviewer']}" + (" (training)" if a["kind"] == "training" else ""),
            f"submitted {a['submitted_at'][:16].replace('T', ' ')}",
            "overall grade hidden" if self.hide_grades else
            f"overall {overall} {self.rubric.label(overall)}" if overall else "overall not derived",
        ]
        if a["is_reference"]:
            lines.append("the reference for calibration sessions on this plan")
        self.query_one("#replay-step", Static).update(
            Text("\n".join(lines) + "\n\nenter replays it", style="dim"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "replay-chooser":
            self.load(int_key(event.option.id))

    def load(self, audit_id: int) -> None:
        try:
            check_visible(self.db, audit_id, self.viewer)
            audit = audit_store.load_audit(self.db, audit_id)
        except EhcauditError as exc:
            self.notify(str(exc), severity="error")
            if self.audit_id == audit_id:
                self.audit_id = None
                self.action_choose()
            return
        self.audit = audit
        self.plan = plan_store.get_plan(self.db, audit.plan_id)
        self.sections = plan_store.plan_sections(self.db, audit.plan_id)
        self.pages = plan_store.plan_pages(self.db, audit.plan_id)
        self.events = audit_store.audit_events(self.db, audit_id)
        self.states = replay_states(self.events)
        self.spent = time_per_criterion(self.events)
        self.index = 0
        self.revealed = set()
        self.query_one("#replay-chooser").display = False
        self.query_one("#replay-view").display = True
        self.query_one("#replay-view").focus()
        self.show()

    # ------------------------------------------------------------ showing a step

    def _hidden(self, cid: str | None) -> bool:
        return self.hide_grades and (cid is None or cid not in self.revealed)

    def _grade(self, cid: str, j) -> str:
        if self._hidden(cid):
            return "? (r reveals)"
        if not j.done:
            return "not graded"
        return "N/A" if j.not_applicable else f"{j.grade} {self.rubric.label(j.grade)}"

    def show(self) -> None:
        if not self.states:
            return
        state = self.states[self.index]
        self.query_one(HeaderBar).show("Replay", [
            (f"{self.plan.label} by {self.audit.reviewer}", "bold", 1), (f"step {self.index + 1}/{len(self.states)}", "", 0),
            ("playing" if self.timer else "", "bold", 2), ("grades hidden" if self.hide_grades else "", "bold yellow", 1),
            (plural(float(SPEEDS[self.speed_index]), "step/s"), "dim", 4), (f"audit {self.audit.id}", "dim", 5),
            (f"watching as {self.viewer}" if self.viewer else "", "dim", 3)])
        # The sections the reviewer had on screen; with no criterion in hand (start, import, submit), the whole plan.
        codes = state.sections or (list(self.rubric.criterion(state.criterion).sections) if state.criterion else list(self.sections))
        lines: list[ViewLine] = []
        for code in codes:
            s = self.sections.get(code)
            if s:
                lines.extend(section_lines(code, s.heading, s.text, s.page_start, s.page_end, self.pages, s.source))
        criterion = self.rubric.criterion(state.criterion) if state.criterion else None
        view = self.query_one(PlanView)
        view.show(lines, phrase_pattern(criterion.look_for) if criterion else None)
        # Hidden means hidden in the step line too ("V1: graded", not "V1: graded 4").
        change = state.describe(self._hidden(state.criterion if state.event["action"] != Action.SUBMITTED else None))
        parts: list[RenderableType] = [Text(state.event["at"][:19].replace("T", " "), style="dim"), Text(printable(change), style="bold"), Text("")]
        if criterion:
            j = state.judgement(criterion.id)
            parts += [Text(f"{criterion.id}: {criterion.question}", style="bold"),
                      Text(f"Grade: {self._grade(criterion.id, j)}"),
                      Text(f"Note: {j.note or '-'}" if not (self.hide_grades and criterion.id not in self.revealed) else "Note: (hidden)")]
            kept = [e for e in state.evidence if e.criterion_id == criterion.id]
            parts.append(Text(f"Evidence ({len(kept)}):", style="bold"))
            parts += [Text(f"  “{e.quote[:200]}” (p{e.page_number})") for e in kept]
        if state.event["action"] in (Action.IMPORTED, Action.SUBMITTED):
            parts += [Text("Grades:", style="bold"), self._all_grades(state)]
        self.query_one("#replay-step", Static).update(Group(*parts))
        self._timeline(state.criterion)

    def _all_grades(self, state) -> Table:
        grid = Table.grid(padding=(0, 1))
        for c in self.rubric.criteria:
            grid.add_row(Text(c.id, style="bold"), Text(self._grade(c.id, state.judgement(c.id))))
        return grid

    def _timeline(self, current: str | None) -> None:
        grid = Table.grid(padding=(0, 1))
        longest = max(self.spent.values(), default=1.0) or 1.0
        cells = []
        for c in self.rubric.criteria:
            secs = self.spent.get(c.id, 0.0)
            bar = "▇" if secs >= longest * 0.66 else "▅" if secs >= longest * 0.33 else "▂" if secs else " "
            style = "bold reverse" if c.id == current else ""
            minutes, seconds = divmod(round(secs), 60)
            cells.append(Text(f"{c.id} {bar}{minutes:>2}:{seconds:02}", style=style))
        for row in range(0, len(cells), 7):
            grid.add_row(*cells[row:row + 7])
        timeline = self.query_one("#replay-timeline", Static)
        if self.spent:
            timeline.update(Group(Text("Time on each criterion (min:sec):", style="dim"), grid))
        else:
            timeline.update(Text("Time on each criterion: none recorded (grades imported from a spreadsheet)", style="dim"))

    # ------------------------------------------------------------ moving

    def action_step(self, delta: int) -> None:
        if not self.states:
            return
        new = max(0, min(len(self.states) - 1, self.index + delta))
        if new == self.index and self.timer:
            self._stop()
        self.index = new
        self.show()

    def action_first(self) -> None:
        self._to_end(first=True)

    def action_last(self) -> None:
        self._to_end(first=False)

    def _to_end(self, first: bool) -> None:
        chooser = self.query_one("#replay-chooser", OptionList)
        if chooser.display:  # home and end move through the list of audits while choosing
            chooser.action_first() if first else chooser.action_last()
            return
        self.index = 0 if first else max(0, len(self.states) - 1)
        self.show()

    def _stop(self) -> None:
        if self.timer:
            self.timer.stop()
            self.timer = None

    def action_play(self) -> None:
        if not self.states:
            return
        if self.timer:
            self._stop()
        else:
            self.timer = self.set_interval(1 / SPEEDS[self.speed_index], lambda: self.action_step(1))
        self.show()

    def action_speed(self, delta: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + delta))
        if self.timer:
            self._stop()
            self.action_play()
        else:
            self.show()

    def action_jump(self) -> None:
        if not self.states:
            return
        choices = [(c.id, f"{c.id:<4} {c.question}") for c in self.rubric.criteria]

        def chosen(cid: str | None) -> None:
            if cid:
                hit = next((i for i, s in enumerate(self.states) if s.criterion == cid), None)
                if hit is None:
                    self.notify(f"{cid} was never visited in this audit")
                    return
                self.index = hit
                self.show()

        self.app.push_screen(PickModal("Jump to criterion", choices), chosen)

    def action_hide(self) -> None:
        self.hide_grades = not self.hide_grades
        self.revealed = set()
        chooser = self.query_one("#replay-chooser", OptionList)
        if chooser.display and chooser.highlighted is not None:
            self._describe_choice(chooser.get_option_at_index(chooser.highlighted).id or "")
        self.show()

    def action_reveal(self) -> None:
        state = self.states[self.index] if self.states else None
        if state and state.criterion:
            self.revealed.add(state.criterion)
            self.show()

    def action_back(self) -> None:
        self._stop()
        self.dismiss(None)
