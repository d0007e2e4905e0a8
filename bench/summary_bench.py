"""Summary speed on a big sample: 10,000 plans x 2 reviewers x every criterion of the default rubric.

Run by hand:  python bench/summary_bench.py [--plans 10000]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ehcaudit.rubric import resolve_rubric


def write_scores(path: Path, plans: int, seed: int = 1) -> int:
    rubric = resolve_rubric(None)
    rng = random.Random(seed)
    rows = 0
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["plan", "reviewer", "criterion", "score", "note", "cohort"])
        for p in range(plans):
            quality = rng.choice([1, 2, 2, 3, 3, 3, 4])
            cohort = f"2026-{1 + p % 11:02d}"
            for reviewer in (f"R{p % 7}", f"R{(p + 3) % 7}"):
                for c in rubric.criteria:
                    g = min(4, max(1, quality + rng.choice([-1, 0, 0, 0, 1])))
                    w.writerow([f"plan-{p:05d}", reviewer, c.id, g, "", cohort])
                    rows += 1
    return rows


# As an installed copy runs: pip compiles the bytecode at install, so runs here may write and use it too
# (a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module from source on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scores = Path(tmp) / "scores.csv"
        rows = write_scores(scores, args.plans)
        db = f"{tmp}/big.db"
        t_import = timed([sys.executable, "-m", "ehcaudit.cli", "scores", "import", str(scores), "--db", db])
        print(f"scores import: {rows:,} grades ({args.plans:,} plans x 2 reviewers) in {t_import:.1f} s")
        timed([sys.executable, "-m", "ehcaudit.cli", "summary", "--db", db, "--format", "json", "-o", f"{tmp}/warm.json"])  # bytecode
        for fmt in ("json", "table", "html"):
            runs = [timed([sys.executable, "-m", "ehcaudit.cli", "summary", "--db", db, "--format", fmt, "-o", f"{tmp}/out.{fmt}"])
                    for _ in range(5)]
            print(f"summary --format {fmt:<5}  median {statistics.median(runs):.2f} s  best {min(runs):.2f} s  worst {max(runs):.2f} s"
                  "  (whole command, process start included)")
        runs = [timed([sys.executable, "-m", "ehcaudit.cli", "summary", "--db", db, "--format", "json", "--by", "phase", "--by", "reviewer",
                       "-o", f"{tmp}/by.json"]) for _ in range(3)]
        print(f"summary --format json --by phase --by reviewer  best {min(runs):.2f} s")


if __name__ == "__main__":
    main()
