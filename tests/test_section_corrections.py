"""Correcting a plan's sections moves lines between them: never drops one, never copies one, and u puts it back."""

import random
from collections import Counter

import pytest

from ehcaudit.errors import EhcauditError
from ehcaudit.sections.codes import SECTION_CODES
from ehcaudit.sections.view_lines import locate_section
from ehcaudit.store import corrections as C
from ehcaudit.store.plans import list_plans, plan_pages, plan_sections, plan_set_aside


def every_line(db, plan_id) -> Counter:
    """Every line the plan holds, wherever it is: a section's heading or text, or set aside."""
    lines: Counter = Counter()
    for s in plan_sections(db, plan_id).values():
        lines.update([s.heading] if s.heading.strip() else [])
        lines.update(ln for ln in s.text.splitlines() if ln.strip())
    lines.update(a.text for a in plan_set_aside(db, plan_id) if not a.restored_to)
    return lines


def plan_id(db, label):
    return next(p.id for p in list_plans(db) if p.label == label)


def refs(section, rows):
    return [C.LineRef(section.code, r, section.text.splitlines()[r]) for r in rows]


def test_lines_moved_into_a_section_join_its_own_lines_in_page_order_and_leave_where_they_were(plans_db):
    pid = plan_id(plans_db, "plan-02")
    found = plan_sections(plans_db, pid)
    a_lines, e_lines = found["A"].text.splitlines(), found["E"].text.splitlines()
    # "Progress towards these ..." (two printed lines) and "Staff who know J. ...": outcomes text found in A.
    moved = C.move_lines_into_section(plans_db, pid, "E", refs(found["A"], [0, 1, 2]), reviewer="Alice")
    assert moved == C.MovedLines("E", ["A"], created=False)
    after = plan_sections(plans_db, pid)
    # Printed on page 3, before E's own lines on page 4; every one of E's outcomes is still in E.
    assert after["E"].text.splitlines() == a_lines[:3] + e_lines
    assert after["E"].heading == found["E"].heading and (after["E"].page_start, after["E"].page_end) == (3, 4)
    assert after["A"].text.splitlines() == a_lines[3:]
    # B prints the same two sentences again: its own copies stay where they are.
    assert after["B"].text == found["B"].text
    assert {c: s for c, s in after.items() if c not in "AE"} == {c: s for c, s in found.items() if c not in "AE"}
    assert every_line(plans_db, pid) == every_line_before(found, plans_db, pid)
    assert C.undo_section_correction(plans_db, pid, "Alice") == "undid the correction of section E"
    assert plan_sections(plans_db, pid) == found


def every_line_before(found, db, pid) -> Counter:
    lines: Counter = Counter()
    for s in found.values():
        lines.update([s.heading] if s.heading.strip() else [])
        lines.update(ln for ln in s.text.splitlines() if ln.strip())
    lines.update(a.text for a in plan_set_aside(db, pid) if not a.restored_to)
    return lines


def test_the_move_is_logged_as_a_section_correction_naming_what_moved(plans_db):
    pid = plan_id(plans_db, "plan-02")
    found = plan_sections(plans_db, pid)
    C.move_lines_into_section(plans_db, pid, "E", refs(found["A"], [0, 1]), reviewer="Alice")
    action, detail = plans_db.execute("SELECT action, detail FROM events WHERE plan_id = ? ORDER BY id DESC LIMIT 1", [pid]).fetchone()
    assert action == "section_corrected" and '"from": ["A"]' in detail and '"moved": 2' in detail


def test_lines_moved_into_a_section_the_plan_did_not_have_make_it(plans_db):
    plan = next(p for p in list_plans(plans_db) if len(p.section_codes) < len(SECTION_CODES))
    missing = next(c for c in SECTION_CODES if c not in plan.section_codes)
    found = plan_sections(plans_db, plan.id)
    source = max(found.values(), key=lambda s: len(s.text.splitlines()))
    rows = source.text.splitlines()
    before = every_line(plans_db, plan.id)
    moved = C.move_lines_into_section(plans_db, plan.id, missing, refs(source, [1, 2]), reviewer="Alice")
    assert moved.created and moved.sources == [source.code]
    made = plan_sections(plans_db, plan.id)[missing]
    assert (made.heading, made.text) == (rows[1], rows[2]) and made.source == "corrected"
    assert every_line(plans_db, plan.id) == before
    C.undo_section_correction(plans_db, plan.id, "Alice")
    assert plan_sections(plans_db, plan.id) == found


