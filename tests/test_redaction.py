"""Spotting plans that still hold personal data, in the formats real plans and forms use.

Every value here is made up: NHS numbers from the 999 test range with worked-out check
digits, Ofcom's drama phone numbers, example.* email domains.
"""

import json

import pytest

from ehcaudit.ingest.redaction import describe, mask, nhs_number_is_valid, scan_pages, scan_text, short_summary
from pdfmaker import blocks_for, make_plan
from test_sections import STATUTORY


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9434765870", "9990895422", "9992780959"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "1234567890", "123456789", "abcdefghij", "9991702365"])
def test_invalid_nhs_numbers_fail(number):
    assert not nhs_number_is_valid(number)


def kinds(text):
    return sorted({f.kind for f in scan_text(text)})


# ---------------------------------------------------------------- NHS numbers

@pytest.mark.parametrize("line", [
    "Seen at clinic; 999 341 9974 on the letter",  # 3-3-4
    "999 6615 693",  # 3-4-3
    "999.670.1123",  # dots
    "999-089-5422",
    "seen at clinic, 9992780959",  # no separators
])
def test_a_bare_ten_digit_number_with_a_valid_check_digit_is_an_nhs_number(line):
    assert kinds(line) == ["nhs_number"]


@pytest.mark.parametrize("line", [
    "NHS number: 999 170 2365",
    "NHS No. 999.080.6957",
    "nhs no 9995771270",
    "N.H.S. number - 999 5771 270",
    "The child's NHS number (if known): 999 080 6957",
])
def test_a_number_labelled_as_an_nhs_number_counts_whatever_its_check_digit(line):
    assert not nhs_number_is_valid("9991702365")
    assert kinds(line) == ["nhs_number"]


@pytest.mark.parametrize("text", [
    "NHS number\n999 170 2365",  # the label's table cell on the line above
    "Name NHS number Year group\n[REDACTED] 999 080 6957 Year 4",  # a header row over a row of values
    "Name\nNHS number\nSchool\n[REDACTED]\n9995771270\n[REDACTED]",  # a two-column table read column by column
])
def test_a_labelled_nhs_number_in_the_next_cell_counts(text):
    assert kinds(text) == ["nhs_number"]


@pytest.mark.parametrize("line", [
    "Reference 999 170 2365",  # check digit fails, no label
    "Case ref 1401661246",  # a valid check digit, but labelled as a case reference
    "Invoice 4413784138 paid in full",
    "ULN: 6840629724",
    "UPN H801200001001",
    "Case number CASE-2025-004417",
    "NHS number: [REDACTED]",
    "The NHS trust will fund 12 sessions.",
])
def test_other_numbers_are_not_nhs_numbers(line):
    assert kinds(line) == []


# ---------------------------------------------------------------- postcodes

@pytest.mark.parametrize("line", [
    "Lives at 22 Beech Grove, Sometown, LS2 9JT",
    "home postcode ls2 9jt",
    "ls29jt",
    "LS29JT",
    "Address: 5 Park Road, London SW1A 2AA.",
    "wc1x8aa",
])
def test_postcodes_in_any_case_with_or_without_the_space(line):
    assert kinds(line) == ["postcode"]


def test_a_postcode_alone_in_a_table_cell(tmp_path):
    assert kinds("Postcode\nbd3 9qz") == ["postcode"]


@pytest.mark.parametrize("line", [
    "Outcome E1 2nd term",  # a code and an ordinal, not a postcode
    "See section F2 and outcome B3.",
    "SEN2 census",
    "KS2 results",
    "QX1 2AB",  # no postcode area starts with Q
    "AB1 2CI",  # the inward code never uses C or I
    "Group E2 9am start",
    "Year 10 2nd set",
])
def test_codes_that_only_look_like_postcodes_are_not_flagged(line):
    assert kinds(line) == []


# ---------------------------------------------------------------- dates of birth

@pytest.mark.parametrize("line", [
    "DOB 05.11.16",
    "DoB: 05/11/16",
    "D.O.B. 2016-11-05",
    "Date of birth: November 5, 2016",
    "Date of birth 05-Nov-2016",
    "Date of Birth: 5th November 2016",
    "date of birth 5 Nov 16",
    "Birth date: 2016/11/05",
    "Jo was born on 5 November 2016 in hospital.",
    "born 05.11.2016",
    "Age 9 (DOB 05.11.16)",
    "05/11/2016 (DOB)",
    "DOB: 20161105",
    "Date of birth05/11/2016",  # label and value cells run together by the extraction
    "DOB: 5th November",  # the year left off is still a birthday
])
def test_dates_of_birth_in_every_common_form(line):
    assert kinds(line) == ["date_of_birth"]


