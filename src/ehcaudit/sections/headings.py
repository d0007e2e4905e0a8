"""Which lines read as section headings: each line scored as a possible heading of each section.

Signals: a printed code ("Section E", "PART 5", "(Section E)"), the title's words against known
titles and against the words that carry a section's meaning (care, health, school, outcomes ...),
and how the line is printed compared with this document's body text and headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ehcaudit.sections.codes import SECTION_CODES
from ehcaudit.pdf.extract import Style
from ehcaudit.sections.clean import Line
from ehcaudit.sections.titles import concept_scores, normalise, score_title, title_vocabulary_share

# "Section A:", "PART B", "A1 ", "H2.", "Part 3 -", "1.", "12 " at the start of a line.
PREFIX = re.compile(
    r"""^\s*
    (?P<word>section|sect\.?|part)?\s*
    (?P<code>[Aa]\s?[1-4](?!\d)|[B-Kb-k](?:\s?[12](?!\d))?|[Aa]|\d{1,2}(?!\d))
    (?P<sep>\s*[:.)\]\-–—|]+\s*|\s+|$)
    (?P<title>.*)$""",
    re.X | re.I,
)
# "5. Outcomes (Section E)", "Part 12 - Placement (Section I)", "Outcomes - Section E".
NAMED_AFTER = re.compile(r"(?:\(\s*(?:section|part)\s+([A-K](?:\s?[1-4])?)\s*\)|[-–—:]\s*(?:section|part)\s+([A-K](?:\s?[12])?))\s*$", re.I)
MAX_HEADING_WORDS = 16
NO_PREFIX_THRESHOLD = 86
STYLED_THRESHOLD = 74  # a line printed like this document's headings needs less from its words
NUMBERED_THRESHOLD = 75
FAMILY = {"A": "A", "A1": "A", "A2": "A", "A3": "A", "A4": "A", "H": "H", "H1": "H", "H2": "H"}
_LEADING_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+(?=(?:section|part)\b)", re.I)
H_BOTH = re.compile(r"\bH\s*1\s*(?:and|&|/|,|\+)\s*H\s*2\b", re.I)
# "Sections B, E and F: Needs, outcomes and provision": one heading for several sections.
SEVERAL = re.compile(
    r"^\s*(?:(?:sections?|parts?)\s+([A-K][12]?)((?:\s*(?:,|and|&|/|\+)\s*[A-K][12]?)+)(?![\w])"
    r"|([A-K][12]?)((?:\s*(?:,|and|&|/|\+)\s*[A-K][12]?)+)(?=\s*[:\-–—|]))", re.I)
_CODE = re.compile(r"[A-K][12]?")


@dataclass(frozen=True)
class Candidate:
    index: int
    code: str
    score: float
    span: int
    heading: str
    prefixed: bool
    style: Style | None = None
    why: str = ""
    page: int = 0


@dataclass(frozen=True)
class Looks:
    """How this document prints its body text and its section headings (None: the PDF did not say)."""

    body: Style | None = None
    heading: Style | None = None  # the look most section headings share
    headings: frozenset[Style] = frozenset()  # every look section headings are printed in (a plan can use two)

    def styled_as_heading(self, style: Style | None) -> bool:
        if style is None or self.body is None or style == self.body:
            return False
        if style == self.heading or style in self.headings:
            return True
        # Clearly larger than the body text; or, where no heading look is known yet, bolder.
        return style[0] >= self.body[0] + 1.5 or (self.heading is None and style[1] and not self.body[1]
                                                  and style[0] >= self.body[0])


def several_codes(text: str) -> list[str]:
    """The codes a heading names when it names more than one ("Sections B, E and F" -> B, E, F)."""
    m = SEVERAL.match(H_BOTH.sub("H", text))
    if not m:
        return []
    first, rest = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    codes = [first.upper()] + _CODE.findall(rest.upper().replace("AND", " "))
    return [c for c in dict.fromkeys(codes) if c in SECTION_CODES or c == "H"]


def _explicit_code(match: re.Match[str]) -> str | None:
    code = match.group("code").upper().replace(" ", "")
    if code.isdigit():
        return None
    sep = match.group("sep")
    if match.group("word"):
        return code
    # Without "Section"/"Part", a bare letter must be upper case and followed by
    # punctuation ("A: ...", "B. ..."), so that "A teaching assistant" is not a heading.
    raw = match.group("code")
    if not raw[0].isupper():
        return None
    if len(code) == 1 and not sep.strip():
        # "A All about me" (a letter in one table cell, the title in the next): only when
        # the title itself reads as that section's, so "A teaching assistant ..." is not.
        title = normalise(match.group("title"))
        return code if score_title(title, allow_single_word=True).get(code, 0) >= 80 else None
    return code


def looks_like_heading(title_raw: str, any_case: bool = False) -> bool:
    words = title_raw.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if title_raw.rstrip().endswith((".", ",", ";")) and not title_raw.rstrip().endswith(("...", "…")):
        return False
    first = title_raw.lstrip("\"'“(")[:1]
    return any_case or first.isupper() or first.isdigit()


def _fix_section_word(text: str) -> str:
    # "1. Section A": the outer numbering says nothing about the code.
    text = _LEADING_NUMBER.sub("", text)
    # "Section H1 and H2": one heading for both parts of H.
    text = H_BOTH.sub("H", text)
    # "Sections B, E and F": the first names the section; the others are reported with it.
    several = SEVERAL.match(text)
    if several:
        text = f"Section {several.group(1) or several.group(3)}{text[several.end():]}"
    # "Secton C", "Sectoin D": a mistyped "Section" still announces a section.
    first, _, rest = text.partition(" ")
    if (first and first[0] in "Ss" and 5 <= len(first) <= 8 and first.lower() != "section"
            and fuzz.ratio(first.lower(), "section") >= 80):
        return f"Section {rest}"
    return text


def _best_title(title: str, allow_single_word: bool, styled: bool = False) -> tuple[str, float, str] | None:
    """(code, score, how) for a title by known titles or by its meaning-bearing words."""
    norm = normalise(title)
    scores = score_title(norm, allow_single_word=allow_single_word)
    best = max(scores.items(), key=lambda kv: kv[1]) if scores else None
    # Meaning-bearing words alone make a heading of a short line, or of a line printed as a heading.
    concept = concept_scores(norm) if len(norm.split()) <= (12 if styled else 8) else {}
    if concept:
        c_code, c_score = max(concept.items(), key=lambda kv: kv[1])
        # Where the words that carry meaning name another section than a loose title match ("My family
        # and care needs" is not "My needs"), the meaning wins unless the title matches closely.
        if best is None or (c_code != best[0] and (c_score > best[1] or best[1] < 95)) or best[1] < 60:
            return c_code, c_score, "title words"
        if c_code == best[0]:
            return best[0], max(best[1], c_score), "title"
    return (best[0], best[1], "title") if best else None


# A heading as read from one line: (code, score, prefixed, why).
Hit = tuple[str, float, bool, str]


@lru_cache(maxsize=16384)
def score_line(text: str, styled: bool = False) -> Hit | None:
    """(code, score, prefixed, why) if this line reads as a section heading.

    styled: the line is printed like this document's headings (then lower case and looser wordings count).
    """
    named = NAMED_AFTER.search(text)
    if named and looks_like_heading(text[: named.start()] or "X", any_case=True):
        code = (named.group(1) or named.group(2)).upper().replace(" ", "")
        if code in FAMILY or code in SECTION_CODES:
            return code, 97.0, True, f"names its section ('{named.group(0).strip(' -–—:()')}')"
    if len(several_codes(text)) >= 2 and looks_like_heading(text, any_case=True):
        return several_codes(text)[0].upper(), 97.0, True, "names the sections it holds"
    m = PREFIX.match(_fix_section_word(text))
    if m and (m.group("word") or m.group("sep").strip() or m.group("code")[0].isupper() or m.group("code").isdigit()):
        title_raw = m.group("title").strip()
        code = _explicit_code(m)
        if code is not None and (code in FAMILY or code in SECTION_CODES):
            printed = text[: m.start("title")].strip() or code
            if not title_raw:
                if not m.group("word") and not styled:
                    return None  # a lone "B" in the text is not a heading unless printed as one
                return code, 80.0, True, f"printed code '{printed}'"
            scores = score_title(normalise(title_raw), allow_single_word=True)
            same = max(scores.get(code, 0.0), concept_scores(normalise(title_raw)).get(code, 0.0))
            words = title_raw.split()
            if same >= 50 or (len(words) <= 8 and looks_like_heading(title_raw, any_case=styled)):
                return code, 80.0 + 0.2 * same, True, f"printed code '{printed}'"
            # A long statutory heading wrapped after its first line: the code, and words of its title.
            if m.group("word") and looks_like_heading(title_raw, any_case=True) and \
                    title_vocabulary_share(code, title_raw) >= 0.2:
                return code, 80.0, True, f"printed code '{printed}'"
            return None
        numbered = m.group("code").isdigit() and (m.group("word") or m.group("sep").strip(" ") != "")
        if numbered:
            if not title_raw:
                return "?", 0.0, True, ""  # "Part 3" alone: the title is on the next line
            if looks_like_heading(title_raw, any_case=styled):
                best = _best_title(title_raw, allow_single_word=True, styled=styled)
                if best and best[1] >= NUMBERED_THRESHOLD:
                    return best[0], best[1], True, f"numbered heading, {best[2]}"
    if not looks_like_heading(text, any_case=styled):
        return None
    best = _best_title(text, allow_single_word=False, styled=styled)
    if best is None:
        return None
    code, score, how = best
    if score >= NO_PREFIX_THRESHOLD or (styled and score >= STYLED_THRESHOLD):
        return code, score, False, how + (", printed as a heading" if styled else "")
    return None


_OPEN_ENDING = {"the", "of", "and", "or", "by", "to", "for", "which", "their", "his", "her", "a", "an", "in", "with",
                "under", "from", "that", "who", "is", "are", "be", "will", "made", "required", "must", "on", "at", "as"}


def _wraps(line: str, nxt: str) -> bool:
    """Whether a heading line carries on onto the next: it stops mid-phrase, fills the line, or the next starts small."""
    words = line.split()
    return bool(words) and (words[-1].lower().strip(",") in _OPEN_ENDING or line.endswith(",") or len(line) >= 55
                            or nxt[:1].islower())


def _title_is_empty(text: str) -> bool:
    m = PREFIX.match(_fix_section_word(text))
    return m is not None and not m.group("title").strip()


@dataclass
class _Growing:
    """A heading being read: its first line, and each next line that carries it on."""

    code: str
    score: float
    prefixed: bool
    why: str
    heading: str
    last_style: Style | None
    span: int = 1
    bare: bool = False  # a code with no title yet ("Section G"), or no code yet ("?")

    def take(self, nxt: Line, style: bool = True) -> bool:
        """The next line is more of this heading (style: it is printed like the heading's last line so far)."""
        self.heading, self.span = f"{self.heading} {nxt.text}", self.span + 1
        if style:
            self.last_style, self.bare = nxt.style, False
        return True


def candidates(lines: list[Line], looks: Looks) -> list[Candidate]:
    """Every line (with up to two wrapped lines after it) that reads as a section heading."""
    out: list[Candidate] = []
    i = 0
    while i < len(lines):
        grown = _heading_at(lines, i, looks)
        if grown is None:
            i += 1
            continue
        if grown.code != "?":
            line = lines[i]
            out.append(Candidate(i, grown.code, grown.score, grown.span, grown.heading, grown.prefixed,
                                 line.style, grown.why, line.page))
        i += grown.span
    return out


def _heading_at(lines: list[Line], i: int, looks: Looks) -> _Growing | None:
    """The heading that starts at line i, with the lines it wraps onto; None if the line reads as no heading."""
    line = lines[i]
    if line.toc:
        return None
    styled = looks.styled_as_heading(line.style)
    hit = score_line(line.text, styled)
    if hit is None:
        return None
    code, score, prefixed, why = hit
    grown = _Growing(code, score, prefixed, why, line.text, line.style,
                     bare=code == "?" or (why.startswith("printed code") and _title_is_empty(line.text)))
    # Headings wrap: take up to three more lines while they read as the same heading.
    while grown.span < 4 and i + grown.span < len(lines) and _carries_on(grown, lines, i, styled, looks):
        pass
    return grown


def _carries_on(grown: _Growing, lines: list[Line], i: int, styled: bool, looks: Looks) -> bool:
    """Whether the next line is more of the heading; if it is, it is taken in."""
    line, prev, nxt = lines[i], lines[i + grown.span - 1], lines[i + grown.span]
    if nxt.toc or len(nxt.text.split()) > MAX_HEADING_WORDS or nxt.page > line.page + 1:
        return False
    if _closes_bracket(grown, nxt, styled):
        return True
    alone = score_line(nxt.text, looks.styled_as_heading(nxt.style))
    if alone is not None and alone[2] and alone[0] != "?":
        return False  # the next line is a printed heading of its own ("PART A ...")
    if grown.bare:
        return _title_on_next_line(grown, nxt, alone, looks)
    if nxt.text.endswith("."):
        return False
    # Printed in the same heading style as the line above (and not like the body): it carries on.
    same_print = bool(grown.last_style and nxt.style == grown.last_style and looks.body and nxt.style != looks.body)
    if same_print and grown.prefixed and (alone is None or not alone[2]) and _wraps(prev.text, nxt.text):
        return grown.take(nxt, style=False)
    if line.style and nxt.style and nxt.style != grown.last_style:
        return False  # printed differently: not the heading's second line
    return _wrapped_title(grown, nxt, alone, styled)


def _closes_bracket(grown: _Growing, nxt: Line, styled: bool) -> bool:
    """ "5. Outcomes" / "(Section E)", or "... (Section" / "E)": the code in brackets finishes the heading."""
    tag = NAMED_AFTER.search(nxt.text)
    if grown.heading.count("(") > grown.heading.count(")") or (tag and tag.start() == 0 and grown.code != "?"):
        joined_hit = score_line(f"{grown.heading} {nxt.text}", styled)
        if joined_hit and joined_hit[0] != "?":
            grown.code, grown.score, grown.prefixed, grown.why = joined_hit
            return grown.take(nxt)
    return False


def _title_on_next_line(grown: _Growing, nxt: Line, alone: Hit | None, looks: Looks) -> bool:
    """ "Section G" / "The help I will get with my health": the title of a bare code is the next line."""
    if nxt.text.endswith(".") or (looks.body and nxt.style == looks.body and alone is None and grown.code == "?"):
        return False
    title_hit = alone or score_line(nxt.text, True)
    if grown.code == "?":
        if not title_hit or title_hit[0] == "?":
            return False
        grown.code, grown.score, grown.why = title_hit[0], title_hit[1], "numbered heading, " + title_hit[3]
    else:
        grown.why = f"{grown.why}, title on the next line"
        if title_hit and title_hit[0] == grown.code:
            grown.score = max(grown.score, 80.0 + 0.2 * title_hit[1])
    return grown.take(nxt)


def _wrapped_title(grown: _Growing, nxt: Line, alone: Hit | None, styled: bool) -> bool:
    """A title wrapped onto the next line: taken when the two lines read better (or as well) as one heading."""
    joined = f"{grown.heading} {nxt.text}"
    joined_hit = score_line(joined, styled)
    if not joined_hit or joined_hit[0] == "?":
        return False
    heading = grown.heading
    plainly_continues = nxt.text[:1].islower() or nxt.text[:1] in "(&" or (heading.isupper() and nxt.text.isupper())
    if grown.score >= 99 and not plainly_continues and alone is not None:
        return False  # a complete heading, and the next line reads as one alone: a sub-heading ("Social care")
    continues = plainly_continues or (len(nxt.text.split()) <= 5 and title_vocabulary_share(joined_hit[0], nxt.text) >= 0.75)
    better = joined_hit[1] > grown.score + 5 or (continues and joined_hit[1] >= grown.score - 3)
    if not (better and joined_hit[0] == grown.code and (continues or alone is None)):
        return False
    grown.code, grown.score = joined_hit[0], joined_hit[1]
    return grown.take(nxt, style=False)


def listed(cands: list[Candidate]) -> set[int]:
    """The indexes of listed_runs' candidates (both kinds)."""
    soft, hard = listed_runs(cands)
    return soft | hard


def listed_runs(cands: list[Candidate]) -> tuple[set[int], set[int]]:
    """Candidates in a run of headings with (next to) nothing between them: (a contents list, a key to the plan).

    Contents entries give way to the same heading further on; a key's rows (many sections named on one
    page, most named again later) never start a section.
    """
    out: set[int] = set()
    key: set[int] = set()
    run: list[Candidate] = []
    for c in cands + [None]:
        if c is not None and run and c.index == run[-1].index + run[-1].span and c.page == run[-1].page:
            run.append(c)
            continue
        if len(run) >= 3:
            out.update(x.index for x in run[:-1])
            # The last of a run is the real first heading unless its code comes again later.
            last = run[-1]
            if any(x.code == last.code and x.index > last.index and x.prefixed >= last.prefixed and x.score >= last.score - 8
                   for x in cands):
                out.add(last.index)
        run = [c] if c is not None else []
    # A key table ("Section A | The views ... | what it holds"): many sections named within a few lines,
    # each named again later.
    run = []
    for c in cands + [None]:
        if c is not None and run and c.index - (run[-1].index + run[-1].span) <= 2 and c.page == run[0].page:
            run.append(c)
            continue
        families = {FAMILY.get(x.code, x.code) for x in run}
        again = {FAMILY.get(x.code, x.code) for x in run
                 if any(FAMILY.get(y.code, y.code) == FAMILY.get(x.code, x.code) and y.index > run[-1].index for y in cands)}
        if len(families) >= 5 and len(again) >= 4:
            key.update(x.index for x in run)
        run = [c] if c is not None else []
    return out, key
