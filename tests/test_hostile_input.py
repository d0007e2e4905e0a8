"""Hostile or odd input never stalls, crashes or loses the batch (issue 11, items 5 to 9 and 11)."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ehcaudit.ingest import importer
from ehcaudit.ingest.importer import import_plans
from ehcaudit.store import open_db
from ehcaudit.store.db import migrate
from ehcaudit.store.plans import list_plans
from ehcaudit.store.schema import SCHEMA_VERSION
from hostile_pdfs import nested_dictionary, operator_bomb

BUDGET = 6  # seconds: far more than a small plan needs on a busy machine, far less than the bomb takes
BOMB_MB = 80  # pypdf reads about 4 MB of operators a second on an idle machine here: 20 s or more, never under BUDGET


@pytest.fixture
def stuck_batch(tmp_path, sample_plans_dir) -> Path:
    """A bomb first in path order (many times BUDGET of work for pypdf), then two good plans."""
    folder = tmp_path / "batch"
    folder.mkdir()
    operator_bomb(folder / "a-bomb.pdf", megabytes=BOMB_MB)
    for name in ("plan-01.pdf", "plan-02.pdf"):
        shutil.copy(sample_plans_dir / name, folder / name)
    return folder


# ------------------------------------------------------------------ 5. a time budget per file


def test_a_stuck_file_is_stopped_at_its_time_budget_and_results_stream_as_files_finish(tmp_path, stuck_batch):
    db = open_db(tmp_path / "t.db")
    finished = []
    report = import_plans(db, [stuck_batch], timeout=BUDGET, jobs=2, progress=finished.append)
    assert (report.imported, report.failed) == (2, 1)
    [line] = [line for line in report.lines if "a-bomb.pdf" in line]
    assert f"took longer than {BUDGET} s" in line
    assert sorted(p.label for p in list_plans(db)) == ["plan-01", "plan-02"]
    # the bomb was first in line, but the plans behind it did not wait for it
    assert [p.name for p in finished] == ["plan-01.pdf", "plan-02.pdf", "a-bomb.pdf"]


def test_with_one_job_the_worker_of_a_stuck_file_is_replaced_for_the_next(tmp_path, sample_plans_dir):
    folder = tmp_path / "one"
    folder.mkdir()
    operator_bomb(folder / "a-bomb.pdf", megabytes=BOMB_MB)
    shutil.copy(sample_plans_dir / "plan-01.pdf", folder / "b.pdf")
    report = import_plans(open_db(tmp_path / "o.db"), [folder], timeout=BUDGET, jobs=1)
    assert (report.imported, report.failed) == (1, 1)


def test_the_cli_reports_a_stuck_file_in_one_line_and_imports_the_rest(cli, tmp_path, stuck_batch):
    result = cli("import", str(stuck_batch), "--db", str(tmp_path / "c.db"), "--timeout", str(BUDGET))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.strip() == "imported 2, duplicates 0, failed 1"
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{stuck_batch / 'a-bomb.pdf'}: took longer than {BUDGET} s")


def test_inspect_stops_a_stuck_file_too(cli, tmp_path):
    result = cli("inspect", str(operator_bomb(tmp_path / "bomb.pdf", megabytes=24)), "--timeout", "1")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "took longer than 1 s" in line


async def test_the_import_screen_stops_a_stuck_file_and_imports_the_rest(tmp_path, stuck_batch):
    from textual.widgets import RichLog

    from ehcaudit.tui.app import EhcauditApp
    from ehcaudit.tui.import_screen import ImportScreen

    db = open_db(tmp_path / "app.db")
    app = EhcauditApp(db=db, reviewer="Alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ImportScreen(db, timeout=BUDGET))
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(stuck_batch)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        log = "\n".join(line.text for line in app.screen.query_one(RichLog).lines)
        assert f"took longer than {BUDGET} s" in log
        assert "imported 2, duplicates 0, failed 1" in str(app.screen.query_one("#import-current").content)


# ------------------------------------------------------------------ 6. file names that are not UTF-8


def test_file_names_that_are_not_utf8_never_stop_the_batch(cli, tmp_path, sample_plans_dir):
    folder = tmp_path / "odd"
    folder.mkdir()
    for raw, plan in ((b"caf\xe9.pdf", "plan-01.pdf"), (b"caf\xe8.pdf", "plan-02.pdf"), (b"zz.pdf", "plan-03.pdf")):
        shutil.copy(sample_plans_dir / plan, os.path.join(os.fsencode(folder), raw))
    result = cli("import", str(folder), "--db", str(tmp_path / "u.db"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == "imported 3, duplicates 0, failed 0"
    assert result.stderr.count("is not valid UTF-8") == 2
    labels = sorted(p.label for p in list_plans(open_db(tmp_path / "u.db")))
    assert labels == ["caf\ufffd", "odd/caf\ufffd", "zz"]
    listed = cli("plans", "--db", str(tmp_path / "u.db"))
    assert listed.returncode == 0 and "caf\ufffd" in listed.stdout


# ------------------------------------------------------------------ 7. overlapping imports at the same time


def test_a_plan_another_import_stored_first_is_a_duplicate_not_a_failure(tmp_path, sample_plans_dir, monkeypatch):
    db = open_db(tmp_path / "d.db")
    first = import_plans(db, [sample_plans_dir / "plan-02.pdf"])
    assert first.imported == 1
    # As if the other process stored plan-02 after this batch checked for duplicates.
    monkeypatch.setattr(importer, "plan_by_sha", lambda db, sha: None)
    report = import_plans(db, [sample_plans_dir / "plan-01.pdf", sample_plans_dir / "plan-02.pdf", sample_plans_dir / "plan-03.pdf"])
    assert (report.imported, report.duplicates, report.failed) == (2, 1, 0)
    assert len(list_plans(db)) == 3


def test_two_imports_of_the_same_folder_at_once_store_every_plan_once(tmp_path, sample_plans_dir):
    folder = tmp_path / "sample"
    folder.mkdir()
    for plan in sorted(sample_plans_dir.glob("*.pdf"))[:8]:
        shutil.copy(plan, folder / plan.name)
    db = tmp_path / "shared.db"
    command = [sys.executable, "-m", "ehcaudit.cli", "import", str(folder), "--db", str(db), "-q"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "failed 0" in out
    imported = sum(int(out.split()[1].rstrip(",")) for out, _ in outputs)
    assert imported == len(list_plans(open_db(db))) == 8


# ------------------------------------------------------------------ 8. creating a new database at once


def test_migration_reads_the_version_again_under_the_write_lock(tmp_path):
    open_db(tmp_path / "m.db").conn.close()  # another process has just created and migrated it
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)

    class StaleFirstRead:
        """What this process saw before it had the lock: version 0."""

        def __init__(self):
            self.stale = True

        def execute(self, sql, *args):
            if sql.startswith("PRAGMA user_version") and self.stale:
                self.stale = False
                return conn.execute("SELECT 0")
            return conn.execute(sql, *args)

        @property
        def in_transaction(self):
            return conn.in_transaction

    assert migrate(StaleFirstRead()) == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM plans").fetchone() == (0,)


def test_processes_creating_the_same_new_database_at_once_all_succeed(tmp_path):
    script = ("import sys, time\nfrom ehcaudit.store import open_db\n"
              "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\nopen_db(sys.argv[2])\nprint('ok')\n")
    for attempt in range(2):
        path = tmp_path / f"new-{attempt}.db"
        start = time.time() + 3  # every process is up and waiting by then
        runs = [subprocess.Popen([sys.executable, "-c", script, str(start), str(path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(5)]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0 and out.strip() == "ok", err
        assert open_db(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# ------------------------------------------------------------------ 9. no orphans


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the workers")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_import_leaves_no_worker_processes(tmp_path, how):
    folder = tmp_path / "bombs"
    folder.mkdir()
    for n in range(3):
        operator_bomb(folder / f"bomb-{n}.pdf", megabytes=24 + n)
    run = subprocess.Popen([sys.executable, "-m", "ehcaudit.cli", "import", str(folder), "--db", str(tmp_path / "k.db"),
                            "--jobs", "2", "--timeout", "0", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = [pid for pid in _children(run.pid)
                   if b"ehcaudit.ingest.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(workers) == 2, "the import never started its two workers"
    time.sleep(1)  # let them get into the bombs
    run.send_signal(how)
    run.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the workers")
def test_an_import_told_to_stop_stops_reading_and_its_workers_at_once(tmp_path, stuck_batch):
    import threading

    stop = threading.Event()
    threading.Timer(2, stop.set).start()  # as when the app is closed mid-import
    report = import_plans(open_db(tmp_path / "q.db"), [stuck_batch], timeout=0, jobs=1, stop=stop.is_set)
    assert report.imported == 0
    assert not [pid for pid in _children(os.getpid()) if _running(pid)
                and b"ehcaudit.ingest.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]


# ------------------------------------------------------------------ 11. FIFOs, broken links, unreadable folders, nesting


def test_fifos_broken_links_and_unreadable_folders_get_a_line_each(tmp_path, sample_plans_dir, monkeypatch):
    folder = tmp_path / "mixed"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(sample_plans_dir / "plan-01.pdf", folder / "good.pdf")
    shutil.copy(sample_plans_dir / "plan-02.pdf", folder / "locked" / "hidden.pdf")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "gone.pdf").symlink_to(tmp_path / "deleted.pdf")
    real_scandir = os.scandir

    def scandir(path):  # as for a folder of someone else's (chmod is no test when running as root)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(importer.os, "scandir", scandir)
    report = import_plans(open_db(tmp_path / "f.db"), [folder])
    assert (report.imported, report.failed) == (1, 3)
    lines = "\n".join(report.lines)
    assert f"{folder / 'pipe.pdf'}: is a named pipe (FIFO), not a file" in lines
    assert f"{folder / 'gone.pdf'}: is a link to {tmp_path / 'deleted.pdf'}, which does not exist" in lines
    assert f"{folder / 'locked'}: cannot open the folder (Permission denied)" in lines


def test_a_link_loop_between_folders_is_searched_once(tmp_path, sample_plans_dir):
    folder = tmp_path / "loop"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(sample_plans_dir / "plan-01.pdf", folder / "sub" / "plan.pdf")
    (folder / "sub" / "back").symlink_to(folder)
    files, problems = importer.collect_pdfs([folder])
    assert files == [folder / "sub" / "plan.pdf"] and problems == []


@pytest.mark.parametrize("command", ["import", "inspect"])
def test_a_fifo_given_directly_is_a_clear_line_and_never_blocks(cli, tmp_path, command):
    os.mkfifo(tmp_path / "plan.pdf")
    args = [command, str(tmp_path / "plan.pdf")] + (["--db", str(tmp_path / "x.db")] if command == "import" else [])
    result = cli(*args)
    assert result.returncode == 1
    assert "is a named pipe (FIFO), not a file" in result.stderr
    assert "empty" not in result.stderr and "no such file" not in result.stderr


def test_a_nested_dictionary_pdf_is_called_damaged_not_scanned(cli, tmp_path):
    nested_dictionary(tmp_path / "nested.pdf")
    result = cli("inspect", str(tmp_path / "nested.pdf"))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "damaged" in line and "scanned" not in line and "OCR" not in line
