"""How well section finding does on random layouts it was not written against.

Two families of generated plans:
- "short": random heading wordings, numbering, typing mistakes, shaded cells,
  contents pages, running headers and footers, orders and merged H headings;
- "long": longer bodies with bold sub-headings that read like other sections'
  titles ("My health" in a one-page profile, "Social care" under D), needs /
  outcomes / provision tables, letter-and-title table cells, A1/A2 splits;
- "council": templates mixed at random from tests/councilmaker.py (long wrapped
  statutory headings, letters in brackets, letter then title, person-centred and
  lower-case headings, B/E/F tables per area, two columns, running headers naming
  the section, page-number footers, cover, contents, key table, sign-off,
  watermark, sub-parts, "None identified." sections), reported per heading kind
  and per feature.
Reports the mean token F1 of each section's text against the truth, and a naive
"Section X" regex splitter on the same files for comparison.

Run by hand:  python bench/section_accuracy.py [--plans 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from f1 import mean_f1  # noqa: E402
from fpdf import FPDF  # noqa: E402
from councilmaker import make_council_plan, random_layout  # noqa: E402
from pdfmaker import BODY, Block, make_plan  # noqa: E402

from ehcaudit.ingest.read_plan import analyse_pdf  # noqa: E402
from ehcaudit.pdf import read_pdf  # noqa: E402

WORDINGS = {
    "A": ["The views, interests and aspirations of the child and their parents", "All about me", "My Profile", "About me",
          "Views, interests and aspirations of the young person", "My story and my views", "Child and family views"],
    "B": ["Special educational needs", "Education needs", "My special educational needs", "Description of SEN",
          "The child or young person's special educational needs"],
    "C": ["Health needs", "My health needs", "Health needs related to SEN", "Health care needs"],
    "D": ["Social care needs", "My social care needs", "Social care needs related to SEN or disability"],
    "E": ["Outcomes", "My outcomes", "Outcomes sought", "What I want to achieve", "The outcomes sought for the child or young person"],
    "F": ["Special educational provision", "Provision to meet my special educational needs", "SEN provision",
          "The special educational provision required"],
    "G": ["Health provision", "My health provision", "Health provision reasonably required"],
    "H1": ["Social care provision under section 2 of the CSDPA 1970", "Social care provision (CSDPA 1970 section 2)"],
    "H2": ["Other social care provision", "Any other social care provision reasonably required"],
    "H": ["Social care provision", "Social care provision (H1 and H2)"],
    "I": ["Placement", "Name and type of school", "My school or college", "Educational placement"],
    "J": ["Personal budget", "Personal budget and direct payments", "Direct payments"],
    "K": ["Advice and information", "Advice and information received", "List of advice", "Reports and advice"],
}
ORDER = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
# Lines inside sections that must not be taken for section headings.
SUBHEADINGS = ["Communication and interaction", "Cognition and learning", "Social, emotional and mental health",
               "Sensory and/or physical", "Preparing for adulthood", "Outcome", "Provision", "By whom", "Frequency",
               "Short term targets", "What people like and admire about me", "How best to support me"]


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 4:
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def random_plan(path: Path, rng: random.Random) -> dict[str, str]:
    numbering = rng.choice(["section", "part-letter", "number", "none", "section-dash"])
    merged_h = rng.random() < 0.3
    codes = [c for c in ORDER if not (merged_h and c in ("H1", "H2"))]
    if merged_h:
        codes.insert(codes.index("I"), "H")
    if rng.random() < 0.3:
        i, j = rng.sample(range(1, len(codes)), 2)
        codes[i], codes[j] = codes[j], codes[i]
    blocks = []
    for n, code in enumerate(codes, start=1):
        title = rng.choice(WORDINGS[code])
        if rng.random() < 0.15:
            title = typo(title, rng)
        letter = "H" if code == "H" else code
        heading = {
            "section": f"Section {letter}: {title}",
            "part-letter": f"PART {letter} {title.upper()}",
            "number": f"{n}. {title}",
            "none": title if len(title.split()) > 1 else f"My {title}",
            "section-dash": f"Section {letter} – {title}",
        }[numbering]
        body = list(BODY["H1"] + BODY["H2"] if code == "H" else BODY[code])
        if rng.random() < 0.4:
            body.insert(rng.randrange(len(body) + 1), rng.choice(SUBHEADINGS))
        blocks.append(Block("H1" if code == "H" else code, heading.replace("–", "-"), body, shaded=rng.random() < 0.3))
    return make_plan(path, blocks, contents=rng.random() < 0.5, contents_numbers=rng.random() < 0.6,
                     page_per_block=rng.random() < 0.3,
                     header=rng.choice([None, "OFFICIAL - SENSITIVE", "Northfield Council EHC Plan"]),
                     footer=rng.choice([None, "Page {n} of {nb}", "{n}", "EHCP [REDACTED] - Final - Page {n}"]))


# Sub-headings inside each section of a long plan, many of them close to other sections' titles.
SUBHEADINGS_IN = {
    "A": ["What people like and admire about me", "My health", "What is important to me now and in the future",
          "My family", "How best to communicate with me", "My school", "My history"],
    "B": ["Communication and interaction", "Cognition and learning", "Social, emotional and mental health",
          "Sensory and/or physical needs", "Summary of needs"],
    "C": ["Diagnosis", "Medication", "Physical health"],
    "D": ["Social care", "Family circumstances"],
    "E": ["Outcome", "Education outcomes", "Health outcomes", "Preparing for adulthood", "Steps towards the outcome"],
    "F": ["Provision", "Outcome", "By whom", "Frequency", "Special educational provision in school", "Staffing"],
    "G": ["Health provision from the community team", "Provision", "By whom"],
    "H1": ["Short breaks"], "H2": ["Other support"], "H": ["Short breaks"],
    "I": ["Type of school", "Placement"], "J": ["Direct payments", "Personal budget"],
    "K": ["Health advice", "Social care advice", "Educational psychology advice", "Parental advice"],
}
SENTENCES = ["The child enjoys {x} and talks about it with adults they trust, especially in small groups.",
             "Staff have noticed that {x} improves when routines are predictable and the classroom is calm.",
             "Parents report that {x} has been a concern since nursery and would like it reviewed termly.",
             "The specialist teacher found that {x} is below age-related expectations at present."]
TOPICS = ["reading", "number work", "friendships", "sleep", "eating", "dressing", "transitions", "attention"]


def long_plan(path: Path, rng: random.Random) -> dict[str, str]:
    style = rng.choice(["section", "part", "cell", "number", "none"])
    codes = list(ORDER)
    if rng.random() < 0.3:
        codes[0:1] = ["A1", "A2"]
    if rng.random() < 0.3:
        codes = [c for c in codes if c not in ("H1", "H2")]
        codes.insert(codes.index("I"), "H")
    if rng.random() < 0.3:
        i, j = rng.sample(range(2, len(codes)), 2)
        codes[i], codes[j] = codes[j], codes[i]
    pdf = FPDF()
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Education, Health and Care Plan", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    truth: dict[str, str] = {}

    def write(code: str, text: str, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        key = {"A1": "A", "A2": "A", "H": "H1"}.get(code, code)
        truth[key] = (truth.get(key, "") + "\n" + text).strip()

    for n, code in enumerate(codes, start=1):
        title = {"A1": rng.choice(["My story", "History and background"]), "A2": rng.choice(["My views", "Views, interests and aspirations"])
                 }.get(code) or rng.choice(WORDINGS[code])
        if rng.random() < 0.15:
            title = typo(title, rng)
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 13)
        if style == "cell":
            pdf.set_fill_color(200, 200, 230)
            pdf.cell(15, 9, code, border=1, fill=True)
            pdf.multi_cell(0, 9, title, border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
        else:
            heading = {"section": f"Section {code}: {title}", "part": f"PART {code} - {title.upper()}", "number": f"{n}. {title}",
                       "none": title if len(title.split()) > 1 else f"My {title}"}[style]
            pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        if code in ("E", "F") and rng.random() < 0.6:
            header = ["Needs", "Outcomes", "Provision", "By whom", "Frequency"]
            rows = [[f"{rng.choice(TOPICS).capitalize()} is difficult", f"By July the child will manage {rng.choice(TOPICS)}",
                     "Support for 20 minutes daily", "Teaching assistant", "Daily"] for _ in range(rng.randint(2, 4))]
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(col_widths=(40, 40, 50, 30, 30)) as table:
                for cells in [header] + rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
            truth[code] = "\n".join(" ".join(r) for r in [header] + rows)
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.5:
                write(code, rng.choice(SUBHEADINGS_IN[{"A1": "A", "A2": "A"}.get(code, code)]), bold=True)
            write(code, " ".join(rng.choice(SENTENCES).format(x=rng.choice(TOPICS)) for _ in range(rng.randint(1, 3))))
    pdf.output(str(path))
    return truth


NAIVE = re.compile(r"^\s*section\s+([A-K](?:[12])?)\b", re.I | re.M)


def naive_sections(pdf: Path) -> dict[str, str]:
    text = "\n".join(read_pdf(pdf).pages)
    found: dict[str, str] = {}
    marks = [(m.start(), m.end(), m.group(1).upper()) for m in NAIVE.finditer(text)]
    for k, (_start, end, code) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        found.setdefault(code, text[end:stop])
    return found


FEATURES = ("cover", "contents", "key_table", "sign_off", "running_header", "footer", "merged_table", "merged_headings",
            "two_columns", "watermark", "sub_parts", "none_sections", "page_per_section")


def council(plans: int, seed: int) -> None:
    """Mean token F1 per heading kind and per layout feature on random council-style templates."""
    from collections import defaultdict

    rng = random.Random(seed)
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_feature: dict[str, list[float]] = defaultdict(list)
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(plans):
            layout = random_layout(rng)
            pdf = Path(tmp) / f"c{i}.pdf"
            made = make_council_plan(pdf, layout)
            found: dict[str, str] = {}
            for s in analyse_pdf(pdf).sections:
                found[s.code] = found.get(s.code, "") + "\n" + s.text
            score = mean_f1(found, made.truth)
            scores.append((score, i, layout.headings))
            by_kind[layout.headings].append(score)
            for feature in FEATURES:
                if getattr(layout, feature):
                    by_feature[feature].append(score)
    print(f"{plans} random council layouts: mean token F1 {sum(s for s, _, _ in scores) / plans:.4f}")
    for name, group in sorted(by_kind.items()) + sorted(by_feature.items()):
        print(f"  {name:18s} {sum(group) / len(group):.4f}  ({len(group)} plans, lowest {min(group):.3f})")
    print("  lowest:", ", ".join(f"plan {i} ({kind}): {s:.3f}" for s, i, kind in sorted(scores)[:5]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["short", "long", "council"], help="One family of layouts.")
    args = parser.parse_args()
    if args.only in (None, "council"):
        council(args.plans, args.seed)
    for family, make in (("short", random_plan), ("long", long_plan)):
        if args.only not in (None, family):
            continue
        rng = random.Random(args.seed)
        ours, naive, worst = [], [], []
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.plans):
                pdf = Path(tmp) / f"p{i}.pdf"
                truth = make(pdf, rng)
                found = {s.code: s.text for s in analyse_pdf(pdf).sections}
                score = mean_f1(found, truth)
                ours.append(score)
                naive.append(mean_f1(naive_sections(pdf), truth))
                worst.append((score, i))
        print(f"{args.plans} random {family} layouts: mean token F1 {sum(ours) / len(ours):.4f}"
              f" (naive 'Section X' splitter {sum(naive) / len(naive):.4f})")
        print("  lowest:", ", ".join(f"plan {i}: {s:.3f}" for s, i in sorted(worst)[:5]))


if __name__ == "__main__":
    main()
