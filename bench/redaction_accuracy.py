"""How well the redaction check finds personal data, and how often it cries wolf.

Every line below is invented for this benchmark: NHS numbers are in the 999
test range with their check digits worked out, phone numbers are Ofcom's
drama numbers, emails use example domains. Each case is written alone into a small
PDF (a paragraph, lines of their own, or a table) and read back as `inspect`
reads it, then scanned page by page.

    python bench/redaction_accuracy.py            # through PDFs, as inspect does
    python bench/redaction_accuracy.py --text     # straight on the text (fast)
    python bench/redaction_accuracy.py --misses   # also list what was missed or wrongly flagged
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fpdf import FPDF

from ehcaudit.ingest.read_plan import analyse_pdf
from ehcaudit.ingest.redaction import KINDS, scan_pages

# A case: (kind or None for benign, layout, text). Layouts: "line" one paragraph; "lines" one paragraph
# per "\n"; "table" rows per "\n" and cells per " | ".
NHS = [
    ("line", "NHS number: 999 473 8739"),
    ("line", "NHS No. 999 6502 635"),
    ("line", "NHS no: 999.507.8686"),
    ("line", "NHS Number 9990202435"),
    ("line", "nhs number - 999-992-0918"),
    ("line", "Child's NHS number is 999 638 5167 (from the GP letter)."),
    ("line", "NHS number: 999 577 4637"),  # check digit fails: the label decides
    ("line", "NHS no. 999 0643 304"),  # check digit fails
    ("line", "NHS#: 9994529403"),  # check digit fails
    ("line", "The health visitor quoted 999 553 3626 as the NHS reference."),
    ("line", "Health number 999 541 7413 recorded on the referral."),
    ("line", "9990098093"),
    ("line", "Registered with the practice under 999 329 9367 since birth."),
    ("line", "999 9253 415"),
    ("line", "Checked against the GP record: 999.937.3348"),
    ("lines", "NHS number\n999 769 6182"),
    ("lines", "NHS No.\n9999402907"),  # check digit fails, label in the cell above
    ("table", "NHS number | 999 739 1802"),
    ("table", "NHS No | 9997943454"),  # check digit fails
    ("table", "Name | NHS number | School\n[REDACTED] | 999 170 5430 | [REDACTED]"),
    ("table", "Name | NHS number\n[REDACTED] | 999 615 7682"),  # check digit fails
    ("lines", "Name\nNHS number\nPostcode\n[REDACTED]\n999 330 5340\n[REDACTED]"),
    ("line", "NHS / CHI number: 999 895 2859"),
    ("line", "Her NHS number, 999 528 0957, was on the discharge summary."),
    ("line", "nhs no 999 043 8463"),
    ('line', 'Patient NHS Number : 999 299 3619'),
    ('line', 'NHS no:9990895422'),
    ('line', 'NHS number 999-278-0959 (verified with GP)'),
    ('line', 'NHS Number: 123 456 7890'),
    ('line', 'NHS number: 1234567890'),
    ('line', 'Their NHS no. is 999 6615 693.'),
    ('lines', 'NHS Number:\n999 670 1123'),
    ('table', "Child's name | [REDACTED]\nNHS Number | 999 341 9974"),
    ('table', 'First name | Surname | NHS No.\n[REDACTED] | [REDACTED] | 999 0895 422'),
    ('line', 'GP: [REDACTED]; NHS number: 999.278.0959'),
    ('line', '999 341 9974'),
]
POSTCODE = [
    ("line", "Home address: 14 Larch Close, Anytown, LS6 2QT"),
    ("line", "Postcode: ls6 2qt"),
    ("line", "postcode m14 5rg"),
    ("line", "The family moved to BD7 1DP in the spring."),
    ("line", "Lives at 3 Mill Lane, Sometown, s11 8yz"),
    ("line", "Address: Flat 2, 9 Quay Street, Bristol BS1 4HQ"),
    ("line", "SW1A 1AA"),
    ("line", "ec1v 9hx"),
    ("line", "W1D3QF"),
    ("line", "wc2n5du"),
    ("line", "Post code: NE1 7RU."),
    ("line", "Contact address: 27 Orchard Row, CF10 1EP"),
    ("line", "Mum's flat is in the B15 2TT area (ground floor)."),
    ("line", "Transport collects from HX1 2NF each morning."),
    ("lines", "Postcode\nyo1 7hh"),
    ("lines", "Postcode:\nG12 8QQ"),
    ("table", "Postcode | cb2 1tn"),
    ("table", "Address | 8 Elm Road, Little Town | OX1 3BG"),
    ("table", "Name | Postcode\n[REDACTED] | nn1 5pe"),
    ("lines", "Name\nAddress\nPostcode\n[REDACTED]\n[REDACTED]\nL18 9SA"),
    ("line", "Address (home): 41 Church Street, Kirkby, dn22 7xb"),
    ("line", "Previous address: 6 Hill View, EH3 9DR"),
    ("line", "post code - TR18 4AB"),
    ('line', 'Address: 1 Any Street, Anytown AN1 1AA'),
    ('line', 'AN11AA'),
    ('line', 'm1 1ae'),
    ('line', 'Post Code: B33 8TH'),
    ('line', 'CR0 2YR'),
    ('line', 'dn55 1pt'),
    ('table', 'Postcode | w1a 0ax'),
    ('lines', 'Home address\n12 The Green\nSometown\nST4 7QB'),
    ('line', 'lives in the EC1A 1BB area'),
    ('line', 'Family address: 3 Vale Rd, sk8 4ba.'),
    ('line', 'postcode:le11 3tu'),
    ('line', 'Ls6 2Qt'),
]
DOB = [
    ("line", "DOB 12.03.15"),
    ("line", "DoB: 04/11/16"),
    ("line", "D.O.B. 2016-07-21"),
    ("line", "Date of birth: March 9, 2015"),
    ("line", "Date of Birth 18-Sep-2014"),
    ("line", "Date of birth: 3rd February 2017"),
    ("line", "DOB: 7 Aug 2013"),
    ("line", "Date of birth - 23/06/2012"),
    ("line", "dob 1/5/2018"),
    ("line", "Born on 14 October 2015 at the maternity unit."),
    ("line", "Sam was born on the 2nd of May 2016 and is the youngest of three."),
    ("line", "Born: 30.01.2014"),
    ("line", "D.O.B: 11th Jan 2015"),
    ("line", "Birth date: 2014/12/05"),
    ("line", "Date of birth: Nov 27th, 2013"),
    ("line", "Name: [REDACTED]   DOB: 09-04-2016   Age: 9"),
    ("line", "Age 10 (DoB 16.08.15)"),
    ("line", "She was born 5th June 2012, at 34 weeks."),
    ("lines", "Date of birth\n21/02/2015"),
    ("lines", "DOB:\n06.06.16"),
    ("lines", "Sam was born on\n19 July 2016 at home."),
    ("table", "Date of birth | 25 December 2013"),
    ("table", "DoB | 2017-01-30"),
    ("table", "Name | Date of birth | Year group\n[REDACTED] | 14/09/2014 | Year 6"),
    ("table", "Name | DOB | Date of plan\n[REDACTED] | 03/03/2016 | 12/01/2026"),
    ("lines", "Name\nDate of birth\nSchool\n[REDACTED]\n8 April 2015\n[REDACTED]"),
    ("line", "Date of birth: 1st March, 2016"),
    ('line', 'Date of Birth: 01/09/2014'),
    ('line', 'DOB: 1.9.14'),
    ('line', 'date of birth 2014-09-01'),
    ('line', 'DOB - September 1, 2014'),
    ('line', 'DoB 01-Sep-14'),
    ('line', 'D.O.B 1st Sept 2014'),
    ('line', 'd.o.b. 01/09/2014'),
    ('line', 'Child was born on 01/09/2014'),
    ('line', 'born 1 September 2014'),
    ('line', 'Date of birth (dd/mm/yyyy): 01/09/2014'),
    ('line', 'Date of birth and age: 01.09.2014 (11 years)'),
    ('table', 'Date of Birth | 01/09/2014 | Age | 11'),
    ('table', 'Name | DOB | Age\n[REDACTED] | 01.09.14 | 11'),
    ('lines', 'DOB\n01 Sep 2014'),
    ('line', 'DOB: Monday 1st September 2014'),
    ('line', 'They were born on the 1st of September, 2014.'),
    ('line', 'Born:1/9/2014'),
    ('line', 'DOB: 01/09/2014 Age: 11 Year group: 6'),
    ('line', 'Date of birth: 09/01/2014'),
    ('line', 'DOB:01.09.2014'),
    ('line', 'DATE OF BIRTH: 1 SEPTEMBER 2014'),
]
EMAIL = [
    ("line", "Email: parent.name@example.com"),
    ("line", "Contact mum on kim.sample77@example.co.uk"),
    ("line", "jane dot smith at example dot com"),
    ("line", "alex.sample [at] example [dot] org"),
    ("line", "Email: sam_parent(at)example.net"),
    ("line", "Write to j.doe at example.org.uk for the minutes."),
    ("line", "SENCo: a.teacher@example.sch.uk"),
    ("line", "e-mail - chris dot example at example dot co dot uk"),
    ("line", "Dad's email is dad.example AT example DOT com"),
    ("line", "parent1 {at} example {dot} com"),
    ("line", "SAM.PARENT@EXAMPLE.ORG"),
    ("line", "Contact: family.name@example.nhs.uk (health visitor)"),
    ("line", "casey.example @ example.com"),
    ("line", "Email address: someone [@] example [.] com"),
    ("lines", "Email\nlee.example@example.com"),
    ("table", "Email | pat.example@example.org"),
    ("table", "Name | Email\n[REDACTED] | robin dot example at example dot com"),
    ("line", "mum: jo.sample(at)example(dot)co(dot)uk"),
    ("line", "the social worker (t.worker@example.gov.uk) will attend"),
    ("line", "Email: example_family at example dot net"),
    ("line", "Please copy in d.sample[at]example.com."),
    ('line', 'E-mail: pat@example.com'),
    ('line', 'pat.example at example dot org dot uk'),
    ('line', 'pat(dot)example(at)example(dot)com'),
    ('line', 'pat.example at example.com'),
    ('line', 'contact pat at example dot com'),
    ('line', 'pat AT example DOT org'),
    ('line', 'email: p.example[at]example[dot]net'),
    ('line', 'pat.example@example.co.uk.'),
    ('table', 'Email address | pat_ex@example.org'),
]
PHONE = [
    ("line", "Tel: (020) 7946 0958"),
    ("line", "(01632) 960961"),
    ("line", "Mobile 07700 900123"),
    ("line", "Mum's mobile: 07700900456"),
    ("line", "0044 7700 900789"),
    ("line", "+44 (0)20 7946 0123"),
    ("line", "+44 7700 900321"),
    ("line", "+447700900654"),
    ("line", "Home phone 0113 496 0765"),
    ("line", "Call dad on 0161-496-0234 after 5pm."),
    ("line", "Telephone: (0117) 496 0873"),
    ("line", "school office 0121 496 0555"),
    ("line", "T: 029 2018 0447"),
    ("line", "M: 07700 900 987"),
    ("line", "0044 (0) 1632 960 120"),
    ("line", "Landline (0191) 498 0321"),
    ("line", "Grandparents can be reached on 020 7946 0333."),
    ("lines", "Telephone\n07700 900246"),
    ("table", "Phone | 0114 496 0182"),
    ("table", "Name | Mobile\n[REDACTED] | 07700 900135"),
    ("line", "mob. 077009 00468"),
    ("line", "Contact number: 0300 555 0199"),
    ("line", "tel 01632-960-345"),
    ('line', 'Tel: 0113 496 0000'),
    ('line', 'Tel. 01134960000'),
    ('line', '(0113) 4960000'),
    ('line', '+44 113 496 0000'),
    ('line', '00 44 113 496 0000'),
    ('line', '+44(0)7700 900 001'),
    ('line', '07700 900 001'),
    ('line', 'Mum - 07700900001'),
    ('line', 'Home number: 0191 498 0111'),
    ('line', 'Phone: 028 9649 6000'),
    ('line', '0117 496 0999 (home)'),
    ('line', 'dad 07700-900001, mum 07700-900002'),
    ('table', 'Telephone | (0161) 496 0444'),
    ('line', 'Tel: +44 20 7946 0000'),
    ('line', 'Contact tel: 020 7946 0011 ext 4'),
]
BENIGN = [
    "Annual review meeting held on 12/03/2026 at 10am.",
    "Date of review: 14th March 2026",
    "Educational psychology advice dated 02.02.2026",
    "Parental advice received 2026-01-15.",
    "Meeting date | 21 January 2026",
    "Plan issued: 18-Feb-2026",
    "Next review due March 3, 2026",
    "Year 6",
    "She is in Year 10 and will sit GCSEs in 2027.",
    "Y6 2nd half of the autumn term",
    "1:1 support for 25 hours per week",
    "2 hours per week of small-group literacy (ratio 1:4)",
    "Speech and language therapy: 6 x 45 minute sessions per term",
    "Standard score 85 (16th centile); age equivalent 7 years 6 months",
    "WISC-V FSIQ 92, verbal comprehension 104",
    "Reading age 8:4 at chronological age 10:1",
    "Funding band C3 (£6,000 top-up)",
    "Element 3 funding: band 4, £8,250 per year",
    "UPN: A123456789012",
    "ULN 9198381202",
    "Case ref 9780487921",
    "Invoice no. 9655745937 for the tuition.",
    "Case number: CASE-2024-003187",
    "Our ref: EHC/2026/0412",
    "Section F, outcome E3",
    "Outcome E1 2nd term target",
    "See B2 and F2.1 for the communication needs.",
    "SEN2 return 2026",
    "SEN2",
    "He likes the song born to be wild",
    "She was born prematurely at 29 weeks.",
    "Dad was born in Poland and speaks Polish at home.",
    "Date of birth: [REDACTED]",
    "DOB: XX/XX/XXXX",
    "D.O.B. **/**/****",
    "Name: Child A",
    "[REDACTED]",
    "XXXXX",
    "Address: [REDACTED], Postcode: [REDACTED]",
    "Phone: [REDACTED]   Email: [REDACTED]",
    "NHS number: [REDACTED]",
    "NHS number: not known",
    "The NHS team will provide 6 sessions from 2026.",
    "Occupational therapy, 3 x 30 minutes weekly, from September 2026",
    "Provision from 01/09/2026 to 31/07/2027",
    "Time: 09:15 - 10:30, room 2",
    "Reviewed by the SENCo on 5 January 2026.",
    "Key Stage 2 SATs: reading 98, maths 101",
    "Attendance 91.5% (autumn term 2025)",
    "Personal budget: £1,200 per annum",
    "Band 2 3rd tier support",
    "PE2 1pm on Tuesdays",
    "ks2 3rd year of the programme",
    "Child A lives with both parents and a younger sibling.",
    "Her brother, born 2018, attends the same school.",
    "Date of plan: 12/01/2026 Date of birth: [REDACTED]",
    "Name | DOB | Review date\n[REDACTED] | [REDACTED] | 14/07/2026",
    "Date of birth\n[REDACTED]\nDate of review\n14/07/2026",
    "Contact: SEND team, via the council website",
    "Hours: 32.5 per week, term time only (39 weeks)",
    "Score 12/20 on the phonics check",
    "Targets 3/4 met; 1 partly met",
    "Scale point 4.5.6 in the old framework",
    "Ages 0-25",
    "Budget code 4010 2321 37",
    "Order number 4413 784 138",
    "Tel: [REDACTED]",
    "Advice requested 2026-02-01, returned 2026-02-27",
    "email the coordinator through the portal",
    "She looks at bbc.co.uk for the news.",
    "Meet at school dot time",
    "Review at 10am on 12.03.2026 in room B12",
    "Unit B12 3rd floor, council offices",
    "Boxall profile 23/34 on developmental strands",
    "Birthday treats are allowed in class.",
    "Reference 3558795482 on the tribunal bundle",
    "Born: XX.XX.XXXX",
    "URN 7838776082",
    "Year group: Year 9 (born in the 2011/12 academic year)",
    "The family's phone number is known to the school.",
    'Review date: 01/09/2026',
    'EHC plan issued 1 September 2026',
    'Draft plan sent 2026-09-01',
    'Amended 01.09.26 following the review',
    'The annual review took place on Monday 1st September 2025.',
    'Year 7 from September 2026',
    'Key Stage 3',
    'Nursery (age 3-4)',
    'Reception class',
    '15 hours per week of 1:1 support',
    'Ratio 1:2 at lunch',
    '30 minutes x 3 per week',
    '2x weekly, 20 mins',
    'Standardised score: 69 (2nd percentile)',
    'Verbal IQ 81; nonverbal 95',
    'Age: 11 years 4 months',
    'Chronological age 9.6, reading age 6.11',
    'Funding band 3 (£9,100)',
    'High needs band HN4',
    'Element 2 £6,000, Element 3 £4,250',
    'UPN K820311004019',
    'ULN: 1401661246',
    'Unique learner number 4413784138',
    'Case number 6840629724',
    'Invoice 2026-0193',
    'Our reference SEN/2026/0441',
    'Local authority ref 9198381202',
    'Section E outcome 3.1',
    'Outcome B2.4 (cognition and learning)',
    'F1, F2 and F3',
    'SEN2 code K',
    'SEN2 2026 return',
    'born to be wild',
    'Born to Be Wild was her favourite song at the disco.',
    'He was born early and needed oxygen.',
    '[REDACTED] was born in [REDACTED].',
    'Date of birth: [REDACTED]',
    'DOB: XX.XX.XX',
    'D.O.B. [REDACTED]',
    'Name: XXXXX',
    'Child A',
    "Child B's sister",
    'Pupil X',
    'Address: [REDACTED]',
    'Postcode: [REDACTED]',
    'NHS No: [REDACTED]',
    'Tel: XXXXX XXXXXX',
    'Email: [REDACTED]@[REDACTED]',
    'The school will ring home if needed.',
    'Phone calls home weekly',
    'Text messages to parents every Friday',
    'Call time 3pm',
    'Ring the bell at 08:50.',
    'Meetings at 9:30am and 2:15pm',
    'Session 1 of 12',
    'Room B2 2nd floor',
    'Group 3a 1st lesson',
    'Outcomes E1-E6',
    'Level 2 3rd attempt',
    'Target 10/10',
    'Scored 4/5, 3/5 and 5/5',
    'In 2024/25 and 2025/26',
    'Total hours 1,140 per year',
    'Term dates 2026-27',
    'Advice received 01/09/2025 and 15/09/2025',
    'EP report dated 12.10.25',
    'OT assessment 3-Oct-2025',
    'SALT advice September 15, 2025',
    'Paediatric letter 2025-10-03',
    'Consultation with parents 01 Sept 2025',
    'The NHS number is recorded on the health record.',
    'NHS numbers are held by the GP.',
    'Email the plan to the coordinator.',
    'She emails her tutor at home.',
    'Speak to the SENCo at school.',
    'We met at the library.',
    'Attend at 9.00 am',
    'Budget 2025-2026: £12,400',
    'DOB and address have been redacted.',
    'Born in the UK',
    'born prematurely (28 weeks)',
    'Year 9 (born 2011)',
    'Siblings: two, born 2016 and 2019',
    'Cohort born 1 Sept 2013 - 31 Aug 2014',
    'Contact: [REDACTED] on [REDACTED]',
    'Mobile: ***** ******',
    'Phone: 0XXXX XXXXXX',
    '07/10/2025 review',
    '0-25 service',
    '00:30 hours',
    'Code 04 0012 3456',
    'Ref 0161 496 0000',
]


def cases() -> list[tuple[str | None, str, str]]:
    out: list[tuple[str | None, str, str]] = []
    for kind, rows in (("nhs_number", NHS), ("postcode", POSTCODE), ("date_of_birth", DOB), ("email", EMAIL), ("phone", PHONE)):
        out += [(kind, layout, text) for layout, text in rows]
    for text in BENIGN:
        out.append((None, "table" if " | " in text else ("lines" if "\n" in text else "line"), text))
    return out


def write_pdf(path: Path, layout: str, text: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    if layout == "table":
        with pdf.table() as table:
            for row in text.split("\n"):
                cells = table.row()
                for cell in row.split(" | "):
                    cells.cell(cell)
    else:
        for para in text.split("\n") if layout == "lines" else [text]:
            pdf.multi_cell(0, 5, para, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def page_texts(layout: str, text: str, workdir: Path, n: int, via_pdf: bool) -> list[str]:
    if not via_pdf:
        return [text.replace(" | ", " ")]
    path = workdir / f"case-{n:03d}.pdf"
    write_pdf(path, layout, text)
    return analyse_pdf(path).pages


def main(argv: list[str]) -> int:
    via_pdf = "--text" not in argv
    show = "--misses" in argv
    found: dict[str, int] = {k: 0 for k in KINDS}
    total: dict[str, int] = {k: 0 for k in KINDS}
    false_alarms: dict[str, int] = {k: 0 for k in KINDS}
    benign = flagged = 0
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (kind, layout, text) in enumerate(cases()):
            findings = scan_pages(page_texts(layout, text, Path(tmp), n, via_pdf))
            kinds = {f.kind for f in findings}
            if kind is None:
                benign += 1
                flagged += bool(kinds)
                for k in kinds:
                    false_alarms[k] += 1
                if kinds and show:
                    notes.append(f"FALSE ALARM {sorted(kinds)}: {text!r}")
                continue
            total[kind] += 1
            if kinds:  # any finding flags the plan; the kind named is reported below
                found[kind] += 1
                if kind not in kinds and show:
                    notes.append(f"found as {sorted(kinds)} not {kind}: {text!r}")
            elif show:
                notes.append(f"MISSED {kind}: {text!r}")
    print(f"{'kind':<16}{'found':>7}{'of':>5}{'recall':>9}{'false alarms':>14}")
    for k, name in KINDS.items():
        recall = found[k] / total[k] if total[k] else 1.0
        print(f"{name:<16}{found[k]:>7}{total[k]:>5}{recall:>9.2f}{false_alarms[k]:>14}")
    all_found, all_total = sum(found.values()), sum(total.values())
    print(f"{'all':<16}{all_found:>7}{all_total:>5}{all_found / all_total:>9.2f}{flagged:>14}"
          f"   (benign lines: {benign}{', via PDF' if via_pdf else ', on text'})")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
