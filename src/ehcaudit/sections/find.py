"""Page texts -> the plan's sections: headings chosen for the whole plan at once, every line accounted for.

Each line is scored as a possible heading (sections/headings.py); one heading per section is chosen
with the plan's usual order as the tie-breaker; the lines between headings are each section's text,
needs/outcomes/provision tables are cut by column (sections/columns.py), and every line that belongs
to no section (page furniture, contents, cover, sign-off, repeated headings) is set aside with the reason.
"""

from __future__ import annotations


import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ehcaudit.sections.codes import SECTION_CODES, SECTION_NAMES
from ehcaudit.pdf.extract import PageGeometry, PrintedLine, Style
from ehcaudit.sections.clean import Line, SetAside, clean_pages
from ehcaudit.sections.columns import names_needs_outcomes_provision, split_columns
from ehcaudit.sections.plan_warnings import PlanWarning, WarningKind
from ehcaudit.sections.model import Section
from ehcaudit.sections.headings import FAMILY, Candidate, Looks, candidates, listed, listed_runs, several_codes
from ehcaudit.sections.titles import normalise

# The local authority's sign-off after the last section: not part of K.
SIGN_OFF = re.compile(
    r"^\s*(?:signed\b|signature\b|sign[- ]off\b|on behalf of (?:the )?(?:local authority|council)\b"
    r"|authorised (?:by|signatory)\b|name of (?:the )?(?:officer|signatory)\b|this plan (?:was|is) (?:issued|finalised)\b)",
    re.I,
)
LOW_CONFIDENCE = 70
SWALLOWING_SHARE = 0.6


@dataclass
class FoundSections:
    sections: list[Section] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)

    def get(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)


RANK = {code: n for n, code in enumerate(["A", "A1", "A2", "A3", "A4", "B", "C", "D", "E", "F", "G", "H", "H1", "H2", "I", "J", "K"])}


def _order_fit(c: Candidate, anchors: dict[str, int]) -> int:
    """How many of the surely-placed headings sit on the side of c that the usual order of a plan puts them."""
    rank = RANK[c.code]
    return sum((RANK[code] < rank) == (i < c.index) for code, i in anchors.items() if RANK[code] != rank)


def _body_style(lines: list[Line]) -> Style | None:
    """The look of running text: the style most sentence endings are printed in (headings rarely end with a full stop)."""
    body: Counter[Style] = Counter()
    for ln in lines:
        if ln.style and ln.text.endswith((".", ";", "!", "?")) and len(ln.text.split()) >= 3:
            body[ln.style] += len(ln.text)
    if not body:
        for ln in lines:
            if ln.style:
                body[ln.style] += len(ln.text)
    return body.most_common(1)[0][0] if body else None


def _heading_styles(cands: list[Candidate], skip: set[int], body: Style | None,
                    lines: list[Line]) -> tuple[Style | None, frozenset[Style]]:
    """(the look most section headings share, every look that heads several different sections).

    A look is judged by how many different sections its lines would head: A1..A4 or the areas of need
    under B share one look but head one section each; the plan's headings head many.
    """
    families: dict[Style, set[str]] = {}
    for c in cands:
        if not c.style or c.index in skip or c.style == body:
            continue
        if lines[c.index].edge and body and c.style[0] < body[0]:
            continue  # a running header in the band: says nothing about the headings
        families.setdefault(c.style, set()).add(FAMILY.get(c.code, c.code))
    if not families:
        return None, frozenset()
    ranked = sorted(families.items(), key=lambda kv: (len(kv[1]), kv[0][0], kv[0][1]), reverse=True)
    best, codes = ranked[0]
    if len(codes) < 2 and len(cands) > 2:
        return None, frozenset()
    # A second heading look must be clearly larger than the body (bold body-size lines are sub-headings).
    return best, frozenset(st for st, fam in families.items()
                           if len(fam) >= 3 and (body is None or st[0] >= body[0] + 1))


