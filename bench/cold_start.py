"""Cold start to the plan list: a fresh Python process launches the app headless (run_test) and
reports when the plan table has its rows. Five runs, median and max.

Run by hand:  python bench/cold_start.py [--runs 5] [--plans 200] [--profile] [--bare]

--bare times, in turn with the app, the floor: a bare Textual app with one DataTable of the same plans,
started the same way (the machine may be shared: the runs are paired and the medians quoted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child: everything from "python starts" to "the plan list shows rows", as a reviewer waits for it.
CHILD = r"""
import asyncio, sys, time
t0 = float(sys.argv[2])
from ehcaudit.store import open_db
from ehcaudit.tui.app import EhcauditApp

async def main():
    app = EhcauditApp(db=open_db(sys.argv[1]), reviewer="Bench")
"""

# The floor: Textual alone, one DataTable filled with the same plans, waited for the same way.
CHILD_BARE = r"""
import asyncio, sqlite3, sys, time
t0 = float(sys.argv[2])
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable(id="plan-table")

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Plan", "Cohort", "Pages")
        for row in sqlite3.connect(sys.argv[1]).execute("SELECT label, cohort, page_count FROM plans"):
            table.add_row(*[str(v) for v in row])

async def main():
    app = Bare()
"""

# Both children end the same way: wait until the plan table has rows, print the seconds since python started.
WAIT = r"""
    async with app.run_test(size=(80, 24)) as pilot:
        while True:
            table = app.screen.query("#plan-table")
            if table and table.first().row_count:
                break
            await asyncio.sleep(0.002)
        print(f"{time.time() - t0:.4f}", flush=True)

asyncio.run(main())
"""
CHILD += WAIT
CHILD_BARE += WAIT


def make_db(path: Path, plans: int) -> None:
    """A database with the bundled sample plans, copied under new labels up to `plans` plans."""
    from ehcaudit.demo import build_demo_db

    build_demo_db(path)
    if plans <= 14:
        return
    import sqlite3

    with sqlite3.connect(path) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(plans)") if r[1] != "id"]
        have = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
        for n in range(have, plans):
            values = ", ".join("? || label" if c == "label" else "lower(hex(randomblob(32)))" if c == "sha256" else c
                               for c in cols)
            conn.execute(f"INSERT INTO plans ({', '.join(cols)}) SELECT {values} FROM plans WHERE id = 1", [f"copy{n}-"])


def one_run(db: Path, profile: bool, child: str = CHILD) -> float:
    args = [sys.executable]
    if profile:
        args += ["-m", "cProfile", "-s", "cumtime"]
    args += ["-c", child] if not profile else [_child_file()]
    # A reviewer's install has its .pyc files (pip writes them): so do the children here, even where the
    # shell sets PYTHONDONTWRITEBYTECODE (then every run would compile ehcaudit from source, ~20 ms more).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run(args + [str(db), repr(time.time())], capture_output=True, text=True, check=True, env=env)
    if profile:
        print(out.stdout[:6000])
    return float(out.stdout.split()[0])


def _child_file() -> str:
    path = Path(tempfile.gettempdir()) / "ehcaudit_cold_start_child.py"
    path.write_text(CHILD)
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="one run under cProfile, sorted by cumulative time")
    parser.add_argument("--bare", action="store_true", help="also time a bare Textual app with one DataTable, run by run in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EHCAUDIT_HOME"] = tmp
        db = Path(tmp) / "bench.db"
        make_db(db, args.plans)
        if args.profile:
            one_run(db, True)
            return
        one_run(db, False)  # warm the disk cache and .pyc files: a reviewer's second launch of the day
        if args.bare:
            one_run(db, False, CHILD_BARE)
        starts, floors = [], []
        for _ in range(args.runs):
            starts.append(one_run(db, False))
            if args.bare:
                floors.append(one_run(db, False, CHILD_BARE))
        print(f"cold start to the plan list with {args.plans} plans ({args.runs} runs): "
              f"median {statistics.median(starts):.2f} s, max {max(starts):.2f} s; load average {os.getloadavg()[0]:.1f}")
        if floors:
            ratio = statistics.median(a / b for a, b in zip(starts, floors))
            print(f"bare Textual app, one DataTable of the same plans, in turn: median {statistics.median(floors):.2f} s, "
                  f"max {max(floors):.2f} s; the app takes {ratio:.2f}x the floor (median of the pairs)")


if __name__ == "__main__":
    main()
