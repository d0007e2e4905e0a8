"""Keypress-to-saved-and-repainted latency on a 60-page plan, and cold start to the plan list.

Run by hand:  python bench/audit_latency.py [--presses 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import signal
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdfmaker import blocks_for, make_plan  # noqa: E402

from ehcaudit.ingest.importer import import_plans  # noqa: E402
from ehcaudit.store import open_db  # noqa: E402
from ehcaudit.tui.app import EhcauditApp  # noqa: E402

HEADINGS = {
    "A": "Section A: All about me", "B": "Section B: Special educational needs", "C": "Section C: Health needs",
    "D": "Section D: Social care needs", "E": "Section E: Outcomes", "F": "Section F: Special educational provision",
    "G": "Section G: Health provision", "H1": "Section H1: Social care provision (CSDPA 1970)",
    "H2": "Section H2: Other social care provision", "I": "Section I: Placement", "J": "Section J: Personal budget",
    "K": "Section K: Advice and information",
}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def keypress_latency(db_path: Path, presses: int) -> tuple[list[float], list[float]]:
    """(in-app latency, pilot round trip) per grade keypress, in seconds.

    In-app: from the moment the grade action starts (the key has been dispatched)
    until the screen has been repainted after the commit. Pilot round trip adds
    the test harness's own key simulation and idle waits, so it is an upper bound.
    """
    from ehcaudit.tui.audit_screen import AuditScreen

    db = open_db(db_path)
    app = EhcauditApp(db=db, reviewer="Bench")
    in_app: list[float] = []
    original = AuditScreen.action_grade

    def timed_grade(self, value: int) -> None:
        start = time.perf_counter()
        original(self, value)
        self.call_after_refresh(lambda: in_app.append(time.perf_counter() - start))

    AuditScreen.action_grade = timed_grade
    round_trip = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for i in range(presses):
            key = "2" if i % 2 else "3"
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            round_trip.append(time.perf_counter() - start)
            grade = db.execute("SELECT grade FROM judgements WHERE criterion_id = 'V1'").fetchone()[0]
            assert grade == int(key), "grade was not committed"
    AuditScreen.action_grade = original
    return in_app, round_trip


def cold_start(db_path: Path) -> float:
    """Seconds from exec to the plan list being drawn in a real terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(sys.executable, [sys.executable, "-m", "ehcaudit.cli", "--db", str(db_path), "--reviewer", "Bench"],
                   {**os.environ, "TERM": "xterm-256color"})
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    try:
        while b"plan-60p" not in seen:
            seen += os.read(fd, 65536)
        return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EHCAUDIT_HOME"] = tmp
        pdf = Path(tmp) / "plan-60p.pdf"
        make_plan(pdf, blocks_for(HEADINGS), extra_pages=58)
        db_path = Path(tmp) / "bench.db"
        report = import_plans(open_db(db_path), [pdf])
        pages = open_db(db_path).execute("SELECT page_count FROM plans").fetchone()[0]
        assert report.imported == 1
        in_app, round_trip = asyncio.run(keypress_latency(db_path, args.presses))
        print(f"{pages}-page plan, {len(in_app)} grade keypresses (commit + event log + repaint):")
        for name, values in (("in the app", in_app), ("pilot round trip", round_trip)):
            ms = [t * 1000 for t in values]
            print(f"  {name:<17} p50 {statistics.median(ms):6.1f} ms   p95 {percentile(ms, 95):6.1f} ms   max {max(ms):6.1f} ms")
        starts = [cold_start(db_path) for _ in range(5)]
        print(f"cold start to the plan list (5 runs): median {statistics.median(starts):.2f} s, max {max(starts):.2f} s")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work inflates every figure)")


if __name__ == "__main__":
    main()
