"""Build the fictional, redacted sample EHC plans in sample_plans/.

Four council template styles, a spread of quality, and a ground-truth file per
plan (tests/truth/NAME.json: the true text of each section) so that section
finding can be measured. Run:  python scripts/make_sample_plans.py
Needs fpdf2 (pip install '.[dev]').
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timezone
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

sys.path.insert(0, str(Path(__file__).resolve().parent))
import plan_text as T  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class Block:
    """One section of a plan as written: its code, heading and body."""

    code: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[tuple[str, ...]] | None = None  # first row is the column header
    subheadings: list[tuple[str, list[str]]] = field(default_factory=list)

    def body_text(self) -> str:
        parts = list(self.paragraphs)
        for _, paras in self.subheadings:
            parts.extend(paras)
        if self.table:
            for row in self.table:
                parts.append(" ".join(row))
        return "\n".join(parts)


@dataclass
class Quality:
    voice: bool = True
    health: bool = True  # health and care described from advice
    outcomes: bool = True
    provision: bool = True
    has_health_needs: bool = True
    has_care_needs: bool = True
    pfa: bool = False
    budget: bool = False
    missing: tuple[str, ...] = ()


STYLES = {
    "northshire": {
        "A": "Section A: The views, interests and aspirations of the child and their parents, or of the young person",
        "A1": "A1: My history",
        "A2": "A2: My views, interests and aspirations",
        "B": "Section B: The child or young person's special educational needs",
        "C": "Section C: The child or young person's health needs which relate to their SEN",
        "D": "Section D: The child or young person's social care needs which relate to their SEN or to a disability",
        "E": "Section E: The outcomes sought for the child or the young person",
        "F": "Section F: The special educational provision required by the child or the young person",
        "G": "Section G: Any health provision reasonably required by the learning difficulties or disabilities which result in the child or young person having SEN",
        "H1": "Section H1: Any social care provision which must be made under section 2 of the Chronically Sick and Disabled Persons Act 1970",
        "H2": "Section H2: Any other social care provision reasonably required by the learning difficulties or disabilities",
        "I": "Section I: The name and type of the school or other institution",
        "J": "Section J: Personal Budget (including arrangements for direct payments)",
        "K": "Section K: Advice and information",
        "order": ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"],
    },
    "southborough": {
        "A": "Section A – All about me",
        "B": "Section B – My special educational needs",
        "C": "Section C – My health needs",
        "D": "Section D – My social care needs",
        "E": "Section E – My outcomes",
        "F": "Section F – Special educational provision",
        "G": "Section G – Health provision",
        "H": "Section H – Social care provision",
        "I": "Section I – My school or setting",
        "J": "Section J – Personal budget",
        "K": "Section K – Advice and information",
        "order": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"],
    },
    "eastwick": {
        "A": "PART 1 MY PROFILE",
        "B": "PART 2 SPECIAL EDUCATIONAL NEEDS",
        "E": "PART 3 OUTCOMES",
        "F": "PART 4 SPECIAL EDUCATIONAL PROVISION",
        "C": "PART 5 HELATH NEEDS",
        "G": "PART 6 HEALTH PROVISION",
        "D": "PART 7 SOCIAL CARE NEEDS",
        "H1": "PART 8 SOCIAL CARE PROVISION (CSDPA 1970 SECTION 2)",
        "H2": "PART 9 OTHER SOCIAL CARE PROVISION",
        "I": "PART 10 PLACEMENT",
        "J": "PART 11 PERSONAL BUDGET",
        "K": "PART 12 ADVICE AND INFORMATION",
        "order": ["A", "B", "E", "F", "C", "G", "D", "H1", "H2", "I", "J", "K"],
    },
    "westmere": {
        "A": "My One Page Profile",
        "B": "My Special Educational Needs",
        "C": "My Health Needs",
        "D": "My Social Care Needs",
        "E": "My Outcomes: what I want to achieve",
        "F": "Special Educational Provision to help me",
        "G": "Health Provision",
        "H": "Social Care Provision",
        "I": "My School or College",
        "J": "Personal Budjet",
        "K": "Advice and Information Recieved",
        "order": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"],
    },
}


def build_blocks(style: str, q: Quality, rng: random.Random) -> list[Block]:
    s = STYLES[style]
    child = rng.choice(T.CHILD)
    p = lambda pool, n: T.pick(rng, pool, n, child)  # noqa: E731
    blocks: dict[str, Block] = {}

    voice = p(T.VOICE_STRONG, 6) if q.voice else p(T.VOICE_WEAK, 2)
    if "A1" in s:
        history = p(T.FILLER, 3)
        blocks["A"] = Block("A", s["A"], [], subheadings=[(s["A1"], history), (s["A2"], voice)])
    else:
        blocks["A"] = Block("A", s["A"], voice + p(T.FILLER, 1))
    blocks["B"] = Block("B", s["B"], p(T.NEEDS_STRONG, 5) + p(T.FILLER, 2) if q.health or q.voice else p(T.NEEDS_WEAK, 3))
    if q.has_health_needs:
        c = p(T.HEALTH_NEEDS_STRONG, 3) if q.health else p(T.HEALTH_NEEDS_WEAK, 1)
        g = p(T.HEALTH_PROVISION_STRONG, 3) if q.health else p(T.HEALTH_PROVISION_WEAK, 1)
    else:
        c = p(T.HEALTH_NEEDS_NONE, 1) if q.health else p(T.HEALTH_NEEDS_WEAK, 1)
        g = ["There is no health provision because there are no health needs relating to SEN (see section C)."] if q.health else ["N/A"]
    blocks["C"] = Block("C", s["C"], c)
    blocks["G"] = Block("G", s["G"], g)
    if q.has_care_needs:
        d = p(T.CARE_NEEDS_STRONG, 2) if q.health else p(T.CARE_NEEDS_WEAK, 1)
        h1 = p(T.CARE_PROVISION_H1, 2) if q.health else p(T.CARE_PROVISION_WEAK, 1)
        h2 = p(T.CARE_PROVISION_H2, 1) if q.health else p(T.CARE_PROVISION_WEAK, 1)
    else:
        d = p(T.CARE_NEEDS_NONE, 1) if q.health else p(T.CARE_NEEDS_WEAK, 1)
        h1 = p(T.CARE_PROVISION_NONE, 1) if q.health else ["N/A"]
        h2 = ["None."]
    blocks["D"] = Block("D", s["D"], [x for x in d if x] or ["N/A"])
    if "H" in s:
        blocks["H"] = Block("H1", s["H"], h1 + h2)
    else:
        blocks["H1"] = Block("H1", s["H1"], h1)
        blocks["H2"] = Block("H2", s["H2"], h2)
    outcomes = p(T.OUTCOMES_STRONG, 5) if q.outcomes else p(T.OUTCOMES_WEAK, 4)
    if q.pfa:
        outcomes += p(T.OUTCOMES_PFA, 4) if q.outcomes else ["{} will be prepared for adulthood.".format(child)]
    blocks["E"] = Block("E", s["E"], outcomes)
    provision = p(T.PROVISION_STRONG, 5) if q.provision else p(T.PROVISION_WEAK, 4)
    if style in ("southborough", "westmere"):
        rows = [("Outcome", "Provision", "By whom", "How often")]
        for i, item in enumerate(provision):
            rows.append((f"E{i + 1}", item, "School" if i % 2 else "SENCo", "Weekly" if q.provision else "As needed"))
        blocks["F"] = Block("F", s["F"], p(T.FILLER, 1), table=rows)
    else:
        blocks["F"] = Block("F", s["F"], provision + p(T.FILLER, 1))
    blocks["I"] = Block("I", s["I"], [rng.choice(T.PLACEMENT)])
    blocks["J"] = Block("J", s["J"], T.BUDGET_YES if q.budget else T.BUDGET_NO)
    rows = T.ADVICE_ROWS_STRONG if (q.health and q.voice) else T.ADVICE_ROWS_WEAK + T.ADVICE_ROWS_STRONG[2:4]
    if style in ("northshire", "westmere"):
        blocks["K"] = Block("K", s["K"], ["The following advice and information was gathered during the assessment:"],
                            table=[("Advice", "Provided by", "Date")] + list(rows))
    else:
        blocks["K"] = Block("K", s["K"], [f"{a} from {b}, dated {c}." for a, b, c in rows])
    order = [code for code in s["order"] if code not in q.missing]
    return [blocks[code] for code in order]


class PlanPdf(FPDF):
    def __init__(self, style: str):
        super().__init__(format="A4")
        self.style_name = style
        self.set_auto_page_break(True, margin=22)
        self.set_margins(20, 20, 20)
        if (DEJAVU / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(DEJAVU / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
            self.font_name = "Body"
        else:  # pragma: no cover - only on machines without DejaVu
            self.font_name = "Helvetica"
        self.alias_nb_pages()

    def header(self):
        self.set_font(self.font_name, "", 8)
        text = {
            "northshire": "OFFICIAL – SENSITIVE",
            "southborough": "Southborough Council   Education, Health and Care Plan",
            "eastwick": "Eastwick Borough Council EHC Plan  OFFICIAL - SENSITIVE",
            "westmere": "OFFICIAL - SENSITIVE   Westmere EHCP",
        }[self.style_name]
        self.cell(0, 6, text, align="C")
        self.ln(10)

    def footer(self):
        self.set_y(-15)
        self.set_font(self.font_name, "", 8)
        text = {
            "northshire": f"Page {self.page_no()} of {{nb}}",
            "southborough": f"Southborough Council | Page {self.page_no()}",
            "eastwick": f"{self.page_no()}",
            "westmere": f"EHC plan for [REDACTED]  Page {self.page_no()} of {{nb}}",
        }[self.style_name]
        self.cell(0, 6, text, align="C")

    def body(self, text: str):
        self.set_font(self.font_name, "", 10)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str, level: int = 1):
        self.ln(2)
        if self.style_name == "southborough" and level == 1:
            # Headings in shaded table cells.
            self.set_font(self.font_name, "B", 12)
            self.set_fill_color(210, 225, 240)
            self.multi_cell(0, 8, text, fill=True, border=1, new_x="LMARGIN", new_y="NEXT")
        elif self.style_name == "eastwick" and level == 1:
            self.set_font(self.font_name, "B", 11)
            self.set_fill_color(230, 230, 230)
            self.multi_cell(0, 7, text, fill=True, new_x="LMARGIN", new_y="NEXT")
        else:
            self.set_font(self.font_name, "B", 14 if level == 1 else 11)
            self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def table_rows(self, rows):
        self.set_font(self.font_name, "", 9)
        with self.table(first_row_as_headings=True, line_height=5) as table:
            for row in rows:
                r = table.row()
                for cell in row:
                    r.cell(cell)
        self.ln(3)


def render(path: Path, style: str, blocks: list[Block], meta: dict, rng: random.Random) -> None:
    pdf = PlanPdf(style)
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=timezone.utc))  # same bytes on every rebuild
    pdf.add_page()
    pdf.set_font(pdf.font_name, "B", 20)
    pdf.multi_cell(0, 12, "Education, Health and Care Plan", new_x="LMARGIN", new_y="NEXT")
    pdf.body(
        f"Name: [REDACTED]\nDate of birth: XX/XX/XXXX\nPlan status: Final\n"
        f"Phase: {meta['phase']}\nThis plan was issued by the local authority under section 37 of the Children and Families Act 2014."
    )
    if style in ("northshire", "westmere"):
        pdf.add_page()
        pdf.set_font(pdf.font_name, "B", 14)
        pdf.cell(0, 8, "Contents")
        pdf.ln(10)
        pdf.set_font(pdf.font_name, "", 10)
        for i, b in enumerate(blocks):
            title = b.heading if len(b.heading) < 70 else b.heading[:67] + "..."
            pdf.cell(0, 6, f"{title} ........ {3 + i // 2}")
            pdf.ln(6)
    pdf.add_page()
    for b in blocks:
        if style == "eastwick" and rng.random() < 0.3:
            pdf.add_page()
        pdf.heading(b.heading)
        for para in b.paragraphs:
            pdf.body(para)
        for sub, paras in b.subheadings:
            pdf.heading(sub, level=2)
            for para in paras:
                pdf.body(para)
        if b.table:
            pdf.table_rows(b.table)
    pdf.output(str(path))


PLANS = [
    # name, style, quality, metadata
    ("plan-01", "northshire", Quality(), ("Primary", "Autism (ASD)", "Mainstream", "North")),
    ("plan-02", "northshire", Quality(voice=False), ("Primary", "Speech, language and communication (SLCN)", "Mainstream", "North")),
    ("plan-03", "northshire", Quality(health=False), ("Secondary", "Social, emotional and mental health (SEMH)", "Mainstream", "South")),
    ("plan-04", "southborough", Quality(pfa=True, budget=True), ("Secondary", "Autism (ASD)", "Resourced provision", "South")),
    ("plan-05", "southborough", Quality(outcomes=False, pfa=True), ("Secondary", "Moderate learning difficulty (MLD)", "Mainstream", "East")),
    ("plan-06", "southborough", Quality(provision=False), ("Primary", "Specific learning difficulty (SpLD)", "Mainstream", "East")),
    ("plan-07", "eastwick", Quality(budget=True), ("Primary", "Physical disability (PD)", "Special", "North")),
    ("plan-08", "eastwick", Quality(voice=False, outcomes=False), ("Secondary", "Social, emotional and mental health (SEMH)", "Special", "South")),
    ("plan-09", "eastwick", Quality(provision=False, missing=("J",)), ("Primary", "Autism (ASD)", "Mainstream", "East")),
    ("plan-10", "westmere", Quality(has_care_needs=False), ("Early years", "Speech, language and communication (SLCN)", "Early years setting", "North")),
    ("plan-11", "westmere", Quality(health=False, has_health_needs=False), ("Primary", "Hearing impairment (HI)", "Mainstream", "South")),
    ("plan-12", "westmere", Quality(outcomes=False, provision=False), ("Secondary", "Autism (ASD)", "Mainstream", "East")),
    ("plan-13", "northshire", Quality(pfa=True, has_health_needs=False), ("Post-16", "Moderate learning difficulty (MLD)", "FE college", "North")),
    ("plan-14", "southborough", Quality(voice=False, health=False, has_care_needs=False), ("Early years", "Speech, language and communication (SLCN)", "Early years setting", "South")),
]


def demo_scores(rubric_file: Path) -> list[list]:
    """Fictional audits of the sample plans by two reviewers, graded to match each plan's quality."""
    import tomllib

    rubric = tomllib.loads(rubric_file.read_text())
    rows = []
    for n, (name, _style, q, _meta) in enumerate(PLANS):
        strong = {
            "voice": q.voice, "needs": q.voice or q.health, "health-care": q.health,
            "outcomes": q.outcomes, "provision": q.provision, "golden-thread": q.outcomes and q.provision,
        }
        reviewers = ["R. Patel", "J. Okafor"] if n % 2 == 0 else ["R. Patel"]
        for r, reviewer in enumerate(reviewers):
            rng = random.Random(f"{name}-{reviewer}")
            for c in rubric["criteria"]:
                if c.get("allow_na") and c["id"] == "O3" and not q.pfa:
                    rows.append([name, reviewer, c["id"], "NA", "Below Year 9: not applicable yet.", "2026-11", "submitted"])
                    continue
                base = rng.choice([3, 4, 3]) if strong[c["area"]] else rng.choice([1, 2, 2])
                if r == 1 and rng.random() < 0.3:
                    base = max(1, min(4, base + rng.choice([-1, 1])))
                rows.append([name, reviewer, c["id"], base, "", "2026-11", "submitted"])
    return rows


def main() -> None:
    out = ROOT / "sample_plans"
    truth_dir = ROOT / "tests" / "truth"
    out.mkdir(exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "phase", "primary_need", "setting", "team"])
        for name, style, q, (phase, need, setting, team) in PLANS:
            rng = random.Random(name)
            meta = {"phase": phase}
            blocks = build_blocks(style, q, rng)
            render(out / f"{name}.pdf", style, blocks, meta, rng)
            truth = {b.code: b.body_text() for b in blocks}
            (truth_dir / f"{name}.json").write_text(json.dumps({"style": style, "sections": truth}, indent=1))
            writer.writerow([f"{name}.pdf", phase, need, setting, team])
            print(f"{name}.pdf  {style}")
    with open(out / "demo_scores.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["plan", "reviewer", "criterion", "score", "note", "cohort", "status"])
        writer.writerows(demo_scores(ROOT / "rubrics" / "ehcp-quality.toml"))


if __name__ == "__main__":
    main()
