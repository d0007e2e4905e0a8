"""Spot personal data that should have been redacted: NHS numbers, postcodes,
dates of birth, email addresses and UK phone numbers.

Detection is by structure, never by example: a value's shape and its own check
(the NHS modulus 11 digit, the postcode's letter rules and area, a real calendar
date, a UK number's prefix and length) and, where the shape alone is ambiguous,
the label it sits under (on the same line, the next line or the next table cell;
see `redaction_labels`). Findings carry the kind, the page and the matched text
masked except its first and last characters, so a warning never spreads the data
it warns about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ehcaudit.ingest import redaction_labels as labels
from ehcaudit.ingest.redaction_labels import Page

KINDS = {
    "nhs_number": "NHS number",
    "postcode": "postcode",
    "date_of_birth": "date of birth",
    "email": "email address",
    "phone": "phone number",
}
WARNING_PREFIX = "looks unredacted"


@dataclass(frozen=True)
class Finding:
    kind: str
    page: int
    masked: str = ""  # the matched text with all but its first and last characters hidden


def mask(text: str) -> str:
    """'943 476 5919' -> '9**********9': enough to find it on the page, not enough to read it."""
    text = "".join(ch for ch in text if ch.isprintable())
    if len(text) <= 2:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 2) + text[-1]


# ---------------------------------------------------------------- NHS numbers

def nhs_number_is_valid(digits: str) -> bool:
    """True if ten digits pass the NHS modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# Ten digits in the groupings an NHS number is printed in (no other digit or letter touching them).
_NHS_BARE = re.compile(
    r"(?<![\w.\-/+])(?:\d{10}|\d{3}( {1,2}|[.\-])(?:\d{3}\1\d{4}|\d{4}\1\d{3})|\d{4}( {1,2}|[.\-])\d{3}\2\d{3})(?![\w\-/]|\.\d)"
)


def _nhs_numbers(page: Page) -> Iterator[tuple[int, int]]:
    seen: set[int] = set()
    for start, end in labels.labelled_numbers(page, labels.NHS_LABEL):
        seen.add(start)
        yield start, end
    for m in _NHS_BARE.finditer(page.text):
        if m.start() in seen or not nhs_number_is_valid(re.sub(r"\D", "", m.group())):
            continue
        if labels.nearest_id_label(page, m.start()) in (None, "nhs"):
            yield m.start(), m.end()


# ---------------------------------------------------------------- postcodes

# The postcode areas of the UK and the Crown dependencies, with BFPO's BF.
_AREAS = frozenset(
    "AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL "
    "LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN "
    "SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE".split()
)
# Outward code A9, A99, A9A, AA9, AA99, AA9A; inward code 9AA.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Za-z]{1,2})(?P<district>\d[A-Za-z\d]?)[ \-]{0,2}(?P<inward>\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
# "e1 2nd", "f2 9am": a code then an ordinal or a time, not a postcode (and "B1 2hr", mixed case, neither).
_ORDINAL_OR_TIME = re.compile(r"1st|2nd|3rd|[04-9]th|\d[ap]m", re.I)
_ADDRESS_CUE = re.compile(
    r"\b(?:post\s?code|address|lives|living|resides|home|street|road|lane|avenue|close|drive|crescent|grove|"
    r"terrace|gardens|court|rd|st|ave)\b",
    re.I,
)


def postcode_is_valid(area: str, district: str, inward: str) -> bool:
    """A real postcode area, and the letters each place of a postcode may hold."""
    if area.upper() not in _AREAS:
        return False
    # A9A (London-style) and AA9A outward codes take only some letters in their last place.
    last = "ABCDEFGHJKPSTUW" if len(area) == 1 else "ABEHMNPRVWXY"
    if len(district) == 2 and district[1].isalpha() and district[1].upper() not in last:
        return False
    return _letters_fit(area, inward)


