"""Section finding on templates laid out the way councils lay them out (one test per kind of template)."""

import pytest

from councilmaker import ORDER, Layout, make_council_plan
from ehcaudit.ingest.read_plan import analyse_pdf
from f1 import mean_f1, token_f1


def found_texts(plan) -> dict[str, str]:
    out: dict[str, str] = {}
    for s in plan.sections:
        out[s.code] = (out[s.code] + "\n" + s.text) if s.code in out else s.text
    return out


def check(tmp_path, layout: Layout, seeds=(1, 2, 3)):
    plans = []
    for seed in seeds:
        layout.seed = seed
        made = make_council_plan(tmp_path / f"p{seed}.pdf", layout)
        plan = analyse_pdf(tmp_path / f"p{seed}.pdf")
        assert mean_f1(found_texts(plan), made.truth) >= 0.97, (seed, {s.code: s.heading for s in plan.sections})
        plans.append((plan, made))
    return plans


def test_long_statutory_headings_wrapped_over_lines_are_heading_not_body(tmp_path):
    for plan, made in check(tmp_path, Layout(headings="statutory")):
        g = next(s for s in plan.sections if s.code == "G")
        assert g.heading.endswith("having SEN") and token_f1(g.text, made.truth["G"]) == 1.0


def test_a_short_title_with_its_letter_in_brackets_is_that_section(tmp_path):
    for plan, _ in check(tmp_path, Layout(headings="bracketed")):
        assert [s.code for s in plan.sections] == ORDER
        assert all(s.score >= 90 and "names its section" in s.why for s in plan.sections)


def test_the_letter_on_one_line_and_a_person_centred_title_on_the_next(tmp_path):
    for plan, _ in check(tmp_path, Layout(headings="letter-then-title")):
        for s in plan.sections:
            assert s.heading.startswith(f"Section {s.code} ") and len(s.heading.split()) > 2


def test_person_centred_wordings_are_read_by_their_meaning(tmp_path):
    for plan, _ in check(tmp_path, Layout(headings="person-centred", running_header="My EHC plan")):
        assert [s.code for s in plan.sections] == ORDER


def test_headings_known_only_by_how_they_are_printed(tmp_path):
    check(tmp_path, Layout(headings="styled-lower"))


def test_sections_in_an_unusual_order(tmp_path):
    order = ["A", "E", "B", "F", "C", "G", "D", "H1", "H2", "I", "J", "K"]
    for plan, _ in check(tmp_path, Layout(headings="numbered", order=order)):
        assert [s.code for s in plan.sections] == order


def test_needs_outcomes_and_provision_table_cells_go_to_their_column(tmp_path):
    for plan, made in check(tmp_path, Layout(headings="statutory", merged_table=True)):
        texts = found_texts(plan)
        assert token_f1(texts["E"], made.truth["E"]) >= 0.97 and token_f1(texts["F"], made.truth["F"]) >= 0.97
        assert "E: Outcomes" not in texts["B"] + texts["E"]
        assert any(a.why == "column heading" for a in plan.set_aside)


def test_one_heading_per_area_naming_b_e_and_f(tmp_path):
    for plan, made in check(tmp_path, Layout(headings="person-centred", merged_headings=True)):
        texts = found_texts(plan)
        assert texts["B"] != texts["E"] != texts["F"]
        assert all(token_f1(texts[c], made.truth[c]) >= 0.95 for c in "BEF")


def test_two_column_pages(tmp_path):
    check(tmp_path, Layout(headings="person-centred", two_columns=True, footer="Page {n} of {nb}"))


def test_a_key_to_the_sections_and_a_sign_off_page_belong_to_no_section(tmp_path):
    for plan, made in check(tmp_path, Layout(headings="person-centred", key_table=True, cover=True, sign_off=True)):
        assert plan.sections[0].code == "A" and "Section B" not in plan.sections[0].text
        assert found_texts(plan)["K"] == made.truth["K"]


def test_labelled_parts_a1_to_a4_and_c1_sub_parts(tmp_path):
    for plan, made in check(tmp_path, Layout(headings="numbered", sub_parts=True)):
        assert [s.code for s in plan.sections].count("A") == 1
        assert "C1. Physical health" in found_texts(plan)["C"]
        assert {a.text for a in plan.set_aside if a.why == "part heading"} == set(made.furniture)


@pytest.mark.parametrize("layout", [Layout(headings="statutory", contents=True, cover=True),
                                    Layout(headings="bracketed", contents=True, running_header="EHC plan - {section}")])
def test_a_contents_page_with_dotted_leaders_starts_no_section(layout, tmp_path):
    for plan, _ in check(tmp_path, layout, seeds=(1,)):
        assert all(a.why in ("contents", "cover", "running header", "page number") for a in plan.set_aside)
        assert plan.sections[0].page_start >= 2
