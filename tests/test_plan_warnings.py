"""Warnings carry their kind from where they are made, and the store keeps that kind."""

import sqlite3

from ehcaudit.ingest.importer import import_plans
from ehcaudit.ingest.read_plan import analyse_pdf
from ehcaudit.sections import find_sections
from ehcaudit.sections.plan_warnings import PlanWarning, WarningKind
from ehcaudit.store import open_db
from ehcaudit.store.plans import add_plan, list_plans
from ehcaudit.store.schema import MIGRATIONS
from pdfmaker import blocks_for, make_plan
from test_sections import STATUTORY


def test_one_heading_for_b_e_and_f_is_a_merged_warning_not_other():
    table = "Needs Outcomes Provision By whom Frequency\nReading is behind. By July reads a page. Precision teaching TA Daily"
    page = "\n".join([STATUTORY["A"], "I like trains.", "Sections B, E and F: Needs, outcomes and provision", table,
                      STATUTORY["C"], "None known."])
    found = find_sections([page])
    [merged] = [w for w in found.warnings if "covers B, E, F" in w.message]
    assert merged.kind == WarningKind.MERGED


def test_one_heading_for_h1_and_h2_is_stored_as_merged_not_sections(tmp_path):
    headings = {k: v for k, v in STATUTORY.items() if k not in ("H1", "H2")}
    headings["H"] = "Section H: Social care provision"
    make_plan(tmp_path / "p.pdf", blocks_for(headings, ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"]))
    assert [w.kind for w in analyse_pdf(tmp_path / "p.pdf").warnings if "covers H1 and H2" in w.message] == ["merged"]
    db = open_db(tmp_path / "w.db")
    assert import_plans(db, [tmp_path / "p.pdf"]).imported == 1
    rows = db.execute("SELECT kind, message FROM plan_warnings").fetchall()
    assert [kind for kind, message in rows if "covers H1 and H2" in message] == ["merged"]
    [plan] = list_plans(db)
    assert any(w.kind == WarningKind.MERGED and "covers H1 and H2" in w.message for w in plan.warnings)
    db.conn.close()


def test_the_kinds_read_back_are_the_kinds_stored(tmp_path):
    db = open_db(tmp_path / "w.db")
    made = [PlanWarning(WarningKind.MISSING, "section J (transition) was not found"),
            PlanWarning(WarningKind.CHECK, "check sections: J not found"),
            PlanWarning(WarningKind.EMPTY, "section D has a heading ('Section D') but no text under it")]
    add_plan(db, label="p", file_name=None, sha256=None, pages=["x"], sections=[], warnings=made, cohort=None)
    [plan] = list_plans(db)
    assert plan.warnings == made and plan.redaction_warning is None
    db.conn.close()


def test_warnings_stored_before_kinds_were_given_get_their_kind_from_their_wording(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO plans (id, label, imported_at) VALUES (1, 'old', '2026-01-01')")
    old = [("sections", "section J (transition) was not found"),
           ("sections", "check sections: J not found"),
           ("sections", "one heading ('Section H') covers H1 and H2; its text is reported as H1"),
           ("other", "one heading ('Sections B, E and F') covers B, E, F; its text is reported under each"),
           ("sections", "section D has a heading ('Section D') but no text under it"),
           ("redaction", "looks unredacted: 1 NHS number (page 2: \"9**5\"); redact the plan before auditing")]
    conn.executemany("INSERT INTO plan_warnings (plan_id, kind, message) VALUES (1, ?, ?)", old)
    conn.commit()
    conn.close()
    db = open_db(path)
    [plan] = list_plans(db)
    assert [w.kind for w in plan.warnings] == ["missing", "check", "merged", "merged", "empty", "redaction"]
    assert plan.redaction_warning == old[-1][1]
    db.conn.close()
