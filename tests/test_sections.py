"""Finding sections whatever the council's template looks like."""

import json
from pathlib import Path

import pytest

from ehcaudit.ingest.read_plan import analyse_pdf
from ehcaudit.sections import find_sections
from f1 import mean_f1, token_f1
from pdfmaker import BODY, Block, blocks_for, make_plan

TRUTH = Path(__file__).parent / "truth"
STATUTORY = {
    "A": "Section A: The views, interests and aspirations of the child and their parents or young person",
    "B": "Section B: Special educational needs", "C": "Section C: Health needs related to SEN",
    "D": "Section D: Social care needs", "E": "Section E: Outcomes", "F": "Section F: Special educational provision",
    "G": "Section G: Health provision", "H1": "Section H1: Social care provision under section 2 of the CSDPA 1970",
    "H2": "Section H2: Other social care provision", "I": "Section I: Placement", "J": "Section J: Personal budget",
    "K": "Section K: Advice and information",
}


def found_texts(pdf: Path) -> dict[str, str]:
    return {s.code: s.text for s in analyse_pdf(pdf).sections}


@pytest.mark.parametrize("style", ["northshire", "southborough", "eastwick", "westmere"])
def test_each_sample_template_style_is_split_accurately(style, sample_plans_dir):
    scores = []
    for truth_file in sorted(TRUTH.glob("*.json")):
        truth = json.loads(truth_file.read_text())
        if truth["style"] == style:
            scores.append(mean_f1(found_texts(sample_plans_dir / f"{truth_file.stem}.pdf"), truth["sections"]))
    assert scores and min(scores) >= 0.97, scores


UNSEEN_LAYOUTS = {
    "my-profile": {
        "A": "Section A My Profile", "B": "Section B: Education needs", "C": "Section C: Health",
        "D": "Section D: Social Care", "E": "Section E: Outcomes", "F": "Section F: Provision",
        "G": "Section G: Health Provision", "H": "Section H: Social Care Provision", "I": "Section I: School",
        "J": "Section J: Personal Budget", "K": "Section K: Advice",
    },
    "numbered": {
        "A": "1. About me", "B": "2. My special educational needs", "C": "3. My health needs",
        "D": "4. My social care needs", "E": "5. My outcomes", "F": "6. Special educational provision",
        "G": "7. Health provision", "H1": "8. Social care provision (CSDPA 1970 section 2)",
        "H2": "9. Other social care provision", "I": "10. Placement", "J": "11. Personal budget",
        "K": "12. Advice and information received",
    },
    "no-letters": {
        "A": "My One Page Profile", "B": "My Special Educational Needs", "C": "My Health Needs",
        "D": "My Social Care Needs", "E": "Outcomes I want to achieve", "F": "Special Educational Provision",
        "G": "Health Provision", "H": "Social Care Provision", "I": "Name and Type of School",
        "J": "Personal Budget and Direct Payments", "K": "Advice and Information Gathered",
    },
    "part-capitals": {
        "A": "PART A ALL ABOUT ME", "B": "PART B SPECIAL EDUCATIONAL NEEDS", "C": "PART C HEALTH NEEDS",
        "D": "PART D SOCIAL CARE NEEDS", "E": "PART E OUTCOMES SOUGHT", "F": "PART F SPECIAL EDUCATIONAL PROVISION",
        "G": "PART G HEALTH PROVISION", "H1": "PART H1 SOCIAL CARE PROVISION (CSDPA)", "H2": "PART H2 OTHER SOCIAL CARE PROVISION",
        "I": "PART I PLACEMENT", "J": "PART J PERSONAL BUDGET", "K": "PART K ADVICE AND INFORMATION",
    },
}


@pytest.mark.parametrize("layout", sorted(UNSEEN_LAYOUTS))
def test_layouts_the_sample_plans_do_not_use(layout, tmp_path):
    shaded = layout == "part-capitals"
    truth = make_plan(tmp_path / "p.pdf", blocks_for(UNSEEN_LAYOUTS[layout], shaded=shaded), contents=layout != "numbered")
    assert mean_f1(found_texts(tmp_path / "p.pdf"), truth) >= 0.97