def _choose(cands: list[Candidate], looks: Looks, skip: set[int], key: set[int]) -> dict[str, Candidate]:
    if looks.heading and looks.body and looks.heading != looks.body:
        # Where headings are printed larger or bolder, a line printed as body text is not one
        # unless it says so ("Section F ...").
        cands = [c for c in cands if c.prefixed or c.style != looks.body]
    # A heading with its section after it beats the same heading in a contents list or key (A1 counts for A).
    family_unlisted = {FAMILY.get(c.code, c.code) for c in cands if c.index not in skip}
    cands = [c for c in cands if c.index not in skip or FAMILY.get(c.code, c.code) not in family_unlisted]
    # A key to the plan's sections starts none of them.
    cands = [c for c in cands if c.index not in key]
    by_code: dict[str, list[Candidate]] = {}
    for c in cands:
        by_code.setdefault(c.code, []).append(c)
    contenders: dict[str, list[Candidate]] = {}
    for code, group in by_code.items():
        # A heading with its section after it beats the same heading in a contents list.
        if any(c.index not in skip for c in group):
            group = [c for c in group if c.index not in skip]
        # A printed "Section X"/"Part N" beats the same words in running text.
        if any(c.prefixed for c in group):
            group = [c for c in group if c.prefixed]
        # Printed like the other section headings beats printed like a sub-heading.
        heading_looks = looks.headings | {looks.heading}
        if looks.heading and any(c.style in heading_looks for c in group):
            group = [c for c in group if c.style in heading_looks or c.style is None]
        best = max(c.score for c in group)
        contenders[code] = [c for c in group if c.score >= best - 8]
    # Where a heading's words appear twice ("My health" inside All about me, then "My health
    # needs"), the one that sits between its neighbours in the usual order of a plan wins.
    anchors = {code: group[0].index for code, group in contenders.items() if len(group) == 1}
    chosen = {code: max(group, key=lambda c: (_order_fit(c, anchors), -c.index)) for code, group in contenders.items()}
    # One line can start one section only: the better match keeps it.
    by_line: dict[int, Candidate] = {}
    for c in chosen.values():
        if c.index not in by_line or c.score > by_line[c.index].score:
            by_line[c.index] = c
    # A wrapped heading's later lines cannot start another section.
    out: dict[str, Candidate] = {}
    covered: set[int] = set()
    for c in sorted(by_line.values(), key=lambda c: (c.index, -c.score)):
        if c.index in covered:
            continue
        covered.update(range(c.index, c.index + c.span))
        out[c.code] = c
    return out


def _confidence(c: Candidate, order_ok: bool) -> tuple[int, str]:
    """A score that means something: a printed code is near certain, a title by its words alone less so."""
    why = c.why or ("title" if not c.prefixed else "printed code")
    if c.prefixed and why.startswith(("printed code", "names its section")):
        score = 90 + min(10, c.score - 80) if c.score >= 80 else 85
    else:
        score = min(100.0, c.score)
        if why.startswith("title words") or "printed as a heading" in why:
            score = min(score, 80)
    if not order_ok:
        score -= 15
        why += "; out of the usual order"
    return int(round(max(0, min(100, score)))), why


def find_sections(pages: list[str], styles: list[list[tuple[str, Style]]] | None = None,
                  printed: list[list[PrintedLine]] | None = None,
                  geometry: list[PageGeometry | None] | None = None) -> FoundSections:
    """The plan's sections in document order, with warnings for anything missing, merged or doubtful.

    styles/printed (from the PDF's text visitor: each line's font size, weight and place on the page)
    help tell headings from body text and page furniture; without them the text alone decides.
    Every line ends in exactly one place: a section's heading or text, or result.set_aside.
    """
    cleaned = clean_pages(pages, styles, printed, geometry)
    lines = cleaned.lines
    result = FoundSections(set_aside=list(cleaned.set_aside))
    heads = _read_headings(lines)
    if not heads.chosen:
        result.warnings.append(PlanWarning(WarningKind.MISSING,
                                           "no section headings were recognised; set the sections by hand in the app"))
        result.set_aside += [SetAside(ln.page, ln.text, "no section found", ln.place) for ln in lines]
        return result
    starts = sorted(heads.chosen.values(), key=lambda c: c.index)
    # Which reported code each heading's text belongs to.
    # A1..A4 are reported as A; one H heading for H1 and H2 as H1 (as H1 too where H2 has its own).
    target = {c.code: "A" if FAMILY.get(c.code) == "A" else "H1" if c.code == "H" else c.code for c in starts}
    if "H" in heads.chosen and "H1" not in heads.chosen and "H2" not in heads.chosen:
        result.warnings.append(PlanWarning(
            WarningKind.MERGED, f"one heading ('{heads.chosen['H'].heading}') covers H1 and H2; its text is reported as H1"
        ))
    aside = _aside_outside_sections(lines, heads, starts)
    pieces = _cut_into_pieces(lines, heads, starts, target, aside, result)
    for i, why in sorted(aside.items()):
        result.set_aside.append(SetAside(lines[i].page, lines[i].text, why, lines[i].place))
    result.set_aside.sort(key=lambda s: s.page)
    sections = _sections_of(pieces, lines, starts, target, result)
    result.sections = [s for _, s in sections]
    _warn_of_gaps(result, heads.chosen)
    return result