def test_a_section_changed_since_it_was_shown_is_refused_and_nothing_moves(plans_db):
    pid = plan_id(plans_db, "plan-02")
    found = plan_sections(plans_db, pid)
    stale = [C.LineRef("A", 0, "a line A no longer has")]
    with pytest.raises(EhcauditError, match="changed since it was shown"):
        C.move_lines_into_section(plans_db, pid, "E", stale, reviewer="Alice")
    with pytest.raises(EhcauditError, match="already in section A"):
        C.move_lines_into_section(plans_db, pid, "A", refs(found["A"], [0]), reviewer="Alice")
    assert plan_sections(plans_db, pid) == found


@pytest.mark.parametrize("label", ["plan-01", "plan-02", "plan-04", "plan-09", "plan-13"])
def test_no_correction_ever_loses_or_copies_a_line(plans_db, label):
    """Any sequence of moves (between sections, into new ones, set-aside lines in): the same lines, each once."""
    pid = plan_id(plans_db, label)
    found = plan_sections(plans_db, pid)
    start = every_line(plans_db, pid)
    rng = random.Random(label)
    done = 0
    for _ in range(25):
        sections = plan_sections(plans_db, pid)
        aside = [a for a in plan_set_aside(plans_db, pid) if not a.restored_to]
        target = rng.choice(SECTION_CODES)
        if aside and rng.random() < 0.25:
            C.restore_set_aside(plans_db, pid, rng.choice(aside).id, target, reviewer="Alice")
        else:
            sources = [s for c, s in sections.items() if c != target and s.text.strip()]
            source = rng.choice(sources)
            rows = [i for i, ln in enumerate(source.text.splitlines()) if ln.strip()]
            C.move_lines_into_section(plans_db, pid, target, refs(source, rng.sample(rows, rng.randint(1, min(3, len(rows))))),
                                      reviewer="Alice")
        done += 1
        assert every_line(plans_db, pid) == start
        in_page_order(plans_db, pid, target)
    for _ in range(done):
        assert C.undo_section_correction(plans_db, pid, "Alice")
    assert C.undo_section_correction(plans_db, pid, "Alice") is None
    assert plan_sections(plans_db, pid) == found
    assert every_line(plans_db, pid) == start


def in_page_order(db, pid, code):
    """The section's lines read in the order they were printed: walking its pages in order finds every one
    (checked where each line is printed only once in the plan)."""
    s = plan_sections(db, pid)[code]
    pages = plan_pages(db, pid)
    squash = " ".join
    printed = Counter(squash(ln.split()) for page in pages for ln in page.splitlines() if ln.strip())
    lines = s.text.splitlines()
    if any(printed[squash(ln.split())] > 1 for ln in lines):
        return  # a line the plan prints twice may be found at its other copy
    where = locate_section(s.heading, s.text, s.page_start, s.page_end, pages).rows
    assert all(w is not None for w, ln in zip(where, lines) if printed[squash(ln.split())])


def test_a_line_printed_twice_is_found_where_its_section_has_it():
    pages = ["Section A: Views\nThe same sentence.\nA's own line.\nSection E: Outcomes\nBy July, will read.\nThe same sentence."]
    a = locate_section("Section A: Views", "The same sentence.\nA's own line.", 1, 1, pages)
    e = locate_section("Section E: Outcomes", "By July, will read.\nThe same sentence.", 1, 1, pages)
    assert a.heading == ((1, 0),) and a.rows == [(1, 1), (1, 2)]
    assert e.heading == ((1, 3),) and e.rows == [(1, 4), (1, 5)]
    # E after A's copy moved into it, printed before E's heading: found from the top of the page.
    moved = locate_section("Section E: Outcomes", "The same sentence.\nBy July, will read.\nThe same sentence.", 1, 1, pages)
    assert moved.rows == [(1, 1), (1, 4), (1, 5)]
