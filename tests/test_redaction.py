"""Spotting plans that still hold personal data."""

import pytest

from ehcaudit.redaction import describe, nhs_number_is_valid, scan_text


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9434765870"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "1234567890", "123456789", "abcdefghij"])
def test_invalid_nhs_numbers_fail(number):
    assert not nhs_number_is_valid(number)


def kinds(text):
    return sorted({f.kind for f in scan_text(text)})


def test_nhs_number_with_spaces_is_found_and_invalid_one_is_not():
    assert kinds("NHS number 943 476 5919") == ["nhs_number"]
    assert kinds("Reference 943 476 5918") == []


def test_postcodes():
    assert kinds("lives at 10 High Street, Leeds LS1 4AP") == ["postcode"]
    assert kinds("lives at [REDACTED]") == []


def test_dates_of_birth_but_not_other_dates():
    assert kinds("Date of birth: 14/02/2016") == ["date_of_birth"]
    assert kinds("DOB 3rd March 2015") == ["date_of_birth"]
    assert kinds("Date of birth: XX/XX/XXXX") == []
    assert kinds("Advice dated 14/02/2026 from the EP") == []


def test_email_and_phone():
    assert kinds("email j.smith@example.org") == ["email"]
    assert kinds("call 07700 900123") == ["phone"]
    assert kinds("call 0161 496 0000") == ["phone"]
    assert kinds("+44 7700 900123") == ["phone"]
    assert kinds("30 minutes, 10 times, 2026") == []


def test_the_warning_names_kinds_and_pages_never_values():
    line = describe(scan_text("NHS 943 476 5919 email a@b.org", page=3))
    assert "NHS number" in line and "page 3" in line and "9434765919" not in line and "a@b.org" not in line


def test_sample_plans_are_redacted(sample_plans_dir):
    from ehcaudit.pdf import read_pdf
    from ehcaudit.redaction import scan_pages

    for pdf in sample_plans_dir.glob("*.pdf"):
        assert scan_pages(read_pdf(pdf).pages) == [], pdf.name