@dataclass
class _Headings:
    """The heading candidates of a plan and the one chosen for each section."""

    cands: list[Candidate]
    running: list[Candidate]  # heading-like lines printed small in the header or footer band
    looks: Looks
    skip: set[int]  # candidates listed in a contents list
    chosen: dict[str, Candidate]


def _read_headings(lines: list[Line]) -> _Headings:
    """Score every line as a heading, learn how this plan prints its headings, and choose one per section."""
    body_look = _body_style(lines)
    first_pass = candidates(lines, Looks(body_look))
    skip = listed(first_pass)
    heading_look, heading_looks = _heading_styles(first_pass, skip, body_look, lines)
    looks = Looks(body_look, heading_look, heading_looks)
    cands = candidates(lines, looks) if looks.heading else first_pass
    # A heading is never printed smaller than the body text in the header or footer band: that is a running header.
    running = [c for c in cands if lines[c.index].edge and c.style and body_look and c.style[0] < body_look[0]]
    cands = [c for c in cands if c not in running]
    skip = listed(cands) if looks.heading else skip
    key = listed_runs(cands)[1]
    return _Headings(cands, running, looks, skip, _choose(cands, looks, skip, key))


def _aside_outside_sections(lines: list[Line], heads: _Headings, starts: list[Candidate]) -> dict[int, str]:
    """Line index -> why, for the lines before the first heading, running headers that name a section, and the sign-off."""
    aside: dict[int, str] = {}
    for i, ln in enumerate(lines[: starts[0].index]):
        aside[i] = "contents" if ln.toc or i in heads.skip else "cover"
    # A heading-like line in the top or bottom band, printed unlike the headings chosen: a running header
    # naming a section ("Section C: Health needs" over a page that is still B's).
    starting = {c.index for c in starts}
    chosen_looks = {c.style for c in starts}
    for c in heads.cands + heads.running:
        if c.index not in starting and lines[c.index].edge and c.style not in chosen_looks and (c.prefixed or c in heads.running):
            for i in range(c.index, c.index + c.span):
                aside[i] = "running header" if lines[c.index].edge == "top" else "running footer"
    last = starts[-1]
    for i in range(last.index + last.span, len(lines)):
        if SIGN_OFF.match(lines[i].text):
            # A sign-off page: from the top of its page, when it opens the page.
            first_on_page = next(k for k in range(i, -1, -1) if k == 0 or lines[k - 1].page != lines[i].page)
            if first_on_page > last.index + last.span - 1 and i - first_on_page <= 3:
                i = first_on_page
            for k in range(i, len(lines)):
                aside[k] = "sign-off"
            break
    return aside


def _repeated_headings(heads: _Headings, starts: list[Candidate]) -> dict[int, Candidate]:
    """Line index -> the heading it prints again inside its own section ("Section F (continued)").

    A sub-heading that merely shares words with it ("Social care" under "Social care needs") is body text.
    """
    starting = {c.index for c in starts}
    heading_words = {c.code: set(normalise(c.heading).split()) for c in starts}
    return {
        i: c for c in heads.cands
        if c.index not in starting and c.score >= 90
        and (c.prefixed or heading_words.get(c.code, {""}) <= set(normalise(c.heading).split()))
        for i in range(c.index, c.index + c.span)
    }


def _cut_into_pieces(lines: list[Line], heads: _Headings, starts: list[Candidate], target: dict[str, str],
                     aside: dict[int, str], result: FoundSections) -> dict[str, list[tuple[Candidate, list[Line]]]]:
    """Reported code -> (heading, body lines) for each part of the plan under that code, tables cut by column.

    Lines in a section that belong to no section (contents entries, its heading printed again) go into aside;
    a table's column headings into result.set_aside.
    """
    starting = {c.index for c in starts}
    repeats = _repeated_headings(heads, starts)
    listed_lines = {i for c in heads.cands if c.index in heads.skip and c.index not in starting
                    for i in range(c.index, c.index + c.span)}
    pieces: dict[str, list[tuple[Candidate, list[Line]]]] = {}
    for k, c in enumerate(starts):
        end = starts[k + 1].index if k + 1 < len(starts) else len(lines)
        body: list[Line] = []
        for i in range(c.index + c.span, end):
            ln = lines[i]
            if i in aside:
                continue
            if ln.toc or i in listed_lines:
                aside[i] = "contents"
            elif i in repeats and target.get(repeats[i].code, repeats[i].code) == target[c.code]:
                aside[i] = "repeated heading"
            else:
                body.append(ln)
        named = [{"H": "H1"}.get(x, x) for x in several_codes(c.heading)]
        split = split_columns(body, named_several=len(named) >= 2 or names_needs_outcomes_provision(c.heading))
        if split is not None and target[c.code] in split.by_code:
            result.set_aside += [SetAside(ln.page, ln.text, "column heading", ln.place) for ln in split.headers]
            for code, cells in split.by_code.items():
                code = {"H": "H1"}.get(code, code)
                pieces.setdefault(code, []).append((c, cells))
            continue
        pieces.setdefault(target[c.code], []).append((c, body))
    return pieces


