"""Pre-checks: hints on weak wording, decided by the structure of each statement (own sentences, not a yardstick's)."""

import json
from dataclasses import dataclass

import pytest

from ehcaudit.checks import check_sections, copy_hints
from ehcaudit.checks.needs import unprovided_needs
from ehcaudit.checks.outcomes import read_outcome
from ehcaudit.checks.provision import read_provision
from ehcaudit.checks.statements import page_of, statements
from ehcaudit.checks.voice import voice_problem


@dataclass
class Sec:
    code: str
    text: str
    page_start: int = 1
    page_end: int = 1


# ------------------------------------------------------------------ provision


@pytest.mark.parametrize("line", [
    "Access to a laptop for all written work, provided by school.",
    "Support with turn-taking: the learning mentor will run a 20-minute card game with Ned and one friend every Tuesday lunchtime.",
    "Small group (Ana and two classmates) phonics with the HLTA for 15 minutes every morning.",
    "After any fall, the school first aider will check Eve and phone her parents the same day.",
    "Direct payment for 5 hours a week of a personal assistant, used as the family chooses (e.g. evenings or weekends).",
    "The council will fit a ramp at the front door by the end of May.",
])
def test_a_line_that_says_what_who_and_when_is_specific_even_with_a_hedge_word(line):
    assert not read_provision(line).vague


@pytest.mark.parametrize("line, missing", [
    ("Access to a quiet room when needed.", "decision open"),
    ("He will have occupational therapy for his handwriting.", "how much or how often"),
    ("Nurture sessions every day, run by trained staff.", "how long"),
    ("A 30-minute SaLT session from the NHS therapist every fortnight, with staff to practise targets throughout the week.", "who"),
    ("Up to 10 hours of TA support a week.", "decision open"),
    ("Phonics in a small group with a TA for 20 minutes daily.", "small group"),
    ("X will receive direct physiotherapy for 45 minutes, delivered by the NHS physiotherapist.", "how often"),
])
def test_vague_provision_names_what_is_missing(line, missing):
    from ehcaudit.checks.provision import describe

    reading = read_provision(line)
    assert reading.vague
    message, suggestion = describe(reading)
    assert missing in message
    assert suggestion


def test_no_provision_lines_and_review_cells_get_no_hint():
    hints = check_sections([Sec("G", "No health provision is required.\nReviewed at annual review\n")], [""])
    assert hints == []


# ------------------------------------------------------------------ outcomes


@pytest.mark.parametrize("line", [
    "By July 2027, Omar will travel to college independently.",
    "By his next annual review, Joe will put on his own shoes before going out to play.",
    "Within the next school year, Lia will order a drink in a cafe using her communication app.",
])
def test_an_outcome_with_a_time_frame_and_an_observable_behaviour_is_smart_without_a_number(line):
    assert read_outcome(line).kind is None


@pytest.mark.parametrize("line", [
    "Ben will improve his communication skills.",
    "By July 2027, Ben will have a better understanding of time.",
    "By the end of Year 8, Ben will be more confident.",
    "Ben will read three short books.",  # observable, but by when?
])
def test_an_outcome_without_a_time_frame_or_an_observable_measure_is_not_smart(line):
    assert read_outcome(line).kind == "outcome-not-smart"


@pytest.mark.parametrize("line", [
    "Kim will receive 5 hours of TA support a week.",
    "Kim will have access to speech and language therapy.",
    "By Easter, Kim will have completed a six-week anxiety programme.",
    "Kim will have a named key worker.",
])
def test_an_outcome_that_is_a_service_is_provision(line):
    assert read_outcome(line).kind == "outcome-is-provision"


# ------------------------------------------------------------------ voice


def test_section_a_with_the_childs_quoted_words_has_a_voice():
    assert voice_problem("Parents' views\nMum says Sol loves buses.\nSol said, 'I want to drive a bus.'") is None


def test_section_a_reported_only_by_adults_is_indirect():
    found = voice_problem("Mum says Sol loves buses. His teacher reports that he is kind. They hope he will make friends.")
    assert found and "own words" in found[1]


def test_first_person_written_by_a_parent_is_not_the_childs_voice():
    assert voice_problem("I have always worried about Sol's speech. I want him to be happy.\n(Written by Sol's mum.)")


def test_views_not_gathered_is_indirect():
    assert voice_problem("Sol's views could not be gathered for this plan.")


def test_first_person_headings_alone_are_not_the_childs_voice():
    assert voice_problem("What I like\nSol's grandad says he likes trains and cooking.")


# ------------------------------------------------------------------ needs


