"""What the pre-checks add to import: the time to analyse each plan (read the PDF, find sections) against the
time to check it, and import --db then check --db end to end. Run by hand: python bench/check_speed.py [--plans 80]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus

from ehcaudit.ingest.read_plan import analyse_pdf
from ehcaudit.checks import check_sections, copy_hints


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=80)
    n = ap.parse_args().plans
    files = sorted(corpus(n).glob("*.pdf"))[:n]
    t0 = time.perf_counter()
    plans = [analyse_pdf(f) for f in files]
    analyse = time.perf_counter() - t0
    t0 = time.perf_counter()
    check_sections(plans[0].sections, plans[0].pages)  # compiles the word lists: once per process
    print(f"compiling the word lists: {time.perf_counter() - t0:.2f} s, once per run")
    t0 = time.perf_counter()
    for p in plans:
        check_sections(p.sections, p.pages)
    statement = time.perf_counter() - t0
    t0 = time.perf_counter()
    copy_hints([(p.path.name, p.sections, p.pages) for p in plans])
    copies = time.perf_counter() - t0
    print(f"{n} plans: analyse (what import does) {analyse:.2f} s, checks {statement:.2f} s "
          f"(+{100 * statement / analyse:.1f}%), copying across the sample {copies:.2f} s (+{100 * copies / analyse:.1f}%)")
    print(f"all pre-checks: +{100 * (statement + copies) / analyse:.1f}% of import time (bar: 20%)")


if __name__ == "__main__":
    main()
