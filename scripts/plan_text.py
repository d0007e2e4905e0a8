"""Fictional, redacted text for the bundled sample plans, at several levels of quality.

Every child, family, school and professional here is invented; names appear only
as redaction marks ("[REDACTED]", "Child A", initials).
"""

from __future__ import annotations

import random

CHILD = ["[REDACTED]", "Child A", "XXXXX", "[child]", "J.", "Child B"]

VOICE_STRONG = [
    "These views were gathered by the SENCo over three sessions in school using symbol cards, a talking mat and drawings. {child} chose which pictures to keep. The words in quotation marks are {child}'s own.",
    "\"I like Lego, trains and swimming on Saturdays. I am good at building things and I can remember all the train stations on our line.\" ({child}, in their own words, typed by the teaching assistant)",
    "\"I find it hard when the classroom is noisy. I like it when I know what is happening next. My visual timetable helps me.\"",
    "\"When I grow up I want to drive trains or work with animals. I want to have friends to play with at lunchtime.\"",
    "Parents' views (written by mum and dad): We are proud of how hard {child} tries. We want {child} to be happy at school, to have friends and to become as independent as possible. We worry about the move to secondary school.",
    "What people like and admire about {child}: kind, funny, determined, brilliant at puzzles, always says good morning to the office staff.",
    "How best to support me: give me time to answer, use pictures with words, warn me before changes, let me have a movement break after lunch.",
]
VOICE_WEAK = [
    "{child} is a pupil at the school. {child} has difficulties with learning and behaviour.",
    "I like school sometimes.",
    "The child's views have not been obtained at this time as the child was unavailable.",
    "Parents want the best for {child}.",
]

NEEDS_STRONG = [
    "Communication and interaction: {child} has a diagnosis of autism (Community Paediatrician, 2025). {child} understands short instructions of two key words when supported by visuals but loses the thread in longer spoken instructions. This means {child} often appears not to listen in whole-class teaching.",
    "{child} uses sentences of four to six words and can talk at length about trains. {child} finds it hard to take turns in conversation and to understand jokes or sarcasm, which leads to falling out with peers at break times.",
    "Cognition and learning: standardised assessments in March 2026 place {child}'s reading at an age equivalent of 6 years 4 months and maths at 7 years 1 month (chronological age 9 years 2 months). {child} is working at Year 2 expectations in writing and finds it hard to hold information in working memory.",
    "Social, emotional and mental health: {child} becomes anxious when routines change, for example when there is a supply teacher. When anxious, {child} hides under the table or leaves the room. {child} has two friends and enjoys small group games with adult support.",
    "Sensory and/or physical: {child} is sensitive to noise and finds the dining hall overwhelming. The Occupational Therapist (report dated 14/01/2026) describes difficulties with fine motor control that make handwriting slow and tiring.",
]
NEEDS_WEAK = [
    "{child} has autism and ADHD.",
    "{child} has learning difficulties and is behind with reading and writing.",
    "{child} can display challenging behaviour.",
    "{child} has some sensory needs.",
]

HEALTH_NEEDS_STRONG = [
    "{child} has a diagnosis of autism spectrum condition made by the Community Paediatrician in 2025 and is under review by the paediatric team.",
    "{child} has mild asthma managed with an inhaler; the school nurse holds an individual healthcare plan. The Speech and Language Therapist (NHS, advice dated 02/02/2026) identifies a receptive language disorder.",
    "{child} has difficulty sleeping, which affects concentration in the morning. The paediatrician has prescribed melatonin and will review it every six months.",
]
HEALTH_NEEDS_WEAK = ["N/A", "See reports.", "None known."]
HEALTH_NEEDS_NONE = ["Advice from the Designated Clinical Officer (dated 20/02/2026) confirms that {child} has no health needs relating to their special educational needs. {child} is registered with a GP and attends routine checks."]

CARE_NEEDS_STRONG = [
    "The Children with Disabilities Team completed a social care assessment on 10/01/2026. {child}'s parents provide a high level of care at night and need regular breaks to sustain this.",
    "{child} needs support to take part in community activities with peers, because of anxiety in unfamiliar places and the need for close supervision near roads.",
]
CARE_NEEDS_WEAK = ["N/A", "Not applicable.", ""]
CARE_NEEDS_NONE = ["{child} is not known to children's social care. The social care adviser (response dated 05/02/2026) confirms there are no social care needs relating to {child}'s SEN or disability at present. The family were told how to ask for an assessment if this changes."]

