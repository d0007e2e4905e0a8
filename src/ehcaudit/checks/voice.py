"""Does section A carry the child's own words, or only what adults say about them?"""

from __future__ import annotations

import re

from ehcaudit.checks.lexicon import pattern
from ehcaudit.checks.statements import blocks, sentences

# A quoted span, opened not inside a word (so "Jade's" does not open a quote); it must hold two words or more.
QUOTE = re.compile(r"""(?<![A-Za-z])['‘"“]([^'‘’"“”]{3,400}?)['’"”](?![A-Za-z])""")
FIRST_PERSON = re.compile(r"(?<![\w'’])(I|I'm|I’m|I've|I’ve|I'd|I’d|my|me|myself|mine)(?![\w'’])")
PRONOUN_START = re.compile(r"^\W*(he|she|they)\b", re.IGNORECASE)
SUBJECT_WORDS = 6


def _adult_subject(sentence: str) -> bool:
    """An adult (parent, staff, a professional) is the subject of the sentence's first verb of saying."""
    said = pattern("voice", "child_said").search(sentence)
    head = sentence[: said.start()] if said else " ".join(sentence.split()[:SUBJECT_WORDS])
    return bool(pattern("voice", "adults").search(head))


def _direct(sentence: str, last_subject_adult: bool, adult_wrote: bool = False) -> bool:
    """The sentence gives the child's own words or choices."""
    body = sentence
    quoted = False
    for q in QUOTE.finditer(sentence):
        if len(q.group(1).split()) >= 2:
            quoted = True
            body = body.replace(q.group(0), " ")
    said = pattern("voice", "child_said").search(sentence)
    adult = _adult_subject(sentence) or (last_subject_adult and bool(PRONOUN_START.match(sentence)))
    if adult_wrote:
        # In a text an adult wrote, only the child's quoted words are the child's.
        return quoted and bool(said) and not adult
    if FIRST_PERSON.search(body) and not adult:
        return True
    if quoted and not adult:
        return True
    return bool(said) and not adult


def voice_problem(text: str) -> tuple[str, str] | None:
    """(quote, message) if section A has none of the child's words or says they were not gathered; else None."""
    # (sentence, written by an adult): an authorship note inside a paragraph covers that paragraph;
    # a sign-off on its own ("(Written by Sam's dad.)") covers the whole section.
    tagged: list[tuple[str, bool]] = []
    signed_off = False
    for block, _heading, _bullet in blocks(text):
        # Headings ("What I like") are the template speaking, not the child.
        if len(block.split()) <= 10 and not re.search(r"[.!?'’\"”)]$", block):
            continue
        by_adult = bool(pattern("voice", "adult_author").search(block)) and not pattern("voice", "with_child").search(block)
        if by_adult and len(block.split()) <= 14:
            signed_off = True
        tagged.extend((s, by_adult) for s in sentences(block))
    if not tagged:
        return None
    for s, _ in tagged:
        if pattern("voice", "not_obtained").search(s):
            return s, "Section A says the child's views were not gathered or only agree with others'; there are none of the child's own words."
    if any(pattern("voice", "with_child").search(s) for s, _ in tagged):
        signed_off = False  # the plan says which words are the child's own
    last_adult = False
    for s, by_adult in tagged:
        if _direct(s, last_adult, by_adult or signed_off):
            return None
        if not PRONOUN_START.match(s):
            last_adult = _adult_subject(s)
    return tagged[0][0], "Section A has none of the child's own words (no quotes, first person or the child's own responses); views are reported by others."