def _postcodes(page: Page) -> Iterator[tuple[int, int]]:
    for m in _POSTCODE.finditer(page.text):
        area, district, inward = m.group("area"), m.group("district"), m.group("inward")
        valid = postcode_is_valid(area, district, inward)
        if inward[1:].islower():
            odd = bool(_ORDINAL_OR_TIME.fullmatch(inward)) or not (area + district).islower()
        else:
            odd = not valid and inward[1:].upper() in ("ST", "ND", "RD", "TH")
        if odd and not _address_around(page, m.start()):
            continue
        # Written the way a postcode is printed, the letter rules are enough (a made-up "AN1 1AA" still is one);
        # otherwise only an address around makes a postcode-shaped string that is no real postcode one.
        printed = m.group().isupper() and m.group().count(" ") == 1 and _letters_fit(area, inward)
        if not (valid or printed or _address_around(page, m.start())):
            continue
        yield m.start(), m.end()


def _letters_fit(area: str, inward: str) -> bool:
    """No postcode starts with Q, V or X, has I, J or Z second, or C I K M O V in its inward code."""
    area, inward = area.upper(), inward.upper()
    return area[0] not in "QVX" and (len(area) == 1 or area[1] not in "IJZ") and not set(inward[1:]) & set("CIKMOV")


def _address_around(page: Page, pos: int) -> bool:
    index = page.line_index(pos)
    start, _ = page.line_span(index)
    previous = page.next_line(index, -1)
    return bool(_ADDRESS_CUE.search(page.text[max(start, pos - 100):pos])) or (
        previous is not None and bool(_ADDRESS_CUE.search(page.line(previous))) and labels.is_label_only(page.line(previous))
    )


# ---------------------------------------------------------------- email addresses

_TLDS = (
    "com|org|net|uk|info|biz|io|me|eu|ie|edu|gov|scot|wales|cymru|london|email|online|co|ac|nhs|sch|us|de|fr|"
    "academy|school|college|tv|app|dev|ai|au|ca|nz|in|pl|es|it|nl"
)
# Bounded parts and repeats keep the search linear on long runs of dotted text.
_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9_+\-]{0,62}[A-Za-z0-9])?"
# Horizontal space only: an address never runs on to the next line.
_DOT = r"(?: *\. *| +dot +| *[\[({<] *(?:dot|\.) *[\])}>] *)"
_AT = r"(?: *@ *| *[\[({<] *(?:at|@) *[\])}>] *| +at +)"
_EMAIL = re.compile(
    rf"(?<![\w.@])(?P<local>{_WORD}(?:{_DOT}{_WORD}){{0,5}})(?P<at>{_AT})"
    rf"(?P<domain>{_WORD}(?:{_DOT}{_WORD}){{0,4}}{_DOT}(?P<tld>{_TLDS}))(?![\w@]|\.\w)",
    re.I,
)
_PLAIN_EMAIL = re.compile(r"[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}")
_EMAIL_LABEL = re.compile(r"\be-?mail\b|\bcontact\b", re.I)


def _emails(page: Page) -> Iterator[tuple[int, int]]:
    text = page.text
    spans = [(m.start(), m.end()) for m in _PLAIN_EMAIL.finditer(text)]
    covered = bytearray(len(text) + 1)
    for s, e in spans:
        covered[s:e] = b"\x01" * (e - s)
    for m in _EMAIL.finditer(text):
        if covered[m.start()]:
            continue
        at, local = m.group("at"), m.group("local")
        if labels.is_redaction_marker(m.group()):
            continue
        if at.strip().lower() == "at":
            # "looks at bbc.co.uk" is not an address; a spelled-out dot, a dotted or numbered name, or an
            # email label before it is what makes "name at domain" one.
            spelled = bool(re.search(r"\s+dot\s+|[\[({<]\s*dot", m.group(), re.I))
            odd_name = bool(re.search(r"[._\d+\-]|\s+dot\s+", local, re.I))
            before = text[max(0, m.start() - 60):m.start()].rsplit("\n", 1)[-1]
            if not (spelled or odd_name or _EMAIL_LABEL.search(before)):
                continue
        spans.append((m.start(), m.end()))
    yield from (s for s in spans if not labels.is_redaction_marker(text[s[0]:s[1]]))