def _sections_of(pieces: dict[str, list[tuple[Candidate, list[Line]]]], lines: list[Line], starts: list[Candidate],
                 target: dict[str, str], result: FoundSections) -> list[tuple[int, Section]]:
    """(index of the first heading, section) for each reported code, in document order.

    The later parts' headings of a section in parts go into result.set_aside; a heading naming several
    sections gives each of them the one section, with a warning.
    """
    anchors = {c.code: c.index for c in starts}
    sections = []
    shown: set[int] = set()  # starts whose heading a section shows
    for code, parts in pieces.items():
        first = parts[0][0]
        body = [ln for _, b in parts for ln in b]
        last_page = max([lines[first.index].page] + [ln.page for ln in body])
        # The section's own heading where it has one; else the table heading whose column it is.
        own = next((c for c, _ in parts if target.get(c.code) == code), None)
        used = own or first
        shown.add(used.index)
        score, why = _confidence(used, _order_fit(used, anchors) >= len(anchors) - 2)
        if own is None:
            why = f"column of the table under '{first.heading[:60]}'"
        sections.append((first.index, Section(
            code=code, heading=used.heading, score=score, page_start=lines[first.index].page, page_end=last_page,
            text="\n".join(ln.text for ln in body), why=why,
        )))
    # A section in parts (A1 and A2, a second "Section F" further on): the later parts' headings are kept here.
    for c in starts:
        if c.index not in shown:
            result.set_aside += [SetAside(lines[i].page, lines[i].text, "part heading", lines[i].place)
                                 for i in range(c.index, c.index + c.span)]
    result.set_aside.sort(key=lambda s: s.page)
    # "Sections B, E and F: ...": the one section is reported under each code it names.
    by_code = {sec.code: (index, sec) for index, sec in sections}
    for c in starts:
        named = [{"H": "H1"}.get(x, x) for x in several_codes(c.heading)]
        if len(named) < 2 or target[c.code] not in by_code:
            continue
        index, sec = by_code[target[c.code]]
        copies = [x for x in named if x not in by_code]
        if not copies:
            continue
        sections += [(index, replace(sec, code=x, why=f"one heading for {', '.join(named)}")) for x in copies]
        by_code.update({x: (index, sec) for x in copies})
        result.warnings.append(PlanWarning(
            WarningKind.MERGED, f"one heading ('{c.heading}') covers {', '.join(named)}; its text is reported under each"))
    sections.sort(key=lambda pair: (pair[0], SECTION_CODES.index(pair[1].code)))
    return sections


def _warn_of_gaps(result: FoundSections, chosen: dict[str, Candidate]) -> None:
    """Warnings for each section not found, each heading with no text under it, and any doubt about the whole."""
    found = {s.code for s in result.sections}
    for code in SECTION_CODES:
        if code in found or (code == "H2" and "H" in chosen):
            continue
        result.warnings.append(PlanWarning(WarningKind.MISSING, f"section {code} ({SECTION_NAMES[code].lower()}) was not found"))
    for s in result.sections:
        if not s.text.strip():
            result.warnings.append(PlanWarning(
                WarningKind.EMPTY, f"section {s.code} has a heading ('{s.heading[:60]}') but no text under it"))
    doubts = _doubts(result.sections)
    if doubts:
        result.warnings.append(PlanWarning(WarningKind.CHECK, "check sections: " + "; ".join(doubts)))


def _doubts(sections: list[Section]) -> list[str]:
    """Why a reviewer should look at the sections before grading, besides sections not found (each of those is
    its own warning already: one cause, one warning). Empty: they look sound."""
    doubts = []
    low = [f"{s.code} ({s.score}%)" for s in sections if s.score < LOW_CONFIDENCE]
    if low:
        doubts.append(f"headings found by their words or place alone: {', '.join(low)}")
    words = {s.code: len(s.text.split()) for s in sections}
    total = sum(words.values())
    if len(sections) >= 4 and total >= 200:
        code, most = max(words.items(), key=lambda kv: kv[1])
        if most > SWALLOWING_SHARE * total:
            doubts.append(f"section {code} holds {round(100 * most / total)}% of the plan's text")
    return doubts
