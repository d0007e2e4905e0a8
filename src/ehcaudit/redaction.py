"""Spot personal data that should have been redacted: NHS numbers, postcodes,
dates of birth, email addresses and UK phone numbers.

Findings name the kind and the page, never the value, so a warning does not
spread the data it warns about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december"
_DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}})"
_DOB = re.compile(rf"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?)\b\W{{0,6}}{_DATE}", re.I)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s\-)]?){9,10}(?![\d])")


def nhs_number_is_valid(digits: str) -> bool:
    """True if ten digits pass the NHS modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0")
    return len(digits) in (10, 11) and digits[1] in "12378"


@dataclass(frozen=True)
class Finding:
    kind: str
    page: int


KINDS = {
    "nhs_number": "NHS number",
    "postcode": "postcode",
    "date_of_birth": "date of birth",
    "email": "email address",
    "phone": "phone number",
}


def scan_text(text: str, page: int = 1) -> list[Finding]:
    """Every unredacted-looking item on one page."""
    found: list[Finding] = []
    for m in _NHS.finditer(text):
        if nhs_number_is_valid("".join(m.groups())):
            found.append(Finding("nhs_number", page))
    found += [Finding("postcode", page) for _ in _POSTCODE.finditer(text)]
    found += [Finding("date_of_birth", page) for _ in _DOB.finditer(text)]
    found += [Finding("email", page) for _ in _EMAIL.finditer(text)]
    for m in _PHONE.finditer(text):
        if _phone_ok(m.group()) and not nhs_number_is_valid(re.sub(r"\D", "", m.group())):
            found.append(Finding("phone", page))
    return found


def scan_pages(pages: list[str]) -> list[Finding]:
    return [f for number, text in enumerate(pages, start=1) for f in scan_text(text, number)]


def describe(findings: list[Finding]) -> str | None:
    """One warning line summarising the findings, or None if there are none."""
    if not findings:
        return None
    parts = []
    for kind, name in KINDS.items():
        pages = sorted({f.page for f in findings if f.kind == kind})
        count = sum(1 for f in findings if f.kind == kind)
        if count:
            where = ", ".join(map(str, pages[:6])) + ("…" if len(pages) > 6 else "")
            parts.append(f"{count} {name}{'s' if count > 1 else ''} (page{'s' if len(pages) > 1 else ''} {where})")
    return "looks unredacted: " + "; ".join(parts) + "; redact the plan before auditing"
