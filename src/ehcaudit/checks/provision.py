"""Is a provision line (F, G, H1, H2) specific? The five elements: what, who, their expertise, how often, how long."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ehcaudit.checks.lexicon import Pattern, pattern

# A therapy named by its discipline says which professional delivers it ("speech and language therapy").
DISCIPLINE = re.compile(r"\b(speech and language therapy|speech, language and communication therapy|occupational therapy|physiotherapy|play therapy|music therapy|art therapy|drama therapy|psychotherapy|counselling|educational psychology|dietetics|orthoptics|audiology|ophthalmology|salt|slt)\b", re.IGNORECASE)
# Visits with a stated purpose say what each one gives, even without a length.
PURPOSE = re.compile(r"\bto (help|support|review|check|advise|work|teach|train|observe|assess|model|set|update|monitor|meet|plan|see)\b", re.IGNORECASE)
# Something is being provided: without any of these a line in F is description, not provision.
PROVIDES = re.compile(r"\b(will|shall|to be|to have|provided?|provision|receives?|access|uses?|use of|have|has|given|gives?|attends?|funded|funding|support|supported|help|arrange[ds]?|offered|delivered|available|allocated|place|placement|sessions?|programme|therapy|intervention|teaching|training|equipment|transport)\b", re.IGNORECASE)
DESCRIBES_CHILD = re.compile(r"^\W*((?i:at home|at school|in school|in class|outside school),?\s*)?([A-Z][\w.'’\]\[]*( [A-Z][\w.'’]*)?|(?i:he|she|they|the child|\[child\]|staff who know \S+( well)?))\s+(\w+ly\s+)?(likes?|enjoys?|loves?|is|was|has|had|finds?|found|describes?|described|can|cannot|struggles?|becomes?|prefers?|wants?|knows?|lives?|attends?)\b")
# Session-like work needs a length as well as a rate: "daily" alone does not say how much.
SESSION = re.compile(r"\b(sessions?|visits?|therap(y|ies)|interventions?|groups?|tuition|teaching(?! assistants?)|taught|mentoring|programmes?|lessons with|coaching|input)\b", re.IGNORECASE)
GROUP_SIZE = re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(other\s+)?(pupils|children|peers|students|young people|learners|classmates|friends|others)\b|\bgroup of (\d+|two|three|four|five|six|seven|eight)\b|\b(pupils|children|peers)\)|\band (\d+|one|two|three|four) peers?\b|\bwith (a|one|two|three) peers?\b|\b1:\d\b|\b\d:\d\b", re.IGNORECASE)
KEY_ADULT_DEFINED = re.compile(r"\bkey (adult|person|worker)s?\b\s*[(,:-]\s*\w+|\b(ta|teaching assistant|mentor|senco|teacher|lsa|hlta)\b", re.IGNORECASE)
# Only vague people as the subject of a clause ("school staff will reinforce ...") even if a role is named elsewhere.
VAGUE_SUBJECT = re.compile(r"(^|[,;:]\s*(and\s+)?|\band\s+|\bwith\s+)(all\s+)?(school\s+|other\s+|trained\s+|relevant\s+|familiar\s+)?(staff|adults|members? of staff|professionals)\s+(will|to|should|must|can|may)\b", re.IGNORECASE)
# "provided by the unit", "funded by the ICB": the line names who provides it, whatever they are called.
BY_PROVIDER = re.compile(r"\b(provided|delivered|run|led|funded|supplied|commissioned|arranged|given|taught|checked|set up|managed|fitted|overseen)\s+by\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?(?!(?:trained\s+|qualified\s+|experienced\s+|relevant\s+|school\s+|appropriate\s+|suitable\s+|all\s+|other\s+)*(?:staff|adults?|members?|someone|professionals|people|the team)\b)[A-Za-z]", re.IGNORECASE)
CONSIDERED_OPEN = re.compile(r"\b(small[- ]group|key adult|trusted adult|familiar adult)\b", re.IGNORECASE)
# Staff as the ones being trained are not staff delivering to the child.
STAFF_TRAINED = re.compile(r"\b(staff|adults)\b[^.;]{0,40}?\b(will|to)\s+(complete|attend|receive|undertake|have|be given|do)\b[^.;]{0,60}\btraining\b|\b(staff|adults)\b[^.;]{0,40}?\b(will|to) be trained\b", re.IGNORECASE)


@dataclass
class Reading:
    """What a provision line says and what it leaves out."""

    rate: bool
    scope: bool
    length: bool
    count: bool
    deadline: bool
    who: bool
    institution: bool
    vague_who: bool
    human: bool
    session: bool
    open_hedges: list[str] = field(default_factory=list)
    closable: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def vague(self) -> bool:
        return bool(self.missing or self.open_hedges)


def is_provision_statement(text: str) -> bool:
    """A line that provides something (not a heading, a review note, a 'no provision' line or an introduction)."""
    stripped = text.strip().strip("•-– ").lower()
    if stripped.endswith(":") or pattern("provision", "not_provision").search(stripped):
        return False
    if len(stripped.split()) < 2:
        return False
    if pattern("provision", "not_provision_anywhere").search(text):
        return False

    def p(name: str) -> Pattern:
        return pattern("provision", name)

    signal = (
        PROVIDES.search(text) or SESSION.search(text) or p("roles").search(text) or p("equipment").search(text)
        or p("open_hedges").search(text) or p("closable_hedges").search(text)
    )
    # A sentence about the child ("At home, he likes ...") is description that strayed into F, not provision.
    return bool(signal) or not DESCRIBES_CHILD.search(text)


def read_provision(text: str) -> Reading:
    """Read the elements of one provision line; missing lists what a parent could not check."""
    def p(name: str) -> Pattern:
        return pattern("provision", name)

    r = Reading(
        rate=bool(p("frequency").search(text)),
        scope=bool(p("scope").search(text)),
        length=bool(p("amount").search(text)),
        count=bool(p("count").search(text)),
        deadline=bool(p("deadline").search(text)),
        who=bool(p("roles").search(text) or BY_PROVIDER.search(text) or DISCIPLINE.search(text)),
        institution=bool(p("institutions").search(text)),
        vague_who=bool(p("vague_roles").search(text)),
        human=bool(p("human_work").search(text)),
        session=bool(SESSION.search(text)),
        open_hedges=p("open_hedges").findall(text),
        closable=p("closable_hedges").findall(text),
    )
    when = r.rate or r.scope or r.deadline or r.count
    if not when and not r.length:
        r.missing.append("how much or how often")
    elif not when:
        r.missing.append("how often")
    elif r.session and not (r.length or r.scope or r.count or r.deadline):
        only_visits = not SESSION.search(re.sub(r"\bvisits?\b", "", text))
        if not (only_visits and PURPOSE.search(text)):
            r.missing.append("how long each session lasts")
    trained = bool(STAFF_TRAINED.search(text))
    if r.human and not r.who and not (trained and r.institution):
        r.missing.append("who delivers it (a role, not just 'staff' or 'adults')" if r.vague_who else "who delivers it")
    elif VAGUE_SUBJECT.search(text) and not trained:
        r.missing.append("who delivers it ('staff' or 'adults' is not a role)")
    for m in CONSIDERED_OPEN.finditer(text):
        word = m.group(0).lower()
        if "group" in word and not GROUP_SIZE.search(text):
            r.missing.append("how big the small group is")
        elif "group" not in word and not KEY_ADULT_DEFINED.search(text.replace(m.group(0), "")):
            r.missing.append(f"who the '{m.group(0)}' is")
    return r


def describe(r: Reading) -> tuple[str, str]:
    """(message, suggestion) for a vague line, in plain words."""
    parts = []
    if r.open_hedges:
        parts.append(f"'{r.open_hedges[0]}' leaves the amount or the decision open")
    if r.missing:
        parts.append("it does not say " + _join(r.missing))
    if r.closable and not r.open_hedges:
        parts.append(f"'{r.closable[0]}' is not pinned down")
    message = "Provision not specific: " + "; ".join(parts) + "."
    wants = []
    if any("how" in m for m in r.missing) or r.open_hedges:
        wants.append("how often and for how long (e.g. '30 minutes, three times a week')")
    if any("who" in m for m in r.missing):
        wants.append("who delivers it and their training (e.g. 'the class TA, trained in the programme')")
    if not wants:
        wants.append("exactly what is provided and when, so a parent can tell whether it is happening")
    return message, "Say " + " and ".join(wants) + "."


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
