"""The audit screen: the plan on one side, the criterion on the other, everything at the keyboard."""

from __future__ import annotations

import re
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from ehcaudit import config
from ehcaudit.sections.codes import SECTION_CODES, SECTION_NAMES
from ehcaudit.audit.model import Audit
from ehcaudit.errors import EhcauditError
from ehcaudit.sections.view_lines import ViewLine, page_lines, pages_label, phrase_pattern, section_lines
from ehcaudit.ingest.redaction import short_summary
from ehcaudit.rubric import Criterion, Rubric, derive_grades
from ehcaudit.output.safe import one_line
from ehcaudit.output.words import fit_words, plural
from ehcaudit.store import audits as audit_store
from ehcaudit.store import corrections
from ehcaudit.store import drafts
from ehcaudit.store import plans as plan_store
from ehcaudit.store.events import Action
from ehcaudit.tui.hints import HintsMixin
from ehcaudit.tui.screen_base import EhcauditScreen
from ehcaudit.tui.modals import ConfirmModal, NoteModal, PickModal, PromptModal
from ehcaudit.tui.widgets.criterion_panel import NA, CriterionPanel
from ehcaudit.tui.widgets.header_bar import Part, fit_header
from ehcaudit.tui.widgets.plan_view import PlanView

GRADE = Binding.Group("Grade", compact=True)
MOVE = Binding.Group("Prev/next", compact=True)


# What a submitted (read-only) audit does not offer until it is reopened.
READ_ONLY_REFUSED = {"grade", "not_applicable", "evidence", "note", "undo", "hint_wrong", "correct_section"}
EDIT_KEYS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x", "e", "m", "u", "ctrl+z", "W", "c"}