@pytest.mark.parametrize("text", [
    "Date of birth\n05/11/2016",  # the label's cell on the line above
    "DOB:\n5th Nov 2016",
    "Jo was born on\n5 November 2016 at home.",  # a sentence wrapped after the phrase
    "Jo was born on 5 November\n2016 at home.",  # ... or inside the date
    "Name Date of birth Year group\n[REDACTED] 05/11/2016 Year 5",
    "Name DOB Date of plan\n[REDACTED] 05/11/2016 10/02/2026",
    "Name\nDate of birth\nSchool\n[REDACTED]\n05.11.16\n[REDACTED]",
    "Name\nDate of birth\nChild A\n05/11/2016",  # a stand-in name is a value, not another label
    "Name\nDate of birth\nHome town\nJo Bloggs\n05/11/2016\nSometown",  # a value that reads like a label
])
def test_a_date_of_birth_in_the_next_line_or_cell(text):
    assert kinds(text) == ["date_of_birth"]


@pytest.mark.parametrize("text", [
    "Annual review held on 10/02/2026",
    "Advice dated 3rd March 2026",
    "Meeting: 2026-03-10",
    "Date of birth: XX/XX/XXXX",
    "DOB: [REDACTED]",
    "D.O.B. ##/##/####",
    "born to be wild",
    "He was born at 30 weeks and spent a month in special care.",
    "Mum was born in Ghana; the family speaks Twi at home.",
    "Name DOB Review date\n[REDACTED] [REDACTED] 10/07/2026",  # the only date below is the review's
    "Date of birth: [REDACTED]\nDate of review: 10/07/2026",
    "Date of birth\n[REDACTED]\n10/07/2026",
    "Name\nDate of birth\nReview date\nChild A\n[REDACTED]\n10/07/2026",  # the review's date, the birth redacted
    "Name\nDate of birth\nChild A\n[REDACTED]\n10/07/2026 review",
    "Year 5, born in the 2016/17 school year",
    "Year 5: children born 1 September 2015 - 31 August 2016",  # a year group's span
    "DOB checked by the office 10/02/2026",
])
def test_other_dates_and_redacted_births_are_not_flagged(text):
    assert kinds(text) == []


# ---------------------------------------------------------------- phone numbers

@pytest.mark.parametrize("line", [
    "call 07700 900123",
    "call 0161 496 0000",
    "+44 7700 900123",
    "Home: (020) 7946 0321",
    "(01632) 960777",
    "0044 7700 900555",
    "0044 (0)20 7946 0877",
    "+44 (0) 113 496 0411",
    "Mobile: 07700-900-246",
    "Tel 0300 555 0177",  # a service number, but under a phone label
])
def test_phone_numbers_with_brackets_international_prefixes_and_mobiles(line):
    assert kinds(line) == ["phone"]


@pytest.mark.parametrize("line", [
    "30 minutes, 10 times, 2026",
    "1:1 support, 32.5 hours per week",
    "2 hours per week (ratio 1:3)",
    "Standard score 78, percentile 7, age 11 years 2 months",
    "Band 3: £7,450 per annum",
    "Case ref 01632 960 333",  # phone-shaped, but labelled as a case reference
    "Times: 0900-1500",
])
def test_hours_ratios_scores_and_references_are_not_phone_numbers(line):
    assert kinds(line) == []


# ---------------------------------------------------------------- email addresses

@pytest.mark.parametrize("line", [
    "email j.smith@example.org",
    "jo dot bloggs at example dot com",
    "jo.bloggs [at] example [dot] co [dot] uk",
    "jo_bloggs(at)example.net",
    "Email: jobloggs at example.com",
    "JO.BLOGGS@EXAMPLE.SCH.UK",
])
def test_email_addresses_plain_and_spelled_out(line):
    assert kinds(line) == ["email"]


@pytest.mark.parametrize("line", [
    "She looks at example.com for recipes.",
    "Please email the SEND team via the portal.",
    "Email: [REDACTED]",
    "xxxx@xxxx.com",
])
def test_sentences_with_at_and_redacted_addresses_are_not_emails(line):
    assert kinds(line) == []


# ---------------------------------------------------------------- ordinary plan text

@pytest.mark.parametrize("line", [
    "Year 6", "Year 11 (Key Stage 4)", "Child A", "[REDACTED]", "XXXXX", "SEN2",
    "Outcome E4.2: by July 2027", "Section I: [REDACTED] Academy",
    "Top-up funding band D2", "Reviewed 14 January 2026 by the SENCo",
])
def test_ordinary_plan_text_is_not_flagged(line):
    assert kinds(line) == []


