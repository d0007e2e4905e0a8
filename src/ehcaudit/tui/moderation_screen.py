"""Moderation: double-scored plans side by side, disagreements first; record the agreed grade and why."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ehcaudit.errors import EhcauditError
from ehcaudit.rubric import Rubric
from ehcaudit.output.safe import one_line, printable
from ehcaudit.store import moderation as mod_store
from ehcaudit.tui.modals import PickModal, PromptModal
from ehcaudit.tui.widgets.lists import cursor_key
from ehcaudit.tui.widgets.header_bar import HeaderBar, StatusLine
from ehcaudit.output.words import fit_words, plural
from ehcaudit.tui.screen_base import EhcauditScreen

GRADE = Binding.Group("Agreed grade", compact=True)


NA_AGAINST_GRADE = 99  # ranks above any gap between grades


def disagreement(judgements) -> tuple[int, str]:
    """(rank for sorting, what the Spread column shows): N/A against a grade is a disagreement, not a spread of 0."""
    done = [j for j in judgements if j is not None and j.done]
    values = [j.grade for j in done if not j.not_applicable]
    if any(j.not_applicable for j in done) and values:
        return NA_AGAINST_GRADE, "N/A vs " + "/".join(str(v) for v in sorted(set(values)))
    spread = max(values) - min(values) if values else 0
    return spread, str(spread)


def _grade(j) -> str:
    if j is None or not j.done:
        return "-"
    return "N/A" if j.not_applicable else str(j.grade)


def name_forms(name: str) -> list[str]:
    """A reviewer's name from whole to shortest, in five steps of whole words: "Jo Smith (team a)", "Jo Smith",
    "J. Smith", "Smith", "JS". A step that does not apply ("Trainee 1" has no surname) keeps the step before."""
    name = one_line(name)
    bare = re.sub(r"\s*[(\[][^)\]]*[)\]]", "", name).strip() or name
    words = re.findall(r"[^\W_][^\s]*", bare)
    initial_surname = surname = bare
    if len(words) > 1 and re.search(r"[^\W\d_]{2}", words[-1]):  # a surname, not "1" in "Trainee 1"
        initial_surname, surname = f"{words[0][0].upper()}. {words[-1]}", words[-1]
    letters = "".join(w[0].upper() for w in re.findall(r"[^\W_]+", bare))[:4] or name[:4]
    return [name, bare, initial_surname, surname, letters]


def short_names(names: list[str], room: int = 0, pad: int = 2) -> list[str]:
    """Column headers for the reviewers in `room` cells (each column costs its text and `pad`): every name taken to
    the same step, the first that fits (whole names when they fit); never two the same. No room: initials."""
    forms = [name_forms(n) for n in names]
    step = 0
    while step < 4 and sum(max(len(f[step]), 3) + pad for f in forms) > room:
        step += 1
    base = [f[step] for f in forms]
    return [f"{s}{base[:i + 1].count(s)}" if base.count(s) > 1 else s for i, s in enumerate(base)]


def moderation_state(moderated: int, total: int) -> str:
    """A plan's moderation in words."""
    if moderated == 0:
        return "not moderated"
    return "moderated" if moderated >= total else "partly moderated"


NARROW = 100  # columns below which the plan list gives way to a picker (p)
PLAN_LIST = 30  # the plan list's width when it is shown
PANE = 28  # the fewest columns a reviewer's note and evidence pane takes
REASON_ROOM = 16  # the fewest columns the Reason column keeps


class CriteriaTable(DataTable):
    """The criteria of the plan being moderated: the row a digit grades is always the highlighted row in view."""

    BINDINGS = [
        # DataTable's home and end scroll without moving the cursor, so a digit would grade a row out of sight.
        Binding("home", "scroll_top", "First criterion", show=False, id="moderation.first"),
        Binding("end", "scroll_bottom", "Last criterion", show=False, id="moderation.last"),
    ]

    def on_resize(self) -> None:
        # The notes below take what they need, so the table shrinks as the cursor moves or [ ] turn the reviewers.
        if self.row_count:
            self.call_after_refresh(self.move_cursor, row=self.cursor_row, scroll=True)


