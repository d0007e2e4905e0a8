"""Which value a label names, in text as pypdf extracts it from plans and forms.

A label names the value after it on its own line ("DOB: 12/03/15"), or, when
nothing follows it there, the value on the next line (a table cell extracted on
a line of its own, or a header row over a row of values), or, when a block of
label-only lines is followed by a block of values (a two-column table read
column by column), the value in the same place of the value block.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# Extraction gives odd spaces and dashes; same-length swaps keep every offset valid.
_SAME_LENGTH = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'",
})


class Page:
    """One page's text, with its lines, for looking at a label's neighbours."""

    def __init__(self, text: str):
        self.text = text.translate(_SAME_LENGTH)
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def line_span(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def line(self, index: int) -> str:
        start, end = self.line_span(index)
        return self.text[start:end]

    def next_line(self, index: int, step: int = 1) -> int | None:
        """The nearest non-blank line after (step 1) or before (step -1) this one."""
        i = index + step
        while 0 <= i < len(self.starts):
            if self.line(i).strip():
                return i
            i += step
        return None


_MARKER = re.compile(
    r"redact|withheld|removed|not\s+(?:disclosed|shown|given)|(?<![a-wyz])x{2,}(?![a-wyz])|\*{2,}|#{3,}|_{3,}|[█■▓▒░]|\[\s*(?:name|child|address)",
    re.I,
)


def is_redaction_marker(text: str) -> bool:
    """'[REDACTED]', 'XX/XX/XXXX', '****', '████' and the like."""
    return bool(_MARKER.search(text))


# ---------------------------------------------------------------- identifier labels

NHS_LABEL = re.compile(r"\bN\.?H\.?S\.?(?:\s*/\s*CHI)?[\s\-]*(?:number|numb?\.?|no\.?|nos\.?|id|#|n[°º]|:)(?![a-z])", re.I)
_PHONE_LABEL = re.compile(
    r"\b(?:tel(?:ephone)?|phone|mobile|mob|landline|cell|fax|call|ring|text|whatsapp|home\s+number|work\s+number|"
    r"contact\s+(?:number|no|tel|details))\b|\b[TM]\s*:",
    re.I,
)
_OTHER_LABEL = re.compile(
    r"\b(?:case|ref|reference|invoice|inv|order|account|acc|claim|po|purchase|ULN|UPN|learner|pupil|candidate|"
    r"student|UKPRN|URN|LAESTAB|DfE|estab|establishment|school\s+(?:number|no)|file|cheque|payment|transaction|"
    r"batch|request|ticket|job|serial|policy|NINO|national\s+insurance|SEN2|EHCP?|plan|referral|tracking|barcode|"
    r"code|contract|voucher|receipt|customer|client|supplier|vendor|budget|grant|project|course|exam|licence|license|"
    r"id|identifier)\b",
    re.I,
)
_LABEL_REACH = 30  # a label names a number at most this many characters on, with no other digit between
_WINDOW = 120  # how far after a label its value is looked for (keeps long lines of many labels fast)


def _last_label(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for kind, pattern in (("nhs", NHS_LABEL), ("phone", _PHONE_LABEL), ("other", _OTHER_LABEL)):
        for m in pattern.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    if best is None:
        return None
    between = text[best[0]:]
    if len(between) > _LABEL_REACH or re.search(r"\d", between) or is_redaction_marker(between):
        return None
    return best[1]


def nearest_id_label(page: Page, pos: int) -> str | None:
    """'nhs', 'phone' or 'other' (case, invoice, UPN, ULN...) when a label names the number at pos, else None."""
    index = page.line_index(pos)
    start, _ = page.line_span(index)
    before = page.text[max(start, pos - 2 * _LABEL_REACH - 20):pos]
    if before.strip() or pos - start > len(before):
        return _last_label(before)
    previous = page.next_line(index, -1)
    if previous is not None and is_label_only(page.line(previous)):
        return _last_label(page.line(previous) + " ")
    return None


_GROUPS = re.compile(r"\d+(?: ?[.\-] ?| {1,3})\d+(?:(?: ?[.\-] ?| {1,3})\d+)*|\d+")


def _ten_digits(text: str, offset: int) -> tuple[int, int] | None:
    """The first run of digit groups making ten digits (or a mistyped nine to twelve) in text."""
    for m in _GROUPS.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalpha() or text[m.start() - 1] in "/+"):
            continue
        total, end = 0, None
        for g in re.finditer(r"\d+", m.group()):
            total += len(g.group())
            if total == 10:
                end = g.end()
                break
            if total > 10:
                break
        if end is None and 9 <= sum(len(g) for g in re.findall(r"\d+", m.group())) <= 12:
            end = len(m.group())
        if end is not None:
            return offset + m.start(), offset + m.start() + end
    return None


def labelled_numbers(page: Page, label: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Numbers of about ten digits that a label names, whatever their check digit."""
    for lab in label.finditer(page.text):
        index = page.line_index(lab.start())
        _, line_end = page.line_span(index)
        rest = page.text[lab.end():min(line_end, lab.end() + _WINDOW)]
        m = re.search(r"\d", rest)
        if m:
            if m.start() <= _LABEL_REACH and not is_redaction_marker(rest[:m.start()]):
                span = _ten_digits(rest[m.start():], lab.end() + m.start())
                if span and span[0] == lab.end() + m.start():
                    yield span
            continue
        if is_redaction_marker(rest) or not _header_like(rest):
            continue
        for value_line, alone in _value_lines(page, index):
            start, end = page.line_span(value_line)
            span = _ten_digits(page.text[start:end], start)
            if alone and span and page.text[start:end].strip(" .|") != page.text[span[0]:span[1]]:
                continue
            if span and nearest_id_label(page, span[0]) in (None, "nhs"):
                yield span
                break


