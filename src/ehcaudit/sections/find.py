"""Page texts -> the plan's sections, by fuzzy-matching headings against known titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from ehcaudit.codes import SECTION_CODES, SECTION_NAMES
from ehcaudit.pdf.extract import Style
from ehcaudit.sections.clean import Line, clean_pages
from ehcaudit.sections.titles import normalise, score_title, title_vocabulary_share

# "Section A:", "PART B", "A1 ", "H2.", "Part 3 -", "1.", "12 " at the start of a line.
PREFIX = re.compile(
    r"""^\s*
    (?P<word>section|sect\.?|part)?\s*
    (?P<code>[A-Ka-k](?:\s?[12](?!\d))?|\d{1,2}(?!\d))
    (?P<sep>\s*[:.)\]\-–—|]+\s*|\s+|$)
    (?P<title>.*)$""",
    re.X | re.I,
)
MAX_HEADING_WORDS = 16
NO_PREFIX_THRESHOLD = 86
NUMBERED_THRESHOLD = 75
FAMILY = {"A": "A", "A1": "A", "A2": "A", "H": "H", "H1": "H", "H2": "H"}


@dataclass(frozen=True)
class Section:
    code: str
    heading: str
    score: int
    page_start: int
    page_end: int
    text: str

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "heading": self.heading,
            "score": self.score,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "text": self.text,
        }


@dataclass
class FoundSections:
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def get(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)


@dataclass(frozen=True)
class Candidate:
    index: int
    code: str
    score: float
    span: int
    heading: str
    prefixed: bool
    style: Style | None = None


def _explicit_code(match: re.Match) -> str | None:
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


def _looks_like_heading(title_raw: str) -> bool:
    words = title_raw.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if title_raw.rstrip().endswith((".", ",", ";")) and not title_raw.rstrip().endswith(("...", "…")):
        return False
    first = title_raw.lstrip("\"'“(")[:1]
    return first.isupper() or first.isdigit()


_LEADING_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+(?=(?:section|part)\b)", re.I)
_H_BOTH = re.compile(r"\bH\s*1\s*(?:and|&|/|,|\+)\s*H\s*2\b", re.I)
# "Sections B, E and F: Needs, outcomes and provision": one heading for several sections.
_SEVERAL = re.compile(r"^\s*(?:sections?|parts?)\s+([A-K][12]?)((?:\s*(?:,|and|&|/|\+)\s*[A-K][12]?)+)(?![\w])", re.I)
_CODE = re.compile(r"[A-K][12]?")


def _several_codes(text: str) -> list[str]:
    """The codes a heading names when it names more than one ("Sections B, E and F" -> B, E, F)."""
    m = _SEVERAL.match(_H_BOTH.sub("H", text))
    if not m:
        return []
    codes = [m.group(1).upper()] + _CODE.findall(m.group(2).upper().replace("AND", " "))
    return [c for c in dict.fromkeys(codes) if c in SECTION_CODES or c == "H"]


def _fix_section_word(text: str) -> str:
    # "1. Section A": the outer numbering says nothing about the code.
    text = _LEADING_NUMBER.sub("", text)
    # "Section H1 and H2": one heading for both parts of H.
    text = _H_BOTH.sub("H", text)
    # "Sections B, E and F": the first names the section; the others are reported with it.
    several = _SEVERAL.match(text)
    if several:
        text = f"Section {several.group(1)}{text[several.end():]}"
    # "Secton C", "Sectoin D": a mistyped "Section" still announces a section.
    first, _, rest = text.partition(" ")
    if first and first[0] in "Ss" and 5 <= len(first) <= 8 and first.lower() != "section":
        if fuzz.ratio(first.lower(), "section") >= 80:
            return f"Section {rest}"
    return text


def _score_line(text: str) -> tuple[str, float, bool] | None:
    """(code, score, prefixed) if this line reads as a section heading."""
    m = PREFIX.match(_fix_section_word(text))
    if m and (m.group("word") or m.group("sep").strip() or m.group("code")[0].isupper() or m.group("code").isdigit()):
        title_raw = m.group("title").strip()
        code = _explicit_code(m)
        if code is not None and (code in FAMILY or code in SECTION_CODES):
            if not title_raw:
                return code, 80.0, True
            scores = score_title(normalise(title_raw), allow_single_word=True)
            same = scores.get(code, 0.0)
            words = title_raw.split()
            if same >= 50 or (len(words) <= 8 and _looks_like_heading(title_raw)):
                return code, 80.0 + 0.2 * same, True
            return None
        numbered = m.group("code").isdigit() and (m.group("word") or m.group("sep").strip(" ") != "")
        if numbered:
            if not title_raw:
                return "?", 0.0, True  # "Part 3" alone: the title is on the next line
            if _looks_like_heading(title_raw):
                scores = score_title(normalise(title_raw), allow_single_word=True)
                if scores:
                    code, score = max(scores.items(), key=lambda kv: kv[1])
                    if score >= NUMBERED_THRESHOLD:
                        return code, score, True
    if not _looks_like_heading(text):
        return None
    scores = score_title(normalise(text), allow_single_word=False)
    if not scores:
        return None
    code, score = max(scores.items(), key=lambda kv: kv[1])
    return (code, score, False) if score >= NO_PREFIX_THRESHOLD else None


def _candidates(lines: list[Line]) -> list[Candidate]:
    out: list[Candidate] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.toc:
            i += 1
            continue
        hit = _score_line(line.text)
        if hit is None:
            i += 1
            continue
        code, score, prefixed = hit
        span, heading = 1, line.text
        # Headings wrap: take up to two more lines while they read as the same heading.
        while span < 3 and i + span < len(lines):
            nxt = lines[i + span]
            if nxt.toc or len(nxt.text.split()) > 14 or nxt.text.endswith("."):
                break
            if code != "?" and line.style and nxt.style and nxt.style != line.style:
                break  # printed differently: not the heading's second line
            alone = _score_line(nxt.text)
            if alone is not None and alone[2] and alone[0] != "?":
                break  # the next line is a printed heading of its own ("PART A ...")
            joined = f"{heading} {nxt.text}"
            joined_hit = _score_line(joined)
            if not joined_hit or joined_hit[0] == "?":
                break
            plainly_continues = nxt.text[:1].islower() or nxt.text[:1] in "(&" or (heading.isupper() and nxt.text.isupper())
            if score >= 99 and not plainly_continues and alone is not None:
                break  # a complete heading, and the next line reads as one alone: a sub-heading ("Social care")
            continues = plainly_continues or (len(nxt.text.split()) <= 5 and title_vocabulary_share(joined_hit[0], nxt.text) >= 0.75)
            better = joined_hit[1] > score + 5 or (continues and joined_hit[1] >= score - 3)
            if not (code == "?" or (better and joined_hit[0] == code and (continues or alone is None))):
                break
            code, score, heading = joined_hit[0], joined_hit[1], joined
            span += 1
        if code != "?":
            out.append(Candidate(i, code, score, span, heading, prefixed, line.style))
        i += span
    return out


def _listed(cands: list[Candidate]) -> set[int]:
    """Candidates in a run of three or more headings with nothing between them: a contents list."""
    listed: set[int] = set()
    run: list[Candidate] = []
    for c in cands + [None]:
        if c is not None and run and c.index == run[-1].index + run[-1].span:
            run.append(c)
            continue
        if len(run) >= 3:
            listed.update(x.index for x in run[:-1])
            # The last of a run is the real first heading unless its code comes again later.
            last = run[-1]
            if any(x.code == last.code and x.index > last.index and x.prefixed >= last.prefixed and x.score >= last.score - 8
                   for x in cands):
                listed.add(last.index)
        run = [c] if c is not None else []
    return listed


RANK = {code: n for n, code in enumerate(["A", "A1", "A2", "B", "C", "D", "E", "F", "G", "H", "H1", "H2", "I", "J", "K"])}


def _order_fit(c: Candidate, anchors: dict[str, int]) -> int:
    """How many of the surely-placed headings sit on the side of c that the usual order of a plan puts them."""
    rank = RANK[c.code]
    return sum((RANK[code] < rank) == (i < c.index) for code, i in anchors.items() if RANK[code] != rank)


def _looks(lines: list[Line], cands: list[Candidate], listed: set[int]) -> tuple[Style | None, Style | None]:
    """(body text's style, section headings' style), where the PDF told us how lines were printed."""
    body: Counter[Style] = Counter()
    for ln in lines:
        if ln.style:
            body[ln.style] += len(ln.text)
    headings = Counter(c.style for c in cands if c.style and c.index not in listed and (c.prefixed or c.score >= 95))
    return (body.most_common(1)[0][0] if body else None), (headings.most_common(1)[0][0] if headings else None)


def _choose(cands: list[Candidate], lines: list[Line]) -> dict[str, Candidate]:
    listed = _listed(cands)
    body_look, heading_look = _looks(lines, cands, listed)
    if heading_look and body_look and heading_look != body_look:
        # Where headings are printed larger or bolder, a line printed as body text is not one
        # unless it says so ("Section F ...").
        cands = [c for c in cands if c.prefixed or c.style != body_look]
    by_code: dict[str, list[Candidate]] = {}
    for c in cands:
        by_code.setdefault(c.code, []).append(c)
    contenders: dict[str, list[Candidate]] = {}
    chosen: dict[str, Candidate] = {}
    for code, group in by_code.items():
        # A heading with its section after it beats the same heading in a contents list.
        if any(c.index not in listed for c in group):
            group = [c for c in group if c.index not in listed]
        # A printed "Section X"/"Part N" beats the same words in running text.
        if any(c.prefixed for c in group):
            group = [c for c in group if c.prefixed]
        # Printed like the other section headings beats printed like a sub-heading.
        if heading_look and any(c.style == heading_look for c in group):
            group = [c for c in group if c.style in (heading_look, None)]
        best = max(c.score for c in group)
        contenders[code] = [c for c in group if c.score >= best - 8]
    # Where a heading's words appear twice ("My health" inside All about me, then "My health
    # needs"), the one that sits between its neighbours in the usual order of a plan wins.
    anchors = {code: group[0].index for code, group in contenders.items() if len(group) == 1}
    for code, group in contenders.items():
        chosen[code] = max(group, key=lambda c: (_order_fit(c, anchors), -c.index))
    # One line can start one section only: the better match keeps it.
    by_line: dict[int, Candidate] = {}
    for c in chosen.values():
        if c.index not in by_line or c.score > by_line[c.index].score:
            by_line[c.index] = c
    return {c.code: c for c in by_line.values()}


def find_sections(pages: list[str], styles: list[list[tuple[str, Style]]] | None = None) -> FoundSections:
    """The plan's sections in document order, with warnings for anything missing or merged.

    styles (from the PDF's text visitor: each line's font size and weight) help tell headings
    from body text and sub-headings; without them the text alone decides.
    """
    lines = clean_pages(pages, styles)
    candidates = _candidates(lines)
    chosen = _choose(candidates, lines)
    result = FoundSections()
    if not chosen:
        result.warnings.append("no section headings were recognised; set the sections by hand in the app")
        return result
    starts = sorted(chosen.values(), key=lambda c: c.index)

    # Which reported code each heading's text belongs to.
    # A1 and A2 are reported as A; one H heading for H1 and H2 as H1.
    target = {c.code: "A" if FAMILY.get(c.code) == "A" else "H1" if c.code == "H" else c.code for c in starts}
    if "H" in chosen and "H1" not in chosen and "H2" not in chosen:
        result.warnings.append(
            f"one heading ('{chosen['H'].heading}') covers H1 and H2; its text is reported as H1"
        )

    # A heading printed again inside its own section ("Section F (continued)") is not body text;
    # a sub-heading that merely shares words with it ("Social care" under "Social care needs") is.
    starting = {c.index for c in starts}
    printed = {c.code: set(normalise(c.heading).split()) for c in starts}
    repeats = {
        i: c for c in candidates
        if c.index not in starting and c.score >= 90
        and (c.prefixed or printed.get(c.code, {""}) <= set(normalise(c.heading).split()))
        for i in range(c.index, c.index + c.span)
    }
    pieces: dict[str, list[tuple[Candidate, list[Line]]]] = {}
    for k, c in enumerate(starts):
        end = starts[k + 1].index if k + 1 < len(starts) else len(lines)
        body = [
            ln for i, ln in enumerate(lines[c.index + c.span : end], start=c.index + c.span)
            if not ln.toc and not (i in repeats and target.get(repeats[i].code, repeats[i].code) == target[c.code])
        ]
        pieces.setdefault(target[c.code], []).append((c, body))

    sections = []
    for code, parts in pieces.items():
        first = parts[0][0]
        body = [ln for _, b in parts for ln in b]
        last_page = max([lines[first.index].page] + [ln.page for ln in body])
        sections.append(
            (
                first.index,
                Section(
                    code=code,
                    heading=first.heading,
                    score=int(round(min(100.0, max(c.score for c, _ in parts)))),
                    page_start=lines[first.index].page,
                    page_end=last_page,
                    text="\n".join(ln.text for ln in body),
                ),
            )
        )
    # "Sections B, E and F: ...": the one section is reported under each code it names.
    by_code = {sec.code: (index, sec) for index, sec in sections}
    for c in starts:
        named = [{"H": "H1"}.get(x, x) for x in _several_codes(c.heading)]
        if len(named) < 2 or target[c.code] not in by_code:
            continue
        index, sec = by_code[target[c.code]]
        copies = [x for x in named if x not in by_code]
        sections += [(index, replace(sec, code=x)) for x in copies]
        by_code.update({x: (index, sec) for x in copies})
        result.warnings.append(f"one heading ('{c.heading}') covers {', '.join(named)}; its text is reported under each")
    sections.sort(key=lambda pair: (pair[0], SECTION_CODES.index(pair[1].code)))
    result.sections = [s for _, s in sections]
    found = {s.code for s in result.sections}
    for code in SECTION_CODES:
        if code in found or (code == "H2" and "H" in chosen):
            continue
        result.warnings.append(f"section {code} ({SECTION_NAMES[code].lower()}) was not found")
    return result