# ---------------------------------------------------------------- phone numbers

_PHONE = re.compile(
    r"(?<![\d+.\-])"
    r"(?P<prefix>(?:\+|00)[ \-]?44[ \-.]?(?:\(\s?0\s?\)\s?|\((?=\d+\)))?|\(\s?0|0)"
    r"(?P<rest>\d(?:\)?[ \-.]{0,3}\d){7,10})"
    r"(?![\w\-]|\.\d)"
)


def _phone_shape(prefix: str, rest: str) -> str | None:
    """The number in national form if it is shaped like a UK phone number, else None."""
    digits = re.sub(r"\D", "", rest)
    if prefix.lstrip("(").strip() != "0":
        digits = digits.removeprefix("0")  # "+44 07700 ..." written with the trunk zero kept
    national = "0" + digits
    if national[1] not in "123578" or len(national) not in (10, 11):
        return None
    if national[1] != "1" and len(national) != 11:
        return None
    # UK numbers print in two to four groups, every one after the first (an area code) of three digits or more.
    groups = re.findall(r"\d+", rest)
    if len(groups) > 4 or any(len(g) < 3 for g in groups[1:]):
        return None
    return national


def _phones(page: Page) -> Iterator[tuple[int, int]]:
    for m in _PHONE.finditer(page.text):
        national = _phone_shape(m.group("prefix"), m.group("rest"))
        if national is None:
            continue
        label = labels.nearest_id_label(page, m.start())
        if label == "other" or (label == "nhs" and len(national) == 10):
            continue
        # Geographic (01, 02) and mobile (07) numbers anywhere; service numbers (03, 05, 08) under a phone label.
        if national[1] in "127" or label == "phone":
            yield m.start(), m.end()


# ---------------------------------------------------------------- the scan

_DETECTORS = {
    "nhs_number": _nhs_numbers,
    "postcode": _postcodes,
    "date_of_birth": labels.dates_of_birth,
    "email": _emails,
    "phone": _phones,
}


def scan_text(text: str, page: int = 1) -> list[Finding]:
    """Every unredacted-looking item on one page, in the order of the kinds."""
    prepared = Page(text)
    found: list[Finding] = []
    taken = bytearray(len(text) + 1)
    for kind, detect in _DETECTORS.items():
        for start, end in detect(prepared):
            # One stretch of text is one finding: a phone-shaped NHS number is reported once.
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(Finding(kind, page, mask(prepared.text[start:end].strip())))
    return found


def scan_pages(pages: list[str]) -> list[Finding]:
    return [f for number, text in enumerate(pages, start=1) for f in scan_text(text, number)]


def describe(findings: list[Finding], *, examples: int = 3) -> str | None:
    """One warning line naming each kind found, its pages and a few masked matches; None if nothing."""
    if not findings:
        return None
    parts = []
    for kind, name in KINDS.items():
        mine = [f for f in findings if f.kind == kind]
        if not mine:
            continue
        pages = sorted({f.page for f in mine})
        where = f"page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages[:8]))}{'…' if len(pages) > 8 else ''}"
        shown = ", ".join(f'"{f.masked}"' for f in mine[:examples])
        more = f" and {len(mine) - examples} more" if len(mine) > examples else ""
        parts.append(f"{len(mine)} {name}{'s' if len(mine) > 1 else ''} ({where}: {shown}{more})")
    return f"{WARNING_PREFIX}: " + "; ".join(parts) + "; redact the plan before auditing"


def short_summary(message: str) -> str:
    """A redaction warning shortened for a header: the kinds and pages, without the masked text."""
    body = message.removeprefix(f"{WARNING_PREFIX}: ").removesuffix("; redact the plan before auditing")
    parts = []
    for part in body.split("; "):
        name = part.split(" (", 1)[0].split(" ", 1)[-1]
        pages = re.match(r"[^(]*\(pages? ([\d, …]+):", part)
        parts.append(f"{name} p{pages.group(1).replace(', ', ',')}" if pages else name)
    return "; ".join(parts)