def test_wrapped_heading_is_still_found_and_kept_out_of_the_text(tmp_path):
    long = "Section G: Any health provision reasonably required by the learning difficulties or disabilities which result in the child or young person having SEN"
    headings = {**STATUTORY, "G": long}
    make_plan(tmp_path / "p.pdf", blocks_for(headings))
    plan = analyse_pdf(tmp_path / "p.pdf")
    g = next(s for s in plan.sections if s.code == "G")
    assert g.heading.startswith("Section G") and g.heading.endswith("having SEN")
    assert token_f1(g.text, "\n".join(BODY["G"])) == 1.0


def test_contents_page_does_not_start_sections(tmp_path):
    make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY), contents=True)
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert [s.page_start for s in plan.sections][0] == 3  # cover, contents, then the plan
    assert "........." not in "".join(s.text for s in plan.sections)


def test_running_headers_footers_and_page_numbers_stay_out_of_the_text(tmp_path):
    make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY), page_per_block=True, header="OFFICIAL - SENSITIVE", footer="Page {n} of {nb}")
    text = " ".join(s.text for s in analyse_pdf(tmp_path / "p.pdf").sections)
    assert "OFFICIAL" not in text and "Page " not in text


def test_outcome_and_provision_column_headers_are_not_headings(tmp_path):
    blocks = blocks_for(STATUTORY)
    f = next(b for b in blocks if b.code == "F")
    f.table_header = "Outcome Provision By whom Frequency"
    blocks.insert(blocks.index(f) + 1, Block("F", "Provision", []))  # a lone column header line
    blocks[blocks.index(f) + 1].code = "F"
    make_plan(tmp_path / "p.pdf", blocks)
    plan = analyse_pdf(tmp_path / "p.pdf")
    codes = [s.code for s in plan.sections]
    assert codes.count("F") == 1 and codes.index("F") == codes.index("E") + 1
    assert "Outcome Provision By whom Frequency" in next(s for s in plan.sections if s.code == "F").text


def test_one_h_heading_is_reported_as_h1_with_a_warning(tmp_path):
    headings = {k: v for k, v in STATUTORY.items() if k not in ("H1", "H2")}
    headings["H"] = "Section H: Social care provision"
    order = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"]
    make_plan(tmp_path / "p.pdf", blocks_for(headings, order))
    plan = analyse_pdf(tmp_path / "p.pdf")
    codes = [s.code for s in plan.sections]
    assert "H1" in codes and "H2" not in codes
    assert any("covers H1 and H2" in w for w in (x.message for x in plan.warnings))
    assert not any("section H2" in w for w in (x.message for x in plan.warnings))


def test_sections_out_of_order_are_reported_in_document_order(tmp_path):
    order = ["A", "I", "B", "E", "F", "C", "G", "D", "H1", "H2", "K", "J"]
    truth = make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY, order))
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert [s.code for s in plan.sections] == order
    assert mean_f1({s.code: s.text for s in plan.sections}, truth) >= 0.97


def test_missing_sections_are_warned_about_never_invented(tmp_path):
    order = [c for c in STATUTORY if c not in ("D", "J")]
    make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY, order))
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert {s.code for s in plan.sections} == set(order)
    assert any(w.startswith("section D") and "not found" in w for w in (x.message for x in plan.warnings))
    assert any(w.startswith("section J") and "not found" in w for w in (x.message for x in plan.warnings))


def test_typing_mistakes_in_headings(tmp_path):
    headings = {**STATUTORY, "C": "Secton C: Helath neds", "J": "Section J: Personal Budjet", "K": "Advice and Infomation Recieved"}
    truth = make_plan(tmp_path / "p.pdf", blocks_for(headings))
    assert mean_f1(found_texts(tmp_path / "p.pdf"), truth) >= 0.97


