"""Nothing a plan says is lost: furniture is told by its place on the page, and every line ends in one place."""

import json
import random
from collections import Counter

import pytest
from pypdf import PdfReader

from councilmaker import Layout, make_council_plan, random_layout
from ehcaudit.ingest.read_plan import analyse_pdf
from pdfmaker import blocks_for, make_plan
from test_sections import STATUTORY

NONE_SAYERS = ("C", "D", "G", "H1", "H2")


def words(text: str) -> Counter:
    return Counter(text.split())


def accounted_words(plan) -> Counter:
    """The words of every section's heading and text (a heading shared by several sections once) and of the set-aside list."""
    total: Counter = Counter()
    seen: set = set()
    for s in plan.sections:
        heading_key = (s.page_start, s.heading)
        if heading_key not in seen:
            seen.add(heading_key)
            total += words(s.heading)
        if (heading_key, s.text) not in seen:
            seen.add((heading_key, s.text))
            total += words(s.text)
    for a in plan.set_aside:
        total += words(a.text)
    return total


def pypdf_words(path) -> Counter:
    return sum((words(page.extract_text() or "") for page in PdfReader(path).pages), Counter())


@pytest.mark.parametrize("seed", range(24))
def test_every_line_ends_in_exactly_one_place(seed, tmp_path):
    layout = random_layout(random.Random(seed))
    make_council_plan(tmp_path / "p.pdf", layout)
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert accounted_words(plan) == pypdf_words(tmp_path / "p.pdf"), layout


@pytest.mark.parametrize("page_per_section", [False, True])
def test_short_none_lines_repeated_across_sections_stay_in_each_section(page_per_section, tmp_path):
    layout = Layout(headings="statutory", none_sections=NONE_SAYERS, page_per_section=page_per_section,
                    running_header="OFFICIAL - SENSITIVE", footer="Page {n} of {nb}")
    made = make_council_plan(tmp_path / "p.pdf", layout)
    plan = analyse_pdf(tmp_path / "p.pdf")
    for code in NONE_SAYERS:
        section = next(s for s in plan.sections if s.code == code)
        assert section.text == made.truth[code] and section.states_none
    assert not any(a.text in {made.truth[c] for c in NONE_SAYERS} for a in plan.set_aside)


def test_a_running_header_naming_the_section_is_set_aside_on_every_page(tmp_path):
    made = make_council_plan(tmp_path / "p.pdf", Layout(headings="statutory", running_header="EHC plan - {section}",
                                                        page_per_section=True))
    plan = analyse_pdf(tmp_path / "p.pdf")
    headers = [a for a in plan.set_aside if a.why == "running header"]
    assert {a.page for a in headers} == set(range(1, len(plan.pages) + 1))
    assert not any("EHC plan" in s.text for s in plan.sections)
    assert all(s.text == made.truth[s.code] for s in plan.sections)


@pytest.mark.parametrize("footer", ["Page {n} of {nb}", "{n}/{nb}", "- {n} -", "{n}"])
def test_page_numbers_in_any_form_are_set_aside(footer, tmp_path):
    make_plan(tmp_path / "p.pdf", blocks_for(STATUTORY), page_per_block=True, header=None, footer=footer)
    plan = analyse_pdf(tmp_path / "p.pdf")
    numbers = [a for a in plan.set_aside if a.why in ("page number", "running footer")]
    assert len(numbers) == len(plan.pages)
    assert not any(line.strip().strip("-/ ").isdigit() for s in plan.sections for line in s.text.splitlines())


def test_a_watermark_drawn_across_the_page_is_set_aside(tmp_path):
    made = make_council_plan(tmp_path / "p.pdf", Layout(headings="statutory", watermark="DRAFT", page_per_section=True))
    plan = analyse_pdf(tmp_path / "p.pdf")
    assert any(a.why == "watermark" and a.text == "DRAFT" for a in plan.set_aside)
    assert all("DRAFT" not in s.text for s in plan.sections)
    assert all(s.text == made.truth[s.code] for s in plan.sections)


def test_cover_contents_and_sign_off_are_set_aside_and_not_in_k(tmp_path):
    made = make_council_plan(tmp_path / "p.pdf", Layout(headings="statutory", cover=True, contents=True, sign_off=True))
    plan = analyse_pdf(tmp_path / "p.pdf")
    why = {a.text: a.why for a in plan.set_aside}
    assert why["Education, Health and Care Plan"] == "cover"
    assert why["Contents"] == "contents"
    assert all(why[line] == "sign-off" for line in made.furniture)
    assert plan.sections[-1].code == "K" and plan.sections[-1].text == made.truth["K"]


def test_inspect_counts_the_set_aside_lines_and_lists_them_on_request(cli, tmp_path):
    make_council_plan(tmp_path / "p.pdf", Layout(headings="statutory", running_header="OFFICIAL", footer="Page {n} of {nb}"))
    table = cli("inspect", str(tmp_path / "p.pdf")).stdout
    data = json.loads(cli("inspect", str(tmp_path / "p.pdf"), "--format", "json").stdout)
    assert f"{len(data['set_aside'])} lines set aside" in table and "running header" not in table
    listed = cli("inspect", str(tmp_path / "p.pdf"), "--show-set-aside").stdout
    assert "running header" in listed and "Page 1 of" in listed
    assert {a["why"] for a in data["set_aside"]} >= {"running header", "page number"}


def test_a_section_that_says_none_is_told_apart_from_a_heading_with_no_text(tmp_path):
    from ehcaudit.sections import find_sections

    page = "\n".join(["Section A: All about me", "I like trains.", "Section C: Health needs", "None identified.",
                      "Section D: Social care needs", "Section E: Outcomes", "By July I will read a page."])
    found = find_sections([page])
    assert found.get("C").states_none and found.get("C").text == "None identified."
    assert found.get("D").text == "" and not found.get("D").states_none
    assert any("section D has a heading" in w and "no text" in w for w in (x.message for x in found.warnings))
    assert not any("section C has a heading" in w for w in (x.message for x in found.warnings))
    assert any(w.startswith("section B") and "not found" in w for w in (x.message for x in found.warnings))