class AuditScreen(HintsMixin, EhcauditScreen[str | None]):
    """Score one plan against the rubric, criterion by criterion."""

    # The footer shows the few keys used all day; the rest are in help (?) and the palette (ctrl+p).
    BINDINGS = [
        *[Binding(str(n), f"grade({n})", f"Grade {n}", group=GRADE, id=f"audit.grade_{n}") for n in range(1, 10)],
        Binding("0,x", "not_applicable", "N/A", show=False, id="audit.na"),
        Binding("p,left", "previous", "Previous criterion", group=MOVE, id="audit.previous"),
        Binding("n,right", "next", "Next criterion", group=MOVE, id="audit.next"),
        Binding("d", "next_descriptor", "Next descriptor", show=False, id="audit.descriptor"),
        Binding("D", "previous_descriptor", "Previous descriptor", show=False, id="audit.descriptor_back"),
        Binding("e", "evidence", "Keep", tooltip="Keep the selected lines (or this line) as evidence", id="audit.evidence"),
        Binding("l", "evidence_list", "List", tooltip="Evidence and note list: edit or delete a quote", id="audit.evidence_list"),
        Binding("m", "note", "Note", tooltip="Write the note for this criterion", id="audit.note"),
        Binding("z", "toggle_wide", "Wide", tooltip="Wider criterion panel: every descriptor, note and evidence (on/off)", id="audit.wide"),
        Binding("s", "jump_section", "Show a section", show=False, id="audit.section"),
        Binding("g", "goto_criterion", "Go to criterion", show=False, id="audit.goto"),
        Binding("slash", "search", "Search the plan", show=False, id="audit.search"),
        Binding("ctrl+n", "next_match", "Next match", show=False, id="audit.next_match"),
        Binding("w", "whole_plan", "Whole plan", show=False, id="audit.whole_plan"),
        Binding("v", "criterion_view", "Criterion's sections", show=False, id="audit.criterion_view"),
        Binding("c", "correct_section", "Correct a section", show=False, id="audit.correct_section"),
        Binding("A", "toggle_advance", "Next criterion after a grade (on/off)", show=False, id="audit.advance"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="audit.undo"),
        Binding("S", "submit", "Submit", tooltip="Submit the audit (shows area and overall grades first)", id="audit.submit"),
        Binding("R", "reopen", "Reopen", id="audit.reopen"),  # in the footer only while submitted
        Binding("a", "actions", "Actions", show=False, id="audit.actions"),
        Binding("F", "feedback", "Feedback for the plan writer", show=False, id="audit.feedback"),
        Binding("X", "discard", "Discard audit", show=False, id="audit.discard"),
        Binding("escape,q", "back", "Back to the plans", show=False, id="audit.back"),
        *HintsMixin.HINT_BINDINGS,
    ]

    HELP_TITLE = "Audit screen"

    def help_bindings(self) -> list[Binding]:
        """This screen's keys for the help screen, grades collapsed to the rubric's scale."""
        scale = ", ".join(f"{s.value} {s.label}" for s in self.rubric.scale)
        digits = ", ".join(str(v) for v in sorted(self.rubric.scale_values))
        out = [Binding(digits, "grade", f"Grade ({scale})")]
        out += [b for b in self.BINDINGS if isinstance(b, Binding) and b.action and not b.action.startswith("grade(")]
        return out

    def __init__(self, db, plan_id: int, reviewer: str, rubric: Rubric, audit: Audit | None = None):
        super().__init__()
        self.db = db
        self.plan = plan_store.get_plan(db, plan_id)
        self.reviewer = reviewer
        self.rubric = rubric
        # A training audit (calibration) is handed in; otherwise this reviewer's own review.
        self.audit = audit or audit_store.open_audit(db, plan_id, reviewer, rubric)
        ids = [c.id for c in rubric.criteria]
        self.index = ids.index(self.audit.current_criterion) if self.audit.current_criterion in ids else 0
        self.sections = plan_store.plan_sections(db, plan_id)
        self.pages = plan_store.plan_pages(db, plan_id)
        self.set_aside = plan_store.plan_set_aside(db, plan_id)
        self.mode = "criterion"
        self.search_pattern: re.Pattern | None = None
        self.search_term = ""
        self._others: dict[str, list] = {}
        self._allowed: tuple | None = None
        self.cursor: int | None = None  # the grade whose descriptor is shown
        self.wide = False  # the wider criterion panel (z)
        self.advance = config.advance_after_grade()
        self._header: Text | None = None
        self._reopen_refused = self._why_not_reopen()

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="audit-header")
        with Horizontal(id="audit-body"):
            with Vertical(id="plan-pane"):
                yield Static(id="plan-caption")
                yield PlanView(id="plan-view")
            with Vertical(id="criterion-side"):
                yield CriterionPanel(id="criterion-pane")
        yield Static(id="audit-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._load_others()
        self.mount_hints()
        self.show_criterion(record=False)
        self.query_one(PlanView).focus()
        self._apply_width(self.size.width)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        self._draw_header()

    def _apply_width(self, width: int) -> None:
        # Side by side when there is room; plan above a compact criterion in a narrow terminal.
        self.set_class(width < 100, "narrow")
        self.set_class(self.wide, "wide-criterion")

    @property
    def criterion(self) -> Criterion:
        return self.rubric.criteria[self.index]

    def _why_not_reopen(self) -> str | None:
        session = audit_store.reference_session(self.db, self.audit.id) if self.audit.submitted else None
        return one_line(f"cannot reopen the reference of calibration '{session}'") if session else None

    def _keys_for(self, action: str) -> set[str]:
        return {key for key, bindings in self._bindings.key_to_bindings.items() if any(b.action == action for b in bindings)}

    def on_key(self, event) -> None:
        # The edit keys are left out of a submitted audit's footer; pressed anyway, they say why.
        if self.audit.submitted and event.key in EDIT_KEYS:
            how = "it is a calibration session's reference" if self._reopen_refused else "R reopens it with a reason"
            self._status(f"this audit is submitted and read-only; {how}", error=True)
        elif self._reopen_refused and event.key in self._keys_for("reopen"):
            self._status(self._reopen_refused, error=True)  # before any reason is asked for

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in READ_ONLY_REFUSED and self.audit.submitted:
            return False  # a submitted audit offers only what works on it: view, move, reopen, back
        if action == "grade":
            return parameters[0] in self.rubric.scale_values
        if action in ("submit", "discard"):
            return not self.audit.submitted
        if action == "reopen":
            return self.audit.submitted and not self._reopen_refused
        return True

    # ------------------------------------------------------------ drawing

    def _load_others(self) -> None:
        self._others = {}
        if self.audit.kind == "training":
            return  # trainees grade blind; the trainer reveals the comparison
        for other in audit_store.other_reviews(self.db, self.plan.id, self.reviewer):
            for cid, j in other.judgements.items():
                self._others.setdefault(cid, []).append((other.reviewer, j))

    def refresh_panel(self, keep_scroll: bool = False) -> None:
        c = self.criterion
        self.query_one(CriterionPanel).show(
            self.rubric, c, self.audit.judgement(c.id), self.audit.evidence_for(c.id), self.index,
            self._others.get(c.id), self.cursor, keep_scroll,
        )
        self._draw_header()
        # The footer rebuilds itself on every refresh_bindings: only ask when what is allowed changed.
        allowed = (self.audit.submitted, self._reopen_refused)
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()

    def _draw_header(self) -> None:
        # Ranked: what matters least is left out first when the line is too long (never a cut word).
        done = self.audit.done_count(self.rubric)
        total = len(self.rubric.criteria)
        filled = round(10 * done / total)
        parts: list[Part] = []
        if self.audit.kind == "training":
            parts.append(("TRAINING", "bold reverse", 0))
        if self.plan.redaction_warning:
            parts.append((f"⚠ LOOKS UNREDACTED: {short_summary(self.plan.redaction_warning)}", "bold red", 0))
        if self.audit.submitted:
            parts.append(("submitted", "bold", 0))
            parts.append(("calibration reference" if self._reopen_refused else "R reopens", "bold", 1))
        else:
            parts.append(("in progress", "bold", 3))
        parts.append((f"{done}/{total} graded", "", 0))
        parts.append(("▰" * filled + "▱" * (10 - filled), "bold", 4))
        if self.advance:
            parts.append(("auto-next", "dim", 2))
        parts += [(self.reviewer, "", 1), (self.plan.cohort or "no cohort", "dim", 2), (f"{self.plan.page_count} pages", "dim", 2)]
        header = fit_header(self.plan.label, parts, self.size.width or 80)
        if header != self._header:
            self._header = header
            self.query_one("#audit-header", Static).update(header, layout=False)  # one line, always

    def _criterion_lines(self, codes: tuple[str, ...] | list[str]) -> list[ViewLine]:
        lines: list[ViewLine] = []
        for code in codes:
            s = self.sections.get(code)
            if s is None:
                name = SECTION_NAMES.get(code, code)
                lines.append(ViewLine(f"{code} · {name} — not found in this plan (w: whole plan, c: correct)", code, None, heading=True))
                continue
            # A heading with nothing under it, or a plain "none": not the same, and neither is a section not found.
            note = " · heading only, no text under it" if not s.text.strip() else \
                f" · says none: “{' '.join(s.text.split())[:60]}”" if s.states_none else ""
            lines.extend(section_lines(code, s.heading, s.text, s.page_start, s.page_end, self.pages, s.source, one_line(note)))
        return lines

    def show_criterion(self, record: bool = True) -> None:
        c = self.criterion
        self.mode = "criterion"
        j = self.audit.judgement(c.id)
        self.cursor = NA if j.not_applicable else j.grade
        self.query_one(PlanView).show(self._criterion_lines(c.sections), phrase_pattern(c.look_for), self.search_pattern)
        self._caption(f"Sections {' '.join(c.sections)}")
        self.refresh_panel()
        self.show_hints(c.sections)
        if record:
            self._safely(lambda: audit_store.record_view(self.db, self.audit.id, c.id, self.reviewer, list(c.sections)))

    def _caption(self, where: str, keys: str = "· space select · e keep selected · Enter keep this line (asks)") -> None:
        # What the keys on the plan text do, always on screen.
        caption = Text(no_wrap=True, overflow="ellipsis")
        caption.append(f" {where} ", style="bold")
        caption.append(keys, style="dim")
        self.query_one("#plan-caption", Static).update(caption)

    def _status(self, message: str, error: bool = False) -> None:
        line = Text(message, style="bold red" if error else "dim", no_wrap=True, overflow="ellipsis")
        self.query_one("#audit-status", Static).update(line, layout=False)  # one line, always

    def _safely(self, write) -> bool:
        """Run one store write; a user error becomes a line on screen, never a crash."""
        try:
            result = write()
        except EhcauditError as exc:
            self._status(str(exc), error=True)
            self.notify(str(exc), severity="error")
            return False
        if isinstance(result, str):
            self._status(result)
        return True

    def _reload(self, keep_scroll: bool = True) -> None:
        self.audit = audit_store.load_audit(self.db, self.audit.id)
        self._reopen_refused = self._why_not_reopen()
        self.refresh_panel(keep_scroll)

    # ------------------------------------------------------------ grading

    def action_grade(self, value: int) -> None:
        cid = self.criterion.id
        if self._safely(lambda: audit_store.set_grade(self.db, self.audit.id, self.rubric, cid, value, self.reviewer)):
            self.cursor = value
            self.audit = audit_store.load_audit(self.db, self.audit.id)
            moved = self._advance_after_grade()
            if not moved:
                self.refresh_panel(keep_scroll=True)
            self._status(f"{cid}: {value} {self.rubric.label(value)} saved" + (f"; now {self.criterion.id}" if moved else ""))

    def action_not_applicable(self) -> None:
        cid = self.criterion.id
        problem = self.rubric.grade_problem(cid, None)
        if problem:
            self._status(f"{problem}; give it a grade", error=True)  # said, not silently ignored
            return
        if self._safely(lambda: audit_store.set_grade(self.db, self.audit.id, self.rubric, cid, None, self.reviewer)):
            self.cursor = NA
            self._reload()
            self._status(f"{cid}: N/A saved; add a note saying why (m)")

    def _advance_after_grade(self) -> bool:
        if not self.advance or self.index + 1 >= len(self.rubric.criteria):
            return False
        self.index += 1
        self.show_criterion()
        return True

    def action_toggle_advance(self) -> None:
        self.advance = not self.advance
        config.remember_advance_after_grade(self.advance)
        self._draw_header()
        self._status("after a grade: " + ("move on to the next criterion" if self.advance else "stay here") + " (A toggles)")

    def action_next(self) -> None:
        if self.index + 1 < len(self.rubric.criteria):
            self.index += 1
            self.show_criterion()

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_criterion()

    def _descriptor_values(self) -> list[int]:
        return [sc.value for sc in self.rubric.scale] + ([NA] if self.criterion.allow_na else [])

    def _step_descriptor(self, step: int) -> None:
        values = self._descriptor_values()
        at = values.index(self.cursor) if self.cursor in values else 0
        self.cursor = values[(at + step) % len(values)]
        self.refresh_panel(keep_scroll=True)

    def action_next_descriptor(self) -> None:
        self._step_descriptor(1)

    def action_previous_descriptor(self) -> None:
        self._step_descriptor(-1)

    def action_toggle_wide(self) -> None:
        self.wide = not self.wide
        self.set_class(self.wide, "wide-criterion")
        self._status("wide criterion panel: Tab, then ↑↓ to scroll it; z: compact" if self.wide
                     else "compact criterion panel, more of the plan; z: wide")

    def action_goto_criterion(self) -> None:
        choices = []
        for c in self.rubric.criteria:
            j = self.audit.judgement(c.id)
            mark = "N/A" if j.not_applicable else (str(j.grade) if j.grade is not None else "·")
            choices.append((c.id, f"{c.id:<4} {mark:>3}  {c.question}"))

        def chosen(cid: str | None) -> None:
            if cid:
                self.index = [c.id for c in self.rubric.criteria].index(cid)
                self.show_criterion()

        self.app.push_screen(PickModal("Go to criterion", choices, self.criterion.id), chosen)

    def action_note(self) -> None:
        cid = self.criterion.id
        if self.audit.submitted:
            self._status("this audit is submitted and read-only; R reopens it with a reason", error=True)
            return

        audit_id = self.audit.id

        def saved(text: str | None) -> None:
            if text is not None and self._safely(lambda: audit_store.set_note(self.db, audit_id, cid, text, self.reviewer)):
                self._reload()
                self._status(f"{cid}: note saved")
            if text is None or self.audit.judgement(cid).note == text:
                self._safely(lambda: drafts.drop_draft(self.db, audit_id, cid))  # saved, or cancelled on purpose

        def keep_draft(text: str) -> None:
            self._safely(lambda: drafts.save_draft(self.db, audit_id, cid, text))

        note = self.audit.judgement(cid).note
        draft = drafts.draft(self.db, audit_id, cid)
        restored = draft is not None and draft != note
        self.app.push_screen(NoteModal(f"Note for {cid}", draft if restored and draft is not None else note, on_draft=keep_draft, restored=restored), saved)

    def action_evidence(self) -> None:
        view = self.query_one(PlanView)
        runs = view.chosen_runs()
        if not runs:
            self._status("put the cursor on a line (or select lines with space), then e keeps it", error=True)
            return
        self._keep(runs)

    def _keep(self, runs: list[list[ViewLine]]) -> None:
        """Keep each run of adjacent lines as one quote: paragraphs apart are quotes apart."""
        cid = self.criterion.id
        quotes = [(" ".join(ln.text for ln in lines),
                   next((ln.section for ln in lines if ln.section), None) or self._section_at_page(lines[0].page), lines[0].page)
                  for lines in runs]
        kept = [page for _q, _s, page in quotes] if self._safely(
            partial(audit_store.keep_quotes, self.db, self.audit.id, cid, quotes, self.reviewer)) else []
        if kept:
            self.query_one(PlanView).clear_selection()
            self._reload()
            pages = ", ".join(f"p{p}" if p else "p?" for p in kept)
            self._status(f"{cid}: kept {len(kept)} quote{'s' if len(kept) > 1 else ''} ({pages}); l lists them, u undoes")

    def action_evidence_list(self) -> None:
        from ehcaudit.tui.evidence_list import EvidenceListModal

        def closed(_result) -> None:
            self._reload()

        self.app.push_screen(EvidenceListModal(self.db, self.audit.id, self.criterion.id, self.reviewer), closed)

    def _section_at_page(self, page: int | None) -> str | None:
        if page is None:
            return None
        for code, s in self.sections.items():
            if s.page_start <= page <= s.page_end:
                return code
        return None

    def action_undo(self) -> None:
        result: list[str | None] = []
        # The latest of the reviewer's own changes goes first: a section correction or a grade, note or evidence.
        correction = corrections.last_section_correction(self.db, self.plan.id, self.reviewer)
        if correction is not None and correction > (audit_store.last_undoable_event(self.db, self.audit.id) or 0):
            if self._safely(lambda: result.append(corrections.undo_section_correction(self.db, self.plan.id, self.reviewer))):
                self._sections_changed()
                self._reload()
                self._status(result[0] or "nothing to undo")
            return
        if self._safely(lambda: result.append(audit_store.undo(self.db, self.audit.id, self.reviewer))):
            self._reload()
            self._status(result[0] or "nothing to undo")

    # ------------------------------------------------------------ reading the plan

    def action_jump_section(self) -> None:
        choices = []
        for code in SECTION_CODES:
            s = self.sections.get(code)
            where = pages_label(s.page_start, s.page_end) if s else "not found"
            choices.append((code, f"{code:<3} {SECTION_NAMES[code]:<40} {where}"))

        def chosen(code: str | None) -> None:
            if code:
                self._show_section(code)
                self._safely(lambda: audit_store.record_view(self.db, self.audit.id, self.criterion.id, self.reviewer, [code], Action.SECTION_VIEWED))

        self.app.push_screen(PickModal("Jump to section", choices), chosen)

    def _show_section(self, code: str, cursor: int = 0) -> None:
        self.mode = f"section:{code}"
        self.query_one(PlanView).show(self._criterion_lines([code]), phrase_pattern(self.criterion.look_for), self.search_pattern, cursor)
        self._caption(f"Section {code} (v: back)")

    def action_criterion_view(self) -> None:
        self.show_criterion(record=False)

    def action_whole_plan(self) -> None:
        self._show_whole_plan()
        # Said once here, not on every set-aside line.
        self._status("┆ marks set-aside lines (headers, contents); c on one moves it into a section")

    def _show_whole_plan(self, cursor: int = 0) -> None:
        self.mode = "plan"
        unmoved = [a for a in self.set_aside if not a.restored_to]
        self.query_one(PlanView).show(page_lines(self.pages, unmoved, self.sections), phrase_pattern(self.criterion.look_for), self.search_pattern, cursor)
        self._caption("Whole plan (v back)", "· space select · c move to a section · e keep selected")

    def action_search(self) -> None:
        def searched(term: str | None) -> None:
            if not term:
                return
            self.search_term = one_line(term)
            self.search_pattern = re.compile(re.escape(term), re.I)
            view = self.query_one(PlanView)
            if self.mode != "plan" and any(self.search_pattern.search(ln.text) for ln in view.lines):
                view.show(view.lines, view.pattern, self.search_pattern, view.highlighted or 0)
                self._said_match(view.next_match(self.search_pattern, start=0))
                return
            here = self.mode != "plan"
            self._show_whole_plan()
            view = self.query_one(PlanView)
            found = view.next_match(self.search_pattern, start=0)
            if found:
                self._said_match(found, "not in these sections; " if here else "")
            else:
                self._status(f"'{self.search_term}' is not in this plan", error=True)

        self.app.push_screen(PromptModal("Search the plan", "words to find"), searched)

    def _said_match(self, found: tuple[int, int, bool] | None, where: str = "") -> None:
        if found is None:
            self._status(f"'{self.search_term}' is not in what is shown; w shows the whole plan", error=True)
            return
        number, total, wrapped = found
        whole = " in the whole plan" if where else ""
        more = ", back to the first" if wrapped else (" (ctrl+n next)" if total > 1 else "")
        self._status(f"'{self.search_term}': {where}{number} of {total}{whole}{more}")

    def action_next_match(self) -> None:
        if self.search_pattern is None:
            self.action_search()
        else:
            self._said_match(self.query_one(PlanView).next_match(self.search_pattern))

    def action_correct_section(self) -> None:
        view = self.query_one(PlanView)
        indices = sorted(view.selected)
        if len(indices) < 2 and self._restore_set_aside(view, indices):
            return
        if not indices:
            self._status("select the first and the last line with space, then c (w: whole plan)", error=True)
            return
        # Every line from the first selected to the last; headings stay with their sections.
        span = [ln for ln in view.lines[indices[0] : indices[-1] + 1] if not ln.heading]
        movable = [ln for ln in span if ln.section in self.sections and ln.rows]
        left = "; set-aside lines stay set aside (c on one moves it)" if any(ln.aside for ln in span) else ""
        if not movable:
            self._status("none of the selected lines is in a section" + (left or "; w shows the whole plan"), error=True)
            return
        refs = []
        for ln in movable:
            code = ln.section or ""
            rows = self.sections[code].text.splitlines()
            refs += [corrections.LineRef(code, r, rows[r]) for r in ln.rows if r < len(rows)]
        choices = [(code, f"{code:<3} {SECTION_NAMES[code]}") for code in SECTION_CODES]

        def chosen(code: str | None) -> None:
            result: list[corrections.MovedLines] = []
            if not code or not self._safely(lambda: result.append(corrections.move_lines_into_section(
                    self.db, self.plan.id, code, refs, reviewer=self.reviewer))):
                return
            moved = result[0]
            count = sum(1 for ln in movable if ln.section != code)
            view.clear_selection()
            self._sections_changed()
            made = " (a new section)" if moved.created else ""
            self._status(f"{plural(count, 'line')} moved from {' and '.join(moved.sources)} into {code}{made}; "
                         f"saved for everyone{left}")

        sources = " and ".join(dict.fromkeys(ln.section or "" for ln in movable))
        first = _opening(movable[0].text)
        self.app.push_screen(PickModal(f"Move {plural(len(movable), 'line')} from {sources} (\u201c{first}\u201d) into which section?",
                                       choices), chosen)

    def _restore_set_aside(self, view: PlanView, indices: list[int]) -> bool:
        """c on a dimmed (set-aside) line of the whole plan: ask which section it belongs in, and move it there."""
        at = indices[0] if indices else view.highlighted
        line = view.lines[at] if at is not None and 0 <= at < len(view.lines) else None
        if line is None or line.aside_id is None:
            return False
        aside_id = line.aside_id
        choices = [(code, f"{code:<3} {SECTION_NAMES[code]}") for code in SECTION_CODES]

        def chosen(code: str | None) -> None:
            result: list[str] = []
            if code and self._safely(lambda: result.append(corrections.restore_set_aside(
                    self.db, self.plan.id, aside_id, code, reviewer=self.reviewer))):
                view.clear_selection()
                self._sections_changed()
                self._status(result[0])

        text = _opening(line.text)
        self.app.push_screen(PickModal(f"Which section does \u201c{text}\u201d belong in? (set aside: {line.aside})", choices), chosen)
        return True

    def _sections_changed(self) -> None:
        """After a correction or its undo: read the sections again and draw what is on screen from them."""
        self.sections = plan_store.plan_sections(self.db, self.plan.id)
        self.set_aside = plan_store.plan_set_aside(self.db, self.plan.id)
        view = self.query_one(PlanView)
        cursor = view.highlighted or 0
        if self.mode == "plan":
            self._show_whole_plan(cursor)
        elif self.mode.startswith("section:"):
            self._show_section(self.mode.split(":", 1)[1], cursor)
        else:
            view.show(self._criterion_lines(self.criterion.sections), view.pattern, self.search_pattern, cursor)
            self.show_hints(self.criterion.sections)

    # ------------------------------------------------------------ submit

    def action_submit(self) -> None:
        problems = audit_store.missing_for_submit(self.audit, self.rubric)
        if problems:
            self._status("not ready to submit: " + "; ".join(problems[:3]) + (" …" if len(problems) > 3 else ""), error=True)
            first = problems[0].split()[0]
            self.index = [c.id for c in self.rubric.criteria].index(first)
            self.show_criterion(record=False)
            return
        derived = derive_grades(self.rubric, self.audit.grades())
        table = Table(box=None, show_header=True, header_style="bold")
        table.add_column("Area")
        table.add_column("Mean", justify="right")
        table.add_column("Grade")
        for area in self.rubric.areas:
            mean = derived.area_means[area.id]
            grade = derived.area_grades[area.id]
            table.add_row(Text(one_line(area.title)), "-" if mean is None else f"{mean:.2f}",
                          Text("N/A" if grade is None else one_line(f"{grade} {self.rubric.label(grade)}")))
        overall = derived.overall_grade
        table.add_row(Text("Overall", style="bold"), "-" if derived.overall_mean is None else f"{derived.overall_mean:.2f}",
                      Text("N/A" if overall is None else f"{overall} {self.rubric.label(overall)}", style="bold"))

        def confirmed(yes: bool | None) -> None:
            if yes and self._safely(lambda: audit_store.submit(self.db, self.audit.id, self.rubric, self.reviewer)):
                self._load_others()
                self._reload()
                self._status("submitted; the audit is now read-only")
                self.notify(f"{self.plan.label} submitted: overall {overall} {self.rubric.label(overall)}")

        self.app.push_screen(ConfirmModal(f"Submit the audit of {self.plan.label}?", table), confirmed)

    def action_reopen(self) -> None:
        if self._reopen_refused:
            self._status(self._reopen_refused, error=True)
            return

        def reason_given(reason: str | None) -> None:
            if reason is None:
                return
            if self._safely(lambda: audit_store.reopen(self.db, self.audit.id, reason, self.reviewer)):
                self._reload()
                self._status("reopened; the reason is in the audit log")

        self.app.push_screen(PromptModal("Why reopen this submitted audit?", "reason (logged)"), reason_given)

    def action_actions(self) -> None:
        from ehcaudit.tui.actions_modal import ActionsModal

        self.app.push_screen(ActionsModal(self.db, self.plan, self.rubric, self.reviewer, self.criterion.id, self.audit.id))

    def action_feedback(self) -> None:
        from ehcaudit.tui.round_forms import export_feedback

        export_feedback(self, self.db, self.audit)

    def action_discard(self) -> None:
        done = self.audit.done_count(self.rubric)

        def confirmed(yes: bool | None) -> None:
            if yes and self._safely(lambda: audit_store.discard(self.db, self.audit.id, self.reviewer)):
                self.notify(f"your audit of {self.plan.label} was discarded (the audit log keeps a record)")
                self.dismiss(None)

        body = Text(f"Your {done} grade{'s' if done != 1 else ''}, notes and evidence for this plan will be thrown away. "
                    "Opening the plan again starts a new audit.")
        self.app.push_screen(ConfirmModal(f"Discard your unsubmitted audit of {self.plan.label}?", body), confirmed)

    def action_back(self) -> None:
        self.dismiss(self.audit.status)

    @on(PlanView.OptionSelected)
    def _enter_on_line(self, event) -> None:
        # Enter keeps the line under the cursor (or the selection) as evidence, after a visible yes.
        event.stop()
        runs = self.query_one(PlanView).chosen_runs()
        if not runs or self.audit.submitted:
            self.action_evidence()
            return
        body = Text()
        for lines in runs:
            page = lines[0].page
            body.append(f"page {page or '?'}: ", style="bold")
            body.append("“" + " ".join(ln.text for ln in lines) + "”\n")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._keep(runs)

        self.app.push_screen(ConfirmModal(f"Keep as evidence for {self.criterion.id}?", body,
                                          yes_label="y / Enter: keep", no_label="n / escape: don't"), confirmed)


def _opening(text: str) -> str:
    """A line's opening words, for a dialog's title: whole words, "…" where it is cut."""
    return fit_words(one_line(text), 40)