def test_a1_and_a2_are_joined_into_a(tmp_path):
    blocks = blocks_for(STATUTORY)
    blocks[0] = Block("A", "A1: My history", ["I was born in [REDACTED] and moved here when I was four."])
    blocks.insert(1, Block("A", "A2: My views, interests and aspirations", BODY["A"]))
    truth = make_plan(tmp_path / "p.pdf", blocks)
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert [s.code for s in plan.sections].count("A") == 1
    a = plan.sections[0]
    assert token_f1(a.text, truth["A"]) == 1.0 and "A2" not in a.text


def test_headings_in_shaded_table_cells(tmp_path):
    truth = make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY, shaded=True))
    assert mean_f1(found_texts(tmp_path / "p.pdf"), truth) >= 0.97


def test_page_ranges_follow_the_pages(tmp_path):
    make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY), page_per_block=True, cover=True)
    plan = analyse_pdf(tmp_path / "p.pdf")
    # cover (1), an empty page (2), then one page per section
    assert [s.page_start for s in plan.sections] == list(range(3, 3 + len(plan.sections)))
    assert all(s.page_end == s.page_start for s in plan.sections)


def test_plain_text_with_no_headings_says_so():
    found = find_sections(["Just a letter about a meeting.\nNothing here looks like a plan."])
    assert found.sections == [] and "no section headings" in found.warnings[0].message


def test_body_lines_that_mention_sections_do_not_start_them():
    page = "\n".join([
        "Section A: All about me",
        "I like trains. The provision in section F below will help me.",
        "Health needs are described by the paediatrician in the report",
        "listed in section K and in the special educational needs section.",
        "Section B: Special educational needs",
        "Reading is behind.",
    ])
    found = find_sections([page])
    assert [s.code for s in found.sections] == ["A", "B"]


def test_one_heading_for_h1_and_h2_written_out(tmp_path):
    headings = {k: v for k, v in STATUTORY.items() if k not in ("H1", "H2")}
    headings["H"] = "Section H1 and H2: Social care provision"
    order = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"]
    truth = make_plan(tmp_path / "p.pdf", blocks_for(headings, order))
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert mean_f1({s.code: s.text for s in plan.sections}, truth) >= 0.97
    assert any("covers H1 and H2" in w for w in (x.message for x in plan.warnings))


def test_letter_and_title_in_separate_table_cells():
    page = "\n".join(["A All about me", "I like trains.", "B Special educational needs", "A teaching assistant helps me read.",
                      "I Placement", "[REDACTED] Primary School"])
    found = find_sections([page])
    assert [s.code for s in found.sections] == ["A", "B", "I"]
    assert "A teaching assistant helps me read." in found.get("B").text


def test_contents_table_without_title_or_leaders():
    contents = "\n".join(f"{h} {3 + i}" for i, h in enumerate(STATUTORY.values()))
    body = "\n".join(f"{h}\n{' '.join(BODY[c])}" for c, h in STATUTORY.items())
    found = find_sections([contents, body])
    assert all(s.page_start == 2 for s in found.sections) and len(found.sections) == 12


def test_numbered_section_headings_and_continued_headings(tmp_path):
    headings = {c: f"{i}. {h}" for i, (c, h) in enumerate(STATUTORY.items(), start=1)}
    blocks = blocks_for(headings)
    f = next(b for b in blocks if b.code == "F")
    f.body = f.body + ["Section F: Special educational provision (continued)"] + BODY["F"]
    truth = make_plan(tmp_path / "p.pdf", blocks)
    truth["F"] = "\n".join(BODY["F"] * 2)
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert mean_f1({s.code: s.text for s in plan.sections}, truth) >= 0.97
    assert "continued" not in plan.sections[5].text


@pytest.mark.parametrize("between", ["", "This plan was written with the family.\n"])
def test_contents_list_without_page_numbers_does_not_start_sections(between):
    contents = "\n".join(["Contents"] + list(STATUTORY.values())) + "\n" + between
    body = "\n".join(f"{h}\n{' '.join(BODY[c])}" for c, h in STATUTORY.items())
    found = find_sections([contents + body])
    assert len(found.sections) == 12
    for s in found.sections:
        assert s.text == " ".join(BODY[s.code])