# ---------------------------------------------------------------- label-only lines and value lines

_LABEL_ONLY = re.compile(r"[A-Za-z][A-Za-z .'/()&#°-]{0,38}:?")


# "Child A", "Pupil X": the stand-in for a redacted name is a value, not a label.
_PLACEHOLDER = re.compile(r"\b(?:Child|Pupil|Student|Learner|Young [Pp]erson|YP|Parent|Mother|Father|Carer|Sibling)\s+[A-Z]\b")


def is_label_only(line: str) -> bool:
    """'Date of birth', 'NHS No.:', 'Postcode': a table cell naming the value in the next one."""
    line = line.strip()
    return (
        bool(_LABEL_ONLY.fullmatch(line)) and len(line.split()) <= 5
        and not is_redaction_marker(line) and not _PLACEHOLDER.search(line)
    )


def _header_like(rest: str) -> bool:
    """What follows a label on its line could be more column headings, not a sentence."""
    rest = rest.strip(" :-|")
    return not rest or (len(rest.split()) <= 6 and not re.search(r"[.;!?](?:\s|$)", rest) and not re.search(r"\d", rest))


_BLOCK = 12  # a column of table labels is never longer than this


def _value_lines(page: Page, index: int) -> list[tuple[int, bool]]:
    """Where the value of the label on line index may be: the next line, and its place in a value block
    (flagged True: such a cell holds the value and nothing else)."""
    found: list[tuple[int, bool]] = []
    nxt = page.next_line(index)
    if nxt is None:
        return found
    found.append((nxt, False))
    block = label_block(page, index)
    if block:
        # A block of label-only lines then a block of values: the value sits as far into its block.
        first, last = block
        place = sum(1 for i in range(first, index) if page.line(i).strip())
        target: int | None = last
        for _ in range(place + 1):
            target = page.next_line(target) if target is not None else None
        if target is not None:
            found.append((target, True))
    return found


def label_block(page: Page, index: int) -> tuple[int, int] | None:
    """The first and last line of the run of label-only lines holding line index, if it is in one."""
    if not is_label_only(page.line(index)):
        return None
    first = last = index
    for _ in range(_BLOCK):
        p = page.next_line(first, -1)
        if p is None or not is_label_only(page.line(p)):
            break
        first = p
    for _ in range(_BLOCK):
        n = page.next_line(last)
        if n is None or not is_label_only(page.line(n)):
            break
        last = n
    return (first, last) if first != last else None


# ---------------------------------------------------------------- dates of birth

