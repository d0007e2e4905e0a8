"""Build small fictional plan PDFs for tests (fpdf2, core fonts, ASCII only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

BODY = {
    "A": ["\"I like drawing and football. I want to be a vet.\" (the child's own words, recorded by the SENCo).",
          "Parents' views: we want our child to have friends and to feel safe at school."],
    "B": ["Communication and interaction: the child finds it hard to follow spoken instructions longer than three words.",
          "Cognition and learning: reading is at an age equivalent of seven years; working memory is a weakness."],
    "C": ["The community paediatrician (report dated March 2026) diagnosed developmental coordination disorder."],
    "D": ["The family receives support from the Children with Disabilities Team after an assessment in January."],
    "E": ["By July 2027 the child will read a short text and answer four of five questions correctly.",
          "By the end of Year 6 the child will join a playground game with two peers for ten minutes."],
    "F": ["Speech and language therapy for 30 minutes weekly from a qualified therapist.",
          "Precision teaching for 10 minutes daily with a trained teaching assistant."],
    "G": ["Occupational therapy: a block of six sessions each term from the NHS team."],
    "H1": ["Short breaks of six hours a month under section 2 of the 1970 Act."],
    "H2": ["A family support worker visits fortnightly for six months."],
    "I": ["[REDACTED] Primary School, a mainstream maintained primary school."],
    "J": ["No personal budget has been requested by the family."],
    "K": ["Educational psychology advice, dated 12 January 2026.", "Parental advice, dated 5 January 2026."],
}


@dataclass
class Block:
    code: str
    heading: str
    body: list[str] = field(default_factory=list)
    shaded: bool = False
    table_header: str | None = None

    def truth(self) -> str:
        return "\n".join(([self.table_header] if self.table_header else []) + self.body)


def make_plan(path: Path, blocks: list[Block], *, header: str | None = "OFFICIAL - SENSITIVE",
              footer: str | None = "Page {n} of {nb}", contents: bool = False, page_per_block: bool = False,
              cover: bool = True, extra_pages: int = 0, contents_numbers: bool = True) -> dict[str, str]:
    """Write a plan PDF; return the true body text of each section."""

    class Pdf(FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", "", 8)
                self.cell(0, 6, header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self):
            if footer:
                self.set_y(-15)
                self.set_font("Helvetica", "", 8)
                self.cell(0, 6, footer.format(n=self.page_no(), nb="{nb}"), align="C")

    pdf = Pdf()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=20)
    if cover:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 18)
        pdf.multi_cell(0, 10, "Education, Health and Care Plan", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, "Name: [REDACTED]   Date of birth: XX/XX/XXXX", new_x="LMARGIN", new_y="NEXT")
    if contents:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, "Contents", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for i, b in enumerate(blocks):
            entry = f"{b.heading[:60]} ......... {3 + i}" if contents_numbers else b.heading[:60]
            pdf.cell(0, 6, entry, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for b in blocks:
        if page_per_block:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        if b.shaded:
            pdf.set_fill_color(220, 220, 220)
            pdf.multi_cell(0, 7, b.heading, fill=True, border=1, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 7, b.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        if b.table_header:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 5, b.table_header, border=1, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
        for para in b.body:
            pdf.multi_cell(0, 5, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    filler: list[str] = []
    for _ in range(extra_pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 10)
        if not filler:  # wrapped once: laying out the same paragraph 300 times is most of a big plan's cost
            filler = pdf.multi_cell(0, 5, " ".join(BODY["F"] * 12), dry_run=True, output=MethodReturnValue.LINES)
        for line in filler:
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    truth: dict[str, str] = {}
    for b in blocks:
        truth[b.code] = (truth[b.code] + "\n" if b.code in truth else "") + b.truth()
    return truth


def blocks_for(headings: dict[str, str], order: list[str] | None = None, **kw) -> list[Block]:
    """One block per code with the standard fictional body text."""
    order = order or list(headings)
    return [Block(code if code not in ("H",) else "H1", headings[code],
                  BODY[code] if code != "H" else BODY["H1"] + BODY["H2"], **kw) for code in order]
