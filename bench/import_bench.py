"""Import speed against bare pypdf text extraction, and peak memory for a big import.

Run by hand:  python bench/import_bench.py [--plans 160] [--memory-plans 500]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus  # noqa: E402


def bare_pypdf(files: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    pages = 0
    for f in files:
        for page in PdfReader(f).pages:
            page.extract_text()
            pages += 1
    return time.perf_counter() - start, pages


def ehcaudit_import(folder: Path, jobs: int) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of `ehcaudit import` in its own process."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "ehcaudit.cli", "import", str(folder), "--db", f"{tmp}/b.db", "--jobs", str(jobs), "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=160)
    parser.add_argument("--memory-plans", type=int, default=500)
    args = parser.parse_args()

    folder = corpus(args.plans)
    files = sorted(folder.glob("*.pdf"))[: args.plans]
    bare, pages = bare_pypdf(files)
    print(f"{len(files)} plans, {pages} pages")
    print(f"bare pypdf extract_text      {bare:7.2f} s   {pages / bare:7.1f} pages/s")
    for jobs in (1, 2):
        t, _ = ehcaudit_import(folder, jobs)
        print(f"ehcaudit import --jobs {jobs}      {t:7.2f} s   {pages / t:7.1f} pages/s   {t / bare:.2f}x bare pypdf")
    big = corpus(args.memory_plans)
    t, peak_kb = ehcaudit_import(big, 1)
    print(f"ehcaudit import of {args.memory_plans} plans: {t:.1f} s, peak memory {peak_kb / 1024:.0f} MB (max RSS of the process)")


if __name__ == "__main__":
    main()
