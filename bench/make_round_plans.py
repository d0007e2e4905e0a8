"""Write N fictional plans and a metadata CSV for trying an audit round by hand (run by hand, not in CI).

    python bench/make_round_plans.py /tmp/round-plans 40
    ehcaudit import /tmp/round-plans --cohort 2026-12 --meta /tmp/round-plans/metadata.csv

Every plan is fictional; the text is the tests' standard body with a few words changed per plan so each
file is distinct. Needs fpdf2 (pip install '.[test]').
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pdfmaker import BODY, Block, make_plan  # noqa: E402

HEADINGS = {
    "A": "Section A: The views, interests and aspirations of the child and their parents",
    "B": "Section B: Special educational needs", "C": "Section C: Health needs", "D": "Section D: Social care needs",
    "E": "Section E: Outcomes", "F": "Section F: Special educational provision", "G": "Section G: Health provision",
    "H1": "Section H1: Social care provision (CSDPA 1970)", "H2": "Section H2: Other social care provision",
    "I": "Section I: Placement", "J": "Section J: Personal budget", "K": "Section K: Advice and information",
}
PHASES = ["Early years"] * 3 + ["Primary"] * 9 + ["Secondary"] * 7 + ["Post-16"] * 1
NEEDS = ["Autism (ASD)"] * 4 + ["Speech, language and communication (SLCN)"] * 3 + \
        ["Social, emotional and mental health (SEMH)"] * 2 + ["Moderate learning difficulty (MLD)"]
SETTINGS = ["Mainstream"] * 6 + ["Special"] * 2 + ["Resourced provision"]
TEAMS = ["North", "South", "East"]
HOURS = ["20 minutes", "30 minutes", "45 minutes", "one hour"]


def main(folder: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in range(1, count + 1):
        name = f"round-plan-{n:02d}.pdf"
        body = {k: list(v) for k, v in BODY.items()}
        body["F"][0] = f"Speech and language therapy for {rng.choice(HOURS)} weekly from a qualified therapist (plan {n})."
        body["E"][0] = f"By July {2027 + n % 3} the child will read a short text and answer {rng.randint(3, 5)} of five questions."
        make_plan(folder / name, [Block(code, heading, body[code]) for code, heading in HEADINGS.items()])
        rows.append({"file": name, "phase": rng.choice(PHASES), "primary_need": rng.choice(NEEDS),
                     "setting": rng.choice(SETTINGS), "team": rng.choice(TEAMS)})
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {count} plans and metadata.csv to {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40)