_DOB_LABEL = re.compile(
    r"(?<![A-Za-z])(?:date\s+of\s+birth|birth\s?date|d\.\s?o\.\s?b\.?|dob|(?P<born>born(?:\s+(?:on|in))?))(?![A-Za-z])",
    re.I,
)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_YEAR = r"(?:(?:19|20)\d{2}|'?\d{2})"
DATE = re.compile(
    rf"""(?<![\d/.\-])(?:
      (?P<d1>\d{{1,2}})[ ]?(?P<s1>[/.\- ])[ ]?(?P<m1>\d{{1,2}})[ ]?(?P=s1)[ ]?(?P<y1>(?:19|20)\d{{2}}|\d{{2}})
     |(?P<y2>(?:19|20)\d{{2}})(?P<s2>[/.\-])(?P<m2>\d{{1,2}})(?P=s2)(?P<d2>\d{{1,2}})
     |(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.,]*(?P<m3>{_MONTH})\.?[\s\-/.,]*(?P<y3>{_YEAR})
     |(?P<m4>{_MONTH})\.?[\s\-]*(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?[\s\-,]+(?P<y4>{_YEAR})
     |(?P<m5>{_MONTH})\.?[\s\-/,]+(?P<y5>(?:19|20)\d{{2}})
     |(?P<m6>\d{{1,2}})[/.\-](?P<y6>(?:19|20)\d{{2}})
     |(?P<compact>\d{{8}}|\d{{6}})
    )(?![\w/\-]|\.\d)""",
    re.I | re.X,
)
_DAY_MONTH = re.compile(
    rf"[\s:\-.]{{0,4}}(?P<date>\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s\-/]+{_MONTH}|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)(?![\w])",
    re.I,
)
# Words that make a date some other date: a meeting's, a review's, a report's.
_OTHER_DATE_WORDS = (
    r"\b(?:date[ds]?|review(?:ed|s)?|meeting|issued?|due|deadline|start(?:ed|s|ing)?|finish(?:ed)?|ends?|ended|from|"
    r"until|till|received|sent|signed|held|updated?|completed?|expir(?:y|es|ed)|today|assessment|appointment|visit|"
    r"report|advice|annual|consultation|submitted|agreed|diagnosed|attended|admitted|joined|moved|launched|began|"
    r"opened|established|introduced|created|set\s+up|written|produced|revised|verified|checked|confirmed|"
    r"between|after|before|range|cohort|academic)\b"
)
_OTHER_DATE = re.compile(_OTHER_DATE_WORDS, re.I)
# One heading may be several of those words: "Review date", "Date of annual review".
_OTHER_DATE_HEADING = re.compile(rf"{_OTHER_DATE_WORDS}(?:[\s/-]+(?:of\s+(?:the\s+)?)?{_OTHER_DATE_WORDS})*", re.I)


def _real_date(m: re.Match[str]) -> bool:
    g = m.groupdict()
    if g["d1"]:
        a, b = int(g["d1"]), int(g["m1"])
        if g["s1"].isspace() and len(g["y1"]) != 4:
            return False  # "6 2 15" is three numbers, not a date
        return min(a, b) >= 1 and ((a <= 31 and b <= 12) or (a <= 12 and b <= 31))
    if g["y2"]:
        return 1 <= int(g["m2"]) <= 12 and 1 <= int(g["d2"]) <= 31
    if g["d3"]:
        return 1 <= int(g["d3"]) <= 31
    if g["d4"]:
        return 1 <= int(g["d4"]) <= 31
    if g["m6"]:
        return 1 <= int(g["m6"]) <= 12
    if g["compact"]:
        return _compact_date(g["compact"])
    return True


def _compact_date(digits: str) -> bool:
    """20150312, 12032015 or 120315 written without separators."""
    def ok(day: str, month: str) -> bool:
        return 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    if len(digits) == 8:
        return (digits[:2] in ("19", "20") and ok(digits[6:], digits[4:6])) or (
            digits[4:6] in ("19", "20") and ok(digits[:2], digits[2:4]))
    return ok(digits[:2], digits[2:4])


def real_dates(text: str, offset: int = 0) -> list[tuple[int, int]]:
    return [(offset + m.start(), offset + m.end()) for m in DATE.finditer(text) if _real_date(m)]


def _names_it(between: str) -> bool:
    """The text between a label and a date on one line leaves the date to the label."""
    return (
        len(between.strip()) <= 40
        and not is_redaction_marker(between)
        and not _OTHER_DATE.search(between)
        and not re.search(r"[.;!?]\s+[A-Z]", between)
    )