UNLETTERED = {
    "A": "All about me", "B": "My special educational needs", "C": "My health needs", "D": "My social care needs",
    "E": "My outcomes", "F": "Special educational provision", "G": "Health provision", "H1": "Social care provision (CSDPA 1970)",
    "H2": "Other social care provision", "I": "Name and type of school", "J": "Personal budget", "K": "Advice and information",
}


def test_a_sub_heading_that_reads_like_another_sections_title_does_not_start_it():
    # A one-page profile has its own "My health" and "My school" sub-headings, before B.
    body = {c: " ".join(BODY[c]) for c in UNLETTERED}
    body["A"] = "My health\nI have asthma and use an inhaler.\nMy school\nI like my teacher.\n" + body["A"]
    found = find_sections(["\n".join(f"{UNLETTERED[c]}\n{body[c]}" for c in UNLETTERED)])
    assert [s.code for s in found.sections] == list(UNLETTERED)
    assert found.get("A").text == body["A"]
    assert found.get("C").text == body["C"] and found.get("I").text == body["I"]


def test_a_sub_heading_under_a_heading_is_body_text_not_part_of_the_heading():
    page = "\n".join([STATUTORY["C"], "The paediatrician's report is listed in K.", STATUTORY["D"], "Social care",
                      "The family has a social worker.", "Social care assessment", "Completed in May.", STATUTORY["E"], "By July."])
    found = find_sections([page])
    assert found.get("D").heading == STATUTORY["D"]
    assert found.get("D").text == "Social care\nThe family has a social worker.\nSocial care assessment\nCompleted in May."


def test_a_long_sentence_that_ends_two_pages_is_not_a_running_footer():
    sentence = "Staff have noticed that reading improves when routines are predictable and the classroom is calm."
    pages = [f"{STATUTORY['A']}\nI like trains.\n{sentence}", f"{STATUTORY['B']}\nReading is behind.",
             f"{STATUTORY['C']}\nNone known.\n{sentence}"]
    found = find_sections(pages)
    assert found.get("A").text.endswith(sentence) and found.get("C").text.endswith(sentence)


def test_history_and_views_as_a1_and_a2():
    page = "\n".join(["1. History and background", "Born in 2015.", "2. My views", "I like trains.",
                      "3. My special educational needs", "Reading is behind."])
    found = find_sections([page])
    assert [s.code for s in found.sections] == ["A", "B"]
    assert found.get("A").text == "Born in 2015.\nI like trains."


def test_one_heading_for_needs_outcomes_and_provision_is_reported_under_each():
    table = "Needs Outcomes Provision By whom Frequency\nReading is behind. By July reads a page. Precision teaching TA Daily"
    page = "\n".join([STATUTORY["A"], "I like trains.", "Sections B, E and F: Needs, outcomes and provision", table,
                      "Sections B and E are linked by the table above.", STATUTORY["C"], "None known."])
    found = find_sections([page])
    assert [s.code for s in found.sections] == ["A", "B", "E", "F", "C"]
    assert found.get("E").text == found.get("F").text == found.get("B").text
    assert found.get("B").text.startswith(table)
    assert any("covers B, E, F" in w for w in (x.message for x in found.warnings))
    assert not any("section E" in w or "section F" in w for w in (x.message for x in found.warnings))


def test_how_a_line_is_printed_tells_a_heading_from_body_text(tmp_path):
    # No letters, and the last line of F reads exactly like G's title: only the print tells them apart.
    blocks = blocks_for(UNLETTERED)
    f = next(b for b in blocks if b.code == "F")
    f.body = f.body + ["Health provision"]
    truth = make_plan(tmp_path / "p.pdf", blocks)
    plan = analyse_pdf(tmp_path / "p.pdf")
    found = {s.code: s.text for s in plan.sections}
    assert found["F"].endswith("Health provision") and found["G"] == truth["G"]
