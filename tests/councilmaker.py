"""Fictional plans laid out the way council templates do (fpdf2, core fonts, ASCII only).

Each layout feature is a switch, so a test can build one class of template and the accuracy
benchmark can mix them at random: long statutory headings wrapped over lines, the letter in
brackets after a short title, the letter on one line and a person-centred title on the next,
headings known only by print (sentence or lower case), needs/outcomes/provision tables per area
of need, running headers naming the section, "Page n of m" footers, a cover, a contents page
with dotted leaders, a key to the sections, a sign-off page, two-column pages, a watermark,
sub-parts (A1-A4, C1), any order, and short "none" lines repeated section after section.
The wordings are this project's own; none is copied from any yardstick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

ORDER = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]

# Long headings in the style of the regulations (wrapped over two or three lines when printed).
LONG = {
    "A": "The views, interests and aspirations of the child and their parents, or of the young person, as told to the local authority",
    "B": "The special educational needs of the child or young person, described in each of the four broad areas of need",
    "C": "The health needs of the child or young person which are related to their special educational needs or disability",
    "D": "The social care needs of the child or young person which are related to their special educational needs or to a disability",
    "E": "The outcomes sought for the child or young person, including outcomes for adult life and steps towards them",
    "F": "The special educational provision required by the child or young person to meet each of the needs described above",
    "G": "Any health provision reasonably required by the learning difficulties or disabilities which result in the child or young person having SEN",
    "H1": "Any social care provision which must be made for the child or young person under section 2 of the Chronically Sick and Disabled Persons Act 1970",
    "H2": "Any other social care provision reasonably required by the learning difficulties or disabilities which result in the child having SEN",
    "I": "The name and type of the school, post-16 institution or other setting the child or young person will attend",
    "J": "Where there is a personal budget, how the personal budget will support particular outcomes and any direct payments",
    "K": "The advice and information gathered during the education, health and care needs assessment, listed with dates",
}
SHORT = {
    "A": "About me", "B": "Special educational needs", "C": "Health needs", "D": "Social care needs", "E": "Outcomes",
    "F": "Special educational provision", "G": "Health provision", "H1": "Social care provision (CSDPA)",
    "H2": "Other social care provision", "I": "Placement", "J": "Personal budget", "K": "Advice and information",
}
PERSON_CENTRED = {
    "A": ["About me and my family", "My story, my views and my hopes", "What matters to me"],
    "B": ["My learning needs", "What I find hard with my learning", "Things I need help with at school"],
    "C": ["My health needs", "Health needs linked to my learning", "Looking after my health"],
    "D": ["My care needs", "Care and support needs at home", "My family and care needs"],
    "E": ["What I want to achieve", "My goals for the next two years", "Outcomes for me"],
    "F": ["The support I will get with my learning", "Help at school with my learning", "How school will help me learn"],
    "G": ["The help I will get with my health", "Health support for me", "Help from health services"],
    "H1": ["Help with my care under the 1970 Act", "Care support from the council (CSDPA section 2)"],
    "H2": ["Other help with my care", "Any other care support I will get"],
    "I": ["Where I will go to school", "My school or college", "The setting I will attend"],
    "J": ["My personal budget", "Money for my support (personal budget)"],
    "K": ["The reports used to write my plan", "Who gave advice for this plan", "Information and advice used for my plan"],
}
BODY = {
    "A": ["I am nine and I love building things out of cardboard boxes.",
          "My dad says I am a patient big brother and I help at home.",
          "I would like to be an engineer or to work with animals when I am older."],
    "B": ["Reading is about two years behind others in the class and spelling is harder still.",
          "Working memory is a weakness, so long instructions are lost after the first step."],
    "C": ["A diagnosis of epilepsy was made in 2024; seizures are controlled by medication.",
          "Vision is corrected with glasses, checked by the eye clinic once a year."],
    "D": ["The family has a child in need plan following an assessment in the spring.",
          "Evenings are hard for mum, who cares for three children alone."],
    "E": ["By the end of Year 6 the child will read a page of a class book aloud with few errors.",
          "By July 2027 the child will use a checklist to finish a short task without an adult."],
    "F": ["Small group phonics for 20 minutes every day, taught by a trained assistant.",
          "A specialist teacher visits each half term to set targets and check progress."],
    "G": ["The epilepsy nurse will train school staff in the care plan once a year.",
          "Annual review of medication by the paediatric neurology clinic."],
    "H1": ["Four hours a week of support at home from a personal assistant under the 1970 Act."],
    "H2": ["A place at the Saturday youth club with a support worker, two sessions a month."],
    "I": ["Riverside Community Primary School, a mainstream school maintained by the council."],
    "J": ["The family will receive a direct payment to pay for the personal assistant."],
    "K": ["Advice from the educational psychologist, received 3 March 2026.",
          "Advice from the school SENCo, received 10 March 2026.",
          "Advice from the parents, received 1 March 2026."],
}
NONE_LINES = ["None identified.", "N/A", "Not applicable.", "No needs identified."]
AREAS = ["Communication and interaction", "Cognition and learning", "Social, emotional and mental health",
         "Sensory and physical"]


@dataclass
class Layout:
    headings: str = "statutory"  # statutory | bracketed | letter-then-title | person-centred | styled-lower | numbered
    order: list[str] = field(default_factory=lambda: list(ORDER))
    cover: bool = False
    contents: bool = False  # a contents page with dotted leaders and page numbers
    key_table: bool = False  # "How to read this plan": every section letter with its title
    sign_off: bool = False
    running_header: str | None = None  # "{section}" is replaced by the current section's heading
    footer: str | None = None  # "{n}" and "{nb}" are replaced by page numbers
    merged_table: bool = False  # B, E and F as one table per area of need, under section B
    merged_headings: bool = False  # ... or under one heading per area naming B, E and F, with no B/E/F headings
    area_column: bool = False  # the merged tables start with an "Area of need" column; letters after the titles
    two_columns: bool = False
    watermark: str | None = None
    sub_parts: bool = False  # A1..A4, C1/D1 sub-parts
    none_sections: tuple[str, ...] = ()  # sections that say only "None identified." (or similar)
    page_per_section: bool = False
    seed: int = 1


@dataclass
class Made:
    truth: dict[str, str]
    furniture: list[str]  # lines that belong to no section (headers, footers, contents, cover, sign-off)


def _heading(code: str, layout: Layout, n: int, rng: random.Random) -> tuple[str, str | None]:
    """(the heading as printed, a second line printed differently or None)."""
    kind = layout.headings
    if kind == "statutory":
        return f"Section {code}: {LONG[code]}", None
    if kind == "bracketed":
        return f"{n}. {rng.choice(PERSON_CENTRED[code])} (Section {code})", None
    if kind == "letter-then-title":
        return f"Section {code}", rng.choice(PERSON_CENTRED[code])
    if kind == "person-centred":
        return rng.choice(PERSON_CENTRED[code]), None
    if kind == "styled-lower":
        title = rng.choice(PERSON_CENTRED[code] + [SHORT[code]])
        return (title.lower() if rng.random() < 0.5 else title[0] + title[1:].lower()), None
    if kind == "numbered":
        return f"Part {n} - {SHORT[code]}", None
    raise ValueError(kind)


def make_council_plan(path: Path, layout: Layout) -> Made:
    """Write a plan PDF in the given layout; return each section's true text and the furniture lines."""
    rng = random.Random(layout.seed)
    state = {"section": ""}
    furniture: list[str] = []

    class Pdf(FPDF):
        def header(self):
            if layout.watermark:
                self.set_font("Helvetica", "B", 40)
                self.set_text_color(225, 225, 225)
                with self.rotation(45, x=self.w / 2, y=self.h / 2):
                    self.text(self.w / 2 - 40, self.h / 2, layout.watermark)
                self.set_text_color(0, 0, 0)
            if layout.running_header:
                self.set_font("Helvetica", "I", 8)
                self.set_y(8)
                text = layout.running_header.format(section=state["section"]).strip(" -")
                self.cell(0, 5, text, align="R", new_x="LMARGIN", new_y="NEXT")
                self.set_y(20)

        def footer(self):
            if layout.footer:
                self.set_y(-14)
                self.set_font("Helvetica", "", 8)
                self.cell(0, 5, layout.footer.format(n=self.page_no(), nb="{nb}"), align="C")

    pdf = Pdf()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_top_margin(20)
    truth: dict[str, str] = {}

    def add(code: str, text: str) -> None:
        key = "A" if code.startswith("A") else code
        truth[key] = (truth.get(key, "") + "\n" + text).strip()

    def body(text: str, size: int = 10) -> None:
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    if layout.merged_headings:
        layout.order = [c for c in layout.order if c not in ("E", "F")]
    headings = {code: _heading(code, layout, n, rng) for n, code in enumerate(layout.order, start=1)}
    if layout.cover:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 20)
        pdf.multi_cell(0, 10, "Education, Health and Care Plan", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for line in ("Name: [REDACTED]", "Date of birth: XX/XX/XXXX", "Date of this plan: 1 October 2026"):
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    if layout.contents:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 9, "Contents", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for k, code in enumerate(layout.order):
            first, second = headings[code]
            title = f"{first} {second}" if second else first
            pdf.cell(0, 6, f"{title[:70]} .......... {3 + k}", new_x="LMARGIN", new_y="NEXT")
    if layout.key_table:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 9, "How to read this plan", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(col_widths=(20, 170)) as table:
            for code in layout.order:
                row = table.row()
                row.cell(f"Section {code}")
                row.cell(SHORT[code] if code != "A" else "The views, interests and aspirations of the child and family")
    pdf.add_page()
    if layout.two_columns:
        _two_column_plan(pdf, layout, headings, add)
        pdf.output(str(path))
        return Made(truth, furniture)
    for n, code in enumerate(layout.order, start=1):
        first, second = headings[code]
        state["section"] = first if layout.headings != "letter-then-title" else f"{first} {second}"
        if layout.page_per_section and n > 1:
            pdf.add_page()
        heading_font = ("Helvetica", "B", 13)
        if layout.merged_headings and code == "B":
            _merged_tables(pdf, add, headed=True, area_column=layout.area_column)  # the tables' headings name B, E, F
            continue
        pdf.ln(2)
        if layout.headings == "styled-lower":
            pdf.set_font("Helvetica", "B", 14)
            pdf.set_text_color(30, 60, 140)
        else:
            pdf.set_font(*heading_font)
        pdf.multi_cell(0, 7, first, new_x="LMARGIN", new_y="NEXT")
        if second:
            pdf.set_font("Helvetica", "", 15)
            pdf.set_text_color(30, 60, 140)
            pdf.multi_cell(0, 8, second, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        if code in layout.none_sections:
            line = NONE_LINES[(n + layout.seed) % len(NONE_LINES)]
            body(line)
            add(code, line)
            continue
        if layout.merged_table and code == "B":
            _merged_tables(pdf, add, area_column=layout.area_column)
            continue
        if layout.merged_table and code in ("E", "F"):
            body(f"See the table under section B for the {'outcomes' if code == 'E' else 'provision'} for each area.")
            add(code, f"See the table under section B for the {'outcomes' if code == 'E' else 'provision'} for each area.")
            continue
        if layout.sub_parts and code == "A":
            for label, lines in [("A1 My story so far", BODY["A"][:1]), ("A2 My views", BODY["A"][1:2]),
                                                 ("A3 My interests", BODY["A"][2:]), ("A4 What my family says", ["Mum wants a calm start to each day."])]:
                pdf.set_font("Helvetica", "B", 11)
                pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
                furniture.append(label)  # a part's heading (under the section's own): no section's text
                for ln in lines:
                    body(ln)
                    add("A", ln)
            continue
        if layout.sub_parts and code in ("C", "D"):
            label = f"{code}1. {'Physical health' if code == 'C' else 'Family circumstances'}"
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
            add(code, label)
        for ln in BODY[code]:
            body(ln)
            add(code, ln)
    if layout.sign_off:
        pdf.add_page()
        state["section"] = ""
        for ln in ("Signed on behalf of the local authority", "Name: [REDACTED]", "Role: SEND case officer",
                   "Date: 1 October 2026"):
            body(ln)
            furniture.append(ln)
    pdf.output(str(path))
    return Made(truth, furniture)


def _merged_tables(pdf: FPDF, add, headed: bool = False, area_column: bool = False) -> None:
    """One table per area of need: needs | outcomes | provision, each column its section's.

    headed: each table under its own heading naming the three sections, columns without letters.
    """
    for k, area in enumerate(AREAS[:3]):
        if headed:
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, f"{'Sections ' if k % 2 == 0 else ''}B, E and F - {area}", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, area, new_x="LMARGIN", new_y="NEXT")
            add("B", area)
        pdf.set_font("Helvetica", "", 9)
        need = f"In {area.lower()}, the child {['struggles to follow group talk', 'reads well below age', 'finds change upsetting'][k]}."
        outcome = f"By July 2027 the child will {['take turns in a group of four', 'read a short book alone', 'join a new class calmly'][k]}."
        provision = f"{['Speech therapy group', 'Daily reading practice', 'A key adult check-in'][k]} for 20 minutes, {['weekly', 'daily', 'twice a day'][k]}, by trained staff."
        if area_column:
            header = ("Area of need", "Needs (B)", "Outcomes (E)", "Provision (F)")
            cells: tuple[str, ...] = (area, need, outcome, provision)
            add("B", area)
        else:
            header = ("Needs", "What we want to achieve", "Provision") if headed else ("B: Needs", "E: Outcomes", "F: Provision")
            cells = (need, outcome, provision)
        with pdf.table(col_widths=(30, 50, 50, 60) if area_column else (60, 60, 70), first_row_as_headings=True) as table:
            head = table.row()
            for cell in header:
                head.cell(cell)
            row = table.row()
            for cell in cells:
                row.cell(cell)
        add("B", need)
        add("E", outcome)
        add("F", provision)
        pdf.ln(3)


def _two_column_plan(pdf: FPDF, layout: Layout, headings, add) -> None:
    """Every section in two columns, flowing down the left column and on into the right, page after page."""
    width, gutter = (pdf.w - pdf.l_margin - pdf.r_margin - 8) / 2, 8
    column = 0
    pdf.set_auto_page_break(False)
    bottom = pdf.h - 25

    def place(text: str, style: str, size: int, height: float) -> None:
        nonlocal column
        pdf.set_font("Helvetica", style, size)
        lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
        if pdf.get_y() + height * len(lines) > bottom:
            column += 1
            if column == 2:
                pdf.add_page()
                column = 0
            pdf.set_y(25)
        pdf.set_x(pdf.l_margin + column * (width + gutter))
        pdf.multi_cell(width, height, text, new_x="LEFT", new_y="NEXT")

    for code in layout.order:
        first, second = headings[code]
        place(first + (f" {second}" if second else ""), "B", 12, 6)
        lines = [NONE_LINES[0]] if code in layout.none_sections else BODY[code] * 2
        for ln in lines:
            place(ln, "", 9, 4.5)
            add(code, ln)
    pdf.set_auto_page_break(True, margin=22)


def random_layout(rng: random.Random) -> Layout:
    """A template mixing the features at random (for the conservation test and the benchmark)."""
    order = list(ORDER)
    if rng.random() < 0.3:
        i, j = rng.sample(range(1, len(order)), 2)
        order[i], order[j] = order[j], order[i]
    two_columns = rng.random() < 0.15
    merged = not two_columns and rng.random() < 0.3
    return Layout(
        headings=rng.choice(["statutory", "bracketed", "letter-then-title", "person-centred", "styled-lower", "numbered"]),
        order=order,
        cover=rng.random() < 0.5,
        contents=rng.random() < 0.4,
        key_table=rng.random() < 0.25,
        sign_off=rng.random() < 0.4,
        running_header=rng.choice([None, "OFFICIAL - SENSITIVE", "EHC plan - {section}", "[REDACTED] - final plan", "{section}"]),
        footer=rng.choice([None, "Page {n} of {nb}", "{n}/{nb}", "- {n} -", "{n}", "Northfield Council - Page {n}"]),
        merged_table=merged and rng.random() < 0.5,
        merged_headings=merged and rng.random() >= 0.5,
        area_column=merged and rng.random() < 0.5,
        two_columns=two_columns,
        watermark=rng.choice([None, None, None, "DRAFT"]),
        sub_parts=rng.random() < 0.25,
        none_sections=tuple(c for c in ("C", "D", "G", "H1", "H2", "J") if rng.random() < 0.5),
        page_per_section=rng.random() < 0.25,
        seed=rng.randrange(1000),
    )