def _rival_dates(page: Page, index: int) -> bool:
    """Another label in the same column of labels names a date (a review's, a plan's)."""
    block = label_block(page, index)
    return block is not None and any(_OTHER_DATE.search(page.line(i)) for i in range(block[0], block[1] + 1) if i != index)


def _date_alone(page: Page, line: int) -> tuple[int, int] | None:
    """The date that is the whole of a line (a table cell holding only it), if it is one."""
    start, end = page.line_span(line)
    for m in DATE.finditer(page.text, start, end):
        if _real_date(m) and not page.text[start:m.start()].strip(" :|") and not page.text[m.end():end].strip(" .|"):
            return m.start(), m.end()
    return None


def _only_date_under(page: Page, index: int) -> Iterator[tuple[int, int]]:
    """A column of labels whose values did not line up (a value that reads like a label): the first
    cell below the column that is nothing but a date is the birth."""
    block = label_block(page, index)
    if block is None:
        return
    first, last = block
    line: int | None = last
    for _ in range(last - first + 2):
        line = page.next_line(line) if line is not None else None
        if line is None:
            return
        dated = _date_alone(page, line)
        if dated:
            yield dated
            return


def _starts_a_range(text: str, end: int, later: list[tuple[int, int]]) -> bool:
    """'born 1 Sept 2013 - 31 Aug 2014' is a year group's span, not one child's birthday."""
    return bool(later) and bool(re.fullmatch(r"\s*(?:-|to|and|until|till)\s*", text[end:later[0][0]], re.I))


def dates_of_birth(page: Page) -> Iterator[tuple[int, int]]:
    """Dates a date-of-birth label or phrase names, on its line, the next line or the next cell."""
    text = page.text
    for lab in _DOB_LABEL.finditer(text):
        index = page.line_index(lab.start())
        line_start, line_end = page.line_span(index)
        rest = text[lab.end():min(line_end, lab.end() + _WINDOW)]
        # A date starting on the label's line may run on to the next when a sentence wraps inside it.
        following = page.next_line(index)
        reach = page.line_span(following)[1] if following is not None else line_end
        reach = min(reach, lab.end() + _WINDOW)
        dates = [d for d in real_dates(text[lab.end():reach], lab.end()) if d[0] < line_end]
        if dates:
            if _names_it(text[lab.end():dates[0][0]]) and not _starts_a_range(text, dates[0][1], dates[1:]):
                yield dates[0]
            continue
        born = lab.group("born") is not None
        partial = _DAY_MONTH.match(rest)
        if partial and not born:
            yield lab.end() + partial.start("date"), lab.end() + partial.end()  # "DOB: 12 March", the year left off
            continue
        if born and rest.strip(" :,-"):
            continue  # "born to be wild", "born at 32 weeks": only a bare "born (on)" at a line's end goes on
        if is_redaction_marker(rest) or not _header_like(rest):
            continue
        # Other date headings in a header row ("Name | DOB | Review date") tell which date below is the birth.
        header = text[max(line_start, lab.start() - _WINDOW):lab.start()], rest
        place = len(_OTHER_DATE_HEADING.findall(header[0]))
        others = place + len(_OTHER_DATE_HEADING.findall(header[1]))
        rivals = _rival_dates(page, index)
        for value_line, alone in _value_lines(page, index):
            start, end = page.line_span(value_line)
            if alone:
                dated = _date_alone(page, value_line)
                if dated and not rivals:
                    yield dated
                    break
                continue
            below = real_dates(text[start:end], start)
            if not below:
                continue
            if others and len(below) != others + 1:
                break  # some dates in the row are redacted: which one is the birth is unknowable
            pick = below[place] if others else below[0]
            before = text[below[place - 1][1] if others and place else start:pick[0]]
            if not _OTHER_DATE.search(before):
                yield pick
            break
        else:
            if not rivals:
                yield from _only_date_under(page, index)
    # "12/03/2015 (DOB)": the label just after the date.
    for s, e in real_dates(text):
        after = text[e:e + 8]
        if re.match(r"\s*[(\[]\s*(?:d\.?\s?o\.?\s?b\.?|date of birth)", after, re.I):
            yield s, e