OUTCOMES_STRONG = [
    "By the end of Key Stage 2, {child} will be able to read and understand a short text at Year 4 level, answering four out of five questions correctly, so that {child} can read the train timetables they love.",
    "By July 2027, {child} will be able to ask an adult for help using a help card or words in four out of five lessons, as recorded on the class tracking sheet.",
    "By the end of Year 5, {child} will be able to join a game with two peers at lunchtime for ten minutes with minimal adult prompting, three times a week.",
    "By the end of the next school year, {child} will be able to write three linked sentences independently using a writing frame.",
    "By July 2027, {child} will use a calming strategy chosen from their sensory menu to return to learning within five minutes on four out of five occasions.",
]
OUTCOMES_PFA = [
    "Preparing for adulthood (employment): by the end of Year 11, {child} will complete a one-week work experience placement with animals, with a job coach, arriving on time each day.",
    "Preparing for adulthood (independent living): by the end of Year 10, {child} will travel independently by bus from home to school on a familiar route.",
    "Preparing for adulthood (friends, relationships and community): by the end of Year 10, {child} will attend a weekly youth club with peers.",
    "Preparing for adulthood (good health): by the end of Year 11, {child} will book their own GP appointment with support.",
]
OUTCOMES_WEAK = [
    "{child} will make progress in literacy.",
    "To receive speech and language therapy.",
    "{child} will be happy at school.",
    "To access a small group intervention.",
    "{child} will improve behaviour.",
]

PROVISION_STRONG = [
    "Speech and language therapy: a direct programme delivered by a qualified Speech and Language Therapist for 30 minutes once a week in school, for the whole school year, with termly review of targets.",
    "A teaching assistant trained in autism awareness will support {child} in English and maths lessons for 15 hours per week, using visual timetables and now-and-next boards.",
    "Precision teaching of reading: 10 minutes daily, delivered one to one by a trained teaching assistant, with progress recorded weekly and reviewed by the SENCo every half term.",
    "Social skills group (Lego-based therapy) for 45 minutes twice a week, led by a teaching assistant supervised by the Specialist Teacher for autism, who visits once each half term.",
    "Occupational therapy advice: a daily 10-minute fine motor programme, with the OT visiting twice a term to review and update the programme.",
]
PROVISION_WEAK = [
    "{child} will have access to speech and language therapy as appropriate.",
    "Regular opportunities for small group work.",
    "Support from a teaching assistant as needed.",
    "Access to a quiet space if required.",
    "The school will provide interventions at its discretion.",
]

HEALTH_PROVISION_STRONG = [
    "Speech and Language Therapy (NHS): assessment and a block of six 45-minute sessions each term, with advice to school staff after each block.",
    "Community Paediatrician: review every six months of sleep and medication.",
    "School nurse: annual review of the individual healthcare plan for asthma, and training for staff each September.",
]
HEALTH_PROVISION_WEAK = ["Health will provide support as required.", "N/A"]

CARE_PROVISION_H1 = [
    "Short breaks: 6 hours per month at a specialist play scheme, provided under section 2 of the Chronically Sick and Disabled Persons Act 1970.",
    "Direct payment for a personal assistant: 4 hours per week to support community activities.",
]
CARE_PROVISION_H2 = [
    "Family support worker: fortnightly visits for six months to help with evening routines, reviewed by the social worker.",
]
CARE_PROVISION_NONE = ["There is no social care provision because there are no social care needs (see section D)."]
CARE_PROVISION_WEAK = ["N/A", "To be confirmed."]

PLACEMENT = [
    "[REDACTED] Primary School, a mainstream community primary school maintained by the local authority.",
    "[REDACTED] Academy, a mainstream secondary academy with a resourced provision for autism.",
    "[REDACTED] School, a maintained special school for pupils with complex learning needs.",
    "[REDACTED] College, a general further education college.",
    "[REDACTED] Nursery, a private, voluntary and independent early years setting.",
]
BUDGET_YES = ["A personal budget of [REDACTED] per year is agreed for the short breaks in section H1, paid as a direct payment to the parents, who manage it with support from the direct payments team."]
BUDGET_NO = ["The parents have not asked for a personal budget. They were told how to request one at the annual review."]

ADVICE_ROWS_STRONG = [
    ("Parental advice", "Parents", "06/01/2026"),
    ("Child's views", "[REDACTED] with SENCo", "08/01/2026"),
    ("Educational advice", "SENCo, [REDACTED] School", "12/01/2026"),
    ("Educational Psychology advice", "Educational Psychologist", "19/01/2026"),
    ("Speech and Language Therapy advice", "Speech and Language Therapist", "02/02/2026"),
    ("Occupational Therapy advice", "Occupational Therapist", "14/01/2026"),
    ("Health advice", "Community Paediatrician", "20/02/2026"),
    ("Social care advice", "Children with Disabilities Team", "10/01/2026"),
]
ADVICE_ROWS_WEAK = [
    ("School report", "School", "undated"),
    ("EP report", "EP", "2024"),
]

FILLER = [
    "Staff who know {child} well describe {child} as keen to please and quick to learn routines.",
    "At home, {child} likes to spend time with their older sibling and the family dog.",
    "This was discussed at the planning meeting attended by parents, the SENCo and the class teacher.",
    "Further detail is given in the reports listed in section K.",
    "Progress towards these will be reviewed at the annual review and at termly meetings with parents.",
]


def pick(rng: random.Random, pool: list[str], n: int, child: str) -> list[str]:
    """n paragraphs from a pool, in order, cycling if the pool is short."""
    start = rng.randrange(len(pool))
    out = [pool[(start + i) % len(pool)] for i in range(n)]
    return [p.format(child=child) for p in out]