# ---------------------------------------------------------------- the warning

def test_masking_keeps_only_the_first_and_last_characters():
    assert mask("999 341 9974") == "9**********4"
    assert mask("ls2 9jt") == "l*****t"
    assert mask("ab") == "**"


def test_the_warning_names_kinds_pages_and_masked_text_never_values():
    line = describe(scan_pages(["Intro", "NHS 999 341 9974 email a.b@example.org"]))
    assert line.startswith("looks unredacted")
    assert '1 NHS number (page 2: "9**********4")' in line and '1 email address (page 2: "a*************g")' in line
    assert "9993419974" not in line and "999 341 9974" not in line and "a.b@example.org" not in line
    assert short_summary(line) == "NHS number p2; email address p2"


def test_many_findings_show_a_few_and_count_the_rest():
    pages = [f"call 07700 900{n:03d}" for n in range(5)]
    line = describe(scan_pages(pages))
    assert line.count('"0') == 3 and "and 2 more" in line and "5 phone numbers (pages 1, 2, 3, 4, 5:" in line
    assert short_summary(line) == "phone numbers p1,2,3,4,5"


def test_control_characters_in_a_match_never_reach_the_warning():
    assert mask("a\x1b[31mb") == "a****b"


def test_sample_plans_are_redacted(sample_plans_dir):
    from ehcaudit.pdf import read_pdf

    for pdf in sample_plans_dir.glob("*.pdf"):
        assert scan_pages(read_pdf(pdf).pages) == [], pdf.name


# ---------------------------------------------------------------- end to end

def leaky_plan(path, body):
    blocks = blocks_for(dict(STATUTORY))
    blocks[0].body = body
    make_plan(path, blocks)


def test_inspect_json_lists_each_finding_with_kind_page_and_masked_text(cli, tmp_path):
    leaky_plan(tmp_path / "leaky.pdf", ["Date of birth", "05/11/2016", "Home: (020) 7946 0321", "postcode ls2 9jt"])
    data = json.loads(cli("inspect", str(tmp_path / "leaky.pdf"), "--format", "json").stdout)
    found = {(f["kind"], f["text"]) for f in data["personal_data"]}
    assert found == {("date_of_birth", "0********6"), ("phone", "(*************1"), ("postcode", "l*****t")}
    assert all(f["page"] == 2 for f in data["personal_data"])  # page 1 is the cover
    warning = data["warnings"][0]
    assert warning.startswith("looks unredacted") and '1 date of birth (page 2: "0********6")' in warning
    assert "7946" not in warning and "9jt" not in warning
    text = cli("inspect", str(tmp_path / "leaky.pdf")).stdout
    assert '1 postcode (page 2: "l*****t")' in text


def test_an_imported_unredacted_plan_keeps_its_warning_with_the_redaction_kind(tmp_path):
    from ehcaudit.ingest.importer import import_plans
    from ehcaudit.store import open_db
    from ehcaudit.store.plans import list_plans

    leaky_plan(tmp_path / "leaky.pdf", ["NHS number: 999 170 2365"])
    db = open_db(tmp_path / "k.db")
    report = import_plans(db, [tmp_path / "leaky.pdf"])
    assert any('NHS number (page 2: "9**********5")' in line for line in report.lines)
    [plan] = list_plans(db)
    assert plan.redaction_warning and plan.redaction_warning.startswith("looks unredacted")
    rows = db.execute("SELECT kind, message FROM plan_warnings").fetchall()
    assert ("redaction", plan.redaction_warning) in rows
    assert all(kind != "redaction" for kind, message in rows if message != plan.redaction_warning)
    db.conn.close()


async def test_the_plan_list_and_audit_screen_say_what_was_found_and_where(tmp_path):
    from conftest import shown_text
    from ehcaudit.ingest.importer import import_plans
    from ehcaudit.store import open_db
    from ehcaudit.tui.app import EhcauditApp
    from ehcaudit.tui.audit_screen import AuditScreen

    leaky_plan(tmp_path / "leaky.pdf", ["DoB: 05/11/16", "Mobile 07700 900246"])
    db = open_db(tmp_path / "t.db")
    import_plans(db, [tmp_path / "leaky.pdf"])
    app = EhcauditApp(db=db, reviewer="Alice")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        status = shown_text(app.screen.query_one("#plans-status"))
        assert '1 date of birth (page 2: "0******6")' in status and "05/11/16" not in status
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        header = shown_text(app.screen.query_one("#audit-header"))
        assert "LOOKS UNREDACTED: date of birth p2; phone number p2" in header
    db.conn.close()