class ModerationScreen(EhcauditScreen[None]):
    """Plans scored by two or more reviewers: grades side by side, then each reviewer's note and evidence.

    At any width the moderator sees which plan, the criterion's question, every reviewer's grade, the agreed grade
    and reason, and the highlighted criterion's notes and evidence side by side (a page of reviewers at a time).
    """

    HELP_TITLE = "Moderation"
    BINDINGS = [
        *[Binding(str(n), f"agree({n})", f"Agree {n}", group=GRADE, id=f"moderation.grade_{n}") for n in range(1, 10)],
        Binding("0,x", "agree_na", "Agree N/A", id="moderation.na"),
        Binding("p", "plans", "Plans", id="moderation.plans"),
        Binding("right_square_bracket", "reviewers(1)", "Next reviewers", id="moderation.reviewers_next"),
        Binding("left_square_bracket", "reviewers(-1)", "Previous reviewers", show=False, id="moderation.reviewers_previous"),
        Binding("tab", "focus_next", "Next pane (plans, criteria, each reviewer)", show=False, id="moderation.switch"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="moderation.switch_back"),
        Binding("escape,q", "back", "Back", id="moderation.back"),
    ]

    def __init__(self, db, rubric: Rubric, moderator: str):
        super().__init__()
        self.db = db
        self.rubric = rubric
        self.moderator = moderator
        self.plans = mod_store.double_scored(db, rubric, moderator)
        self.current: int | None = None
        self.first_reviewer = 0  # the first reviewer whose pane is shown ([ and ] page through them)
        self._order: list[str] = []  # criteria as listed: disagreements first

    def help_bindings(self) -> list[Binding]:
        """This screen's keys for the help screen, grades collapsed to the rubric's scale."""
        scale = ", ".join(f"{s.value} {s.label}" for s in self.rubric.scale)
        digits = ",".join(str(v) for v in sorted(self.rubric.scale_values))
        out = [Binding(digits, "agree", f"Record the agreed grade ({scale}); the cursor moves on to the next criterion without one")]
        return out + [b for b in self.BINDINGS if isinstance(b, Binding) and not b.action.startswith("agree(")]

    def action_focus_next(self) -> None:
        self.focus_next()

    def action_focus_previous(self) -> None:
        self.focus_previous()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "agree":
            return parameters[0] in self.rubric.scale_values
        if action == "reviewers":
            return self.current is not None and len(self._audits(self.current)) > self._per_page()
        return True

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="moderation-header")
        with Horizontal(id="moderation-body"):
            yield OptionList(id="moderation-plans")
            with Vertical(id="moderation-main"):
                yield CriteriaTable(id="moderation-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="moderation-question")
                yield Horizontal(id="moderation-compare")
        yield StatusLine(id="moderation-status")
        yield Footer(show_command_palette=False)

    def on_resize(self, event) -> None:
        self.set_class(self.narrow, "narrow")
        if self.current is not None:
            self.load_plan(self.current, keep=self._selected_criterion())

    def on_mount(self) -> None:
        self.set_class(self.narrow, "narrow")
        self._fill_plans()
        if self.plans:
            plans = self.query_one("#moderation-plans", OptionList)
            plans.highlighted = 0
            self.load_plan(self.plans[0][0])
            self.query_one(DataTable).focus()
        else:
            self._header()
            self.query_one("#moderation-status", StatusLine).show([
                ("No plan has two submitted audits yet. Ask a second reviewer to score some plans blind.", "dim", 0)])

    def _header(self) -> None:
        parts: list[tuple[str, str, int]] = []
        ids = [pid for pid, _, _ in self.plans]
        if self.current is not None:
            label = next(label for pid, label, _ in self.plans if pid == self.current)
            parts.append((one_line(label), "bold", 0))
        parts.append((f"as {self.moderator}", "", 0))
        if self.current is not None and self.moderator in {a.reviewer for a in self._audits(self.current)}:
            parts.append(("you scored this plan", "bold yellow", 0))
        if self.current is not None:
            parts.append((f"plan {ids.index(self.current) + 1} of {len(ids)}", "", 2))
        else:
            parts.append((plural(len(self.plans), "double-scored plan"), "", 1))
        parts += [("p plans" if self.narrow else "tab plans", "dim", 3), ("a digit records the agreed grade", "dim", 4)]
        self.query_one(HeaderBar).show("Moderation", parts)

    def _plan_states(self) -> list[tuple[int, str, int, str]]:
        total = len(self.rubric.criteria)
        return [(pid, label, len(audits), moderation_state(len(mod_store.moderations_for(self.db, pid, self.rubric)), total))
                for pid, label, audits in self.plans]

    def _fill_plans(self) -> None:
        plans = self.query_one("#moderation-plans", OptionList)
        keep = plans.highlighted
        plans.clear_options()
        for pid, label, reviews, state in self._plan_states():
            style = "green" if state == "moderated" else "yellow" if state == "partly moderated" else "dim"
            prompt = Text.assemble((one_line(label), "bold"), (f" {plural(reviews, 'review')}\n", "dim"), (state, style))
            plans.add_option(Option(prompt, id=str(pid)))
        if keep is not None and self.plans:
            plans.highlighted = min(keep, len(self.plans) - 1)

    def action_plans(self) -> None:
        """Another plan: the plan list where it is shown, else a picker."""
        if not self.plans:
            return
        if not self.narrow:
            self.query_one("#moderation-plans", OptionList).focus()
            return

        def chosen(key: str | None) -> None:
            if key:
                self.query_one("#moderation-plans", OptionList).highlighted = [str(p) for p, _, _ in self.plans].index(key)
                self.load_plan(int(key))
                self.query_one(DataTable).focus()

        choices = [(str(pid), f"{label}  {plural(reviews, 'review')} · {state}")
                   for pid, label, reviews, state in self._plan_states()]
        self.app.push_screen(PickModal("Moderate which plan?", choices, str(self.current), search=True), chosen)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and int(event.option.id) != self.current:
            self.load_plan(int(event.option.id))

    def _audits(self, plan_id: int):
        return next(a for pid, _, a in self.plans if pid == plan_id)

    def _main_width(self) -> int:
        return self.size.width - (0 if self.narrow else PLAN_LIST)

    def _per_page(self) -> int:
        return max(1, self._main_width() // PANE)

    def load_plan(self, plan_id: int, keep: str | None = None) -> None:
        if plan_id != self.current:
            self.first_reviewer = 0
        self.current = plan_id
        audits = self._audits(plan_id)
        moderated = mod_store.moderations_for(self.db, plan_id, self.rubric)
        reviewers = {a.reviewer for a in audits}
        rows = []
        for c in self.rubric.criteria:
            grades = [a.judgement(c.id) for a in audits]
            rank, spread = disagreement(grades)
            m = moderated.get(c.id)
            agreed = "-" if m is None else ("N/A" if m.not_applicable else str(m.grade))
            reason = ""
            if m:
                reason = m.reason + (f" ({m.moderator}, who also scored it)" if m.moderator in reviewers else "")
            rows.append((rank, c.id, [_grade(j) for j in grades], agreed, one_line(reason), spread))
        # Disagreements first, widest first (N/A against a grade before all); then the rubric's order.
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        rows.sort(key=lambda r: (-r[0], order[r[1]]))
        self._order = [r[1] for r in rows]
        self._fill_table(audits, rows, keep)
        disagreements = sum(1 for r in rows if r[0] > 0)  # N/A against a grade included
        done = sum(1 for r in rows if r[3] != "-")
        self._header()
        self._status(disagreements, done, len(rows))
        self._compare()

    def _fill_table(self, audits, rows, keep: str | None) -> None:
        """The criteria, one column per reviewer named as fully as the width allows, the reason cut at a word."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        spread_w = max(6, *(len(r[5]) for r in rows))
        fixed = 2 + (spread_w + 2) + (6 + 2)  # the scroll bar; Spread and Agreed with their padding
        crit = "Criterion" if not self.narrow else "Crit"
        fixed += len(crit) + 2
        room = self._main_width() - fixed - REASON_ROOM - 2
        names = short_names([a.reviewer for a in audits], room)
        table.add_column(Text(crit), key="criterion")
        for i, name in enumerate(names):
            table.add_column(Text(name), key=f"r{i}", width=max(3, len(name)))
        table.add_column("Spread", key="spread", width=spread_w)
        table.add_column("Agreed", key="agreed", width=6)
        reason_w = max(REASON_ROOM, self._main_width() - fixed - sum(max(3, len(n)) + 2 for n in names) - 2)
        table.add_column("Reason", key="reason", width=reason_w)
        for rank, cid, grades, agreed, reason, spread in rows:
            style = "bold red" if rank >= 2 else "yellow" if rank == 1 else ""
            table.add_row(Text(cid, style=style), *[Text(g) for g in grades], Text(spread, style=style), Text(agreed),
                          Text(fit_words(reason, reason_w)), key=cid)
        table.styles.max_height = len(rows) + 1  # no empty rows between the criteria and the notes below them
        if keep in self._order:
            table.move_cursor(row=self._order.index(keep))

    def _status(self, disagreements: int, done: int, total: int) -> None:
        parts = [(f"{disagreements} of {total} criteria disagree", "", 0), (f"{done} agreed", "", 0),
                 (f"({moderation_state(done, total)})", "dim", 2)]
        audits = self._audits(self.current) if self.current is not None else []
        per = self._per_page()
        if len(audits) > per:
            first, last = self.first_reviewer + 1, min(len(audits), self.first_reviewer + per)
            shown = f"reviewer {first}" if first == last else f"reviewers {first}-{last}"
            parts.append((f"{shown} of {len(audits)}, ] next", "bold", 0))
        self.query_one("#moderation-status", StatusLine).show(parts)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._compare()

    def _compare(self) -> None:
        """The criterion under the cursor: each reviewer's grade, note and evidence, side by side."""
        cid = self._selected_criterion()
        if cid is None or self.current is None:
            return
        c = self.rubric.criterion(cid)
        question = Text(no_wrap=False)
        question.append(f"{cid} ", style="bold")
        question.append(printable(c.question))
        m = mod_store.moderations_for(self.db, self.current, self.rubric).get(cid)
        if m:
            question.append(f"\nAgreed {'N/A' if m.not_applicable else m.grade} by {one_line(m.moderator)}: ", style="bold")
            question.append(printable(m.reason))
        self.query_one("#moderation-question", Static).update(question)
        box = self.query_one("#moderation-compare", Horizontal)
        box.remove_children()
        audits = self._audits(self.current)
        shown = audits[self.first_reviewer: self.first_reviewer + self._per_page()]
        columns = []
        for k, a in enumerate(shown):
            j = a.judgement(cid)
            body = Text()
            body.append(f"{one_line(a.reviewer)}: {_grade(j)}", style="bold")
            if j.grade is not None:
                body.append(f" {self.rubric.label(j.grade)}", style="bold")
            body.append("\n")
            body.append(printable(j.note) or "no note", style="" if j.note else "dim")
            for e in a.evidence_for(cid):
                body.append(f"\np{e.page_number or '?'} ", style="bold")
                body.append(f"“{printable(e.quote)}”")
            columns.append(VerticalScroll(Static(body), classes="moderation-reviewer" + (" first" if k == 0 else "")))
        box.mount_all(columns)

    def action_reviewers(self, step: int) -> None:
        """The next (or previous) page of reviewers' panes, when they do not all fit side by side."""
        if self.current is None:
            return
        audits, per = self._audits(self.current), self._per_page()
        pages = -(-len(audits) // per)
        self.first_reviewer = (self.first_reviewer // per + step) % pages * per
        self.load_plan(self.current, keep=self._selected_criterion())

    def _selected_criterion(self) -> str | None:
        return cursor_key(self.query_one(DataTable))

    def _next_to_agree(self, after: str) -> str:
        """The next criterion in the list (disagreements first) still without an agreed grade; `after` when none is left."""
        done = mod_store.moderations_for(self.db, self.current, self.rubric) if self.current is not None else {}
        start = self._order.index(after)
        for cid in self._order[start + 1:] + self._order[:start]:
            if cid not in done:
                return cid
        return after

    def _record(self, grade: int | None) -> None:
        cid = self._selected_criterion()
        if cid is None or self.current is None:
            return
        plan_id = self.current
        problem = self.rubric.grade_problem(cid, grade)
        if problem:
            self.notify(problem + ("; give it a grade" if grade is None else ""), severity="error")  # before asking why
            return
        label = "N/A" if grade is None else f"{grade} {self.rubric.label(grade)}"
        scored = self.moderator in {a.reviewer for a in self._audits(plan_id)}

        def reasoned(reason: str | None) -> None:
            if reason is None:
                return
            try:
                mod_store.moderate(self.db, plan_id, self.rubric, cid, grade, reason, self.moderator)
            except EhcauditError as exc:
                self.notify(str(exc), severity="error")
                return
            following = self._next_to_agree(cid)
            self.load_plan(plan_id, keep=following)
            self._fill_plans()
            if following == cid:
                self.notify(f"{cid}: agreed {label}; every criterion of this plan has an agreed grade")
            else:
                self.notify(f"{cid}: agreed {label}")

        help_text = "enter accept · escape cancel"
        if scored:
            help_text = "You scored this plan too: the moderation records that.\n" + help_text
        self.app.push_screen(PromptModal(f"Why is {cid} {label}?", "reason (kept with the moderated grade)",
                                         help_text=help_text), reasoned)

    def action_agree(self, grade: int) -> None:
        self._record(grade)

    def action_agree_na(self) -> None:
        self._record(None)

    def action_back(self) -> None:
        self.dismiss(None)