B = """Communication and interaction
Zac uses short phrases and finds it hard to follow spoken instructions with two steps in class.
Social, emotional and mental health
Zac becomes very distressed when routines change and may run out of the classroom; he has no close friends.
Sensory and/or physical
Zac's hearing and vision are within normal limits and no physical needs have been identified.
"""


def test_an_area_described_in_b_with_nothing_in_f_is_named():
    f = "Speech and language\n• Speech and language therapy from the NHS SaLT for 30 minutes every fortnight.\n"
    assert [n.area for n in unprovided_needs(B, f)] == ["social, emotional and mental health"]


def test_f_in_its_own_words_and_without_headings_still_covers_the_need():
    f = "• SaLT for 30 minutes every fortnight.\n• A weekly ELSA session about his worries and feelings for 30 minutes.\n"
    assert unprovided_needs(B, f) == []


# ------------------------------------------------------------------ copying


def _plan(name, a_text):
    return (name, [Sec("A", a_text)], [a_text])


def test_a_paragraph_copied_between_two_plans_names_the_other_plan_and_boilerplate_is_not_copying():
    standard = ("This plan was written with the family and will be reviewed at least every twelve months "
                "at an annual review meeting led by the school with the family present.")
    copied = ("{n} loves being outdoors and spends most of break on the climbing frame. {n} finds the dinner hall "
              "too loud and eats more when allowed to sit in the library with a friend.")
    plans = [_plan(f"plan-{i}.pdf", standard + "\n\n" + f"{['Abe', 'Bea', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal'][i]} enjoys a different thing number {i} entirely on its own terms and in its own words for this test only.")
             for i in range(8)]
    plans[1] = _plan("plan-1.pdf", standard + "\n\n" + copied.format(n="Bea"))
    plans[5] = _plan("plan-5.pdf", standard + "\n\n" + copied.format(n="Flo"))
    out = copy_hints(plans)
    flagged = {i for i, hints in enumerate(out) if hints}
    assert flagged == {1, 5}
    assert "plan-5.pdf" in out[1][0].message and out[1][0].quote.startswith("Bea loves")


# ------------------------------------------------------------------ statements and the contract


def test_wrapped_lines_of_a_bullet_are_one_statement_and_the_page_is_found():
    text = "• The TA will read every test paper aloud to Mo,\nin a separate room, for all tests.\n• Mo will use a laptop for all written work, provided by school.\n"
    found = statements("F", text)
    assert [s.text for s in found] == [
        "The TA will read every test paper aloud to Mo, in a separate room, for all tests.",
        "Mo will use a laptop for all written work, provided by school.",
    ]
    pages = ["Section E ...", "Section F\n• The TA will read every test paper aloud to Mo,\nin a separate room"]
    assert page_of(found[0].text, pages, 1, 2) == 2


def test_check_json_keeps_to_the_contract(tmp_path, cli):
    from pdfmaker import blocks_for, make_plan

    pdf = tmp_path / "plan-x.pdf"
    make_plan(pdf, blocks_for({}))
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    result = cli("check", str(pdf), str(bad), "--format", "json")
    assert result.returncode == 1
    assert "broken.pdf" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 1 and "plan-x.pdf" in data[0]["file"]
    for hint in data[0]["hints"]:
        assert {"kind", "section", "page", "quote", "message"} <= hint.keys()
        assert isinstance(hint["page"], int)


def test_check_db_needs_an_existing_database(tmp_path, cli):
    result = cli("check", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "no such database" in result.stderr


def test_a_copy_with_words_changed_is_found_but_a_shared_statutory_sentence_is_not():
    from ehcaudit.checks.copies import comparable_words as normalise
    from ehcaudit.checks.copies import similarity

    a = ("Milo gets upset when the classroom is noisy and will cover his ears, drop to the floor and refuse to move "
         "until an adult he trusts sits beside him quietly and counts down from ten with him.")
    b = ("Ruby gets distressed when the classroom is loud and will cover her ears, drop to the floor and refuse to move "
         "until an adult she knows sits beside her quietly and counts down from ten with her.")
    duty = ("In line with the duty to have regard to the views, wishes and feelings of the child and the child's parents "
            "under section 19 of the Children and Families Act 2014,")
    c = duty + " we met Milo at home with his dad and he showed us his drawings of trains and buses."
    d = duty + " Ruby's key worker gathered her views at nursery over two mornings using photographs."
    ratio, _ = similarity(normalise(a), normalise(b))
    assert ratio >= 0.7
    ratio, _ = similarity(normalise(c), normalise(d))
    assert ratio < 0.7
