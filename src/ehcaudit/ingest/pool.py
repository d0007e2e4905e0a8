"""Read PDFs in worker processes, each file with a time budget, so one stuck file cannot hold up a batch.

A file that takes longer than its budget has its worker killed (pypdf cannot be interrupted any
other way) and is reported as one line; a fresh worker takes the next file. Results come back as
files finish, not in the order given. Workers are plain `python -m ehcaudit.ingest.worker`
processes (see that module), so nothing of the calling program is imported again in them, and
they end themselves when the process that started them goes away.
"""

from __future__ import annotations

import contextlib
import pickle
import queue as queues
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from typing import IO, TYPE_CHECKING, cast
from pathlib import Path

import ehcaudit
from ehcaudit.errors import EhcauditError
from ehcaudit.ingest.worker import READY

if TYPE_CHECKING:
    from ehcaudit.ingest.read_plan import AnalysedPlan

DEFAULT_TIMEOUT = 60.0
_GONE = object()  # what a worker's reader thread reports when the worker's output ends
# (worker, message): every worker's reader thread puts what its worker sends here.
Inbox = queues.Queue[tuple["_Worker", object]]
_PACKAGE_ROOT = str(Path(ehcaudit.__file__).resolve().parent.parent)
_WORKER = f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); from ehcaudit.ingest.worker import main; main()"


def analyse_safely(path: Path) -> AnalysedPlan | str:
    """analyse_pdf's result, or the one line saying why the file cannot be used."""
    from ehcaudit.ingest.read_plan import analyse_pdf

    try:
        return analyse_pdf(path)
    except EhcauditError as exc:
        return str(exc)
    except MemoryError:
        return f"{path}: the PDF needs more memory to read than ehcaudit allows; export the plan to PDF again"
    except Exception as exc:  # noqa: BLE001 - one strange file must not stop a batch
        return f"{path}: could not be read ({type(exc).__name__}); check it opens in a PDF reader"


class _Worker:
    """One worker process, and a thread passing everything it sends back into the shared inbox."""

    def __init__(self, inbox: Inbox) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to_worker: IO[bytes] = self.process.stdin
        self.from_worker: IO[bytes] = self.process.stdout
        self.ready = False
        self.path: Path | None = None
        self.started = 0.0
        threading.Thread(target=self._listen, args=(inbox,), daemon=True).start()

    def _listen(self, inbox: Inbox) -> None:
        out = self.from_worker
        while True:
            try:
                message = pickle.load(out)
            except Exception:  # noqa: BLE001 - end of output, or the worker died mid-message
                inbox.put((self, _GONE))
                return
            inbox.put((self, message))

    def give(self, path: Path) -> None:
        pickle.dump(str(path), self.to_worker)
        self.to_worker.flush()
        self.path, self.started = path, time.monotonic()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.to_worker, self.from_worker):
            with contextlib.suppress(OSError):
                pipe.close()

    def stop(self) -> None:
        try:
            if self.ready and self.path is None:
                pickle.dump(None, self.to_worker)
                self.to_worker.flush()
                self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _stopped_line(path: Path, process: subprocess.Popen[bytes]) -> str:
    code = process.poll()
    how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
    return f"{path}: the reader stopped while reading it ({how}); the PDF may be damaged or too large; get a fresh copy"


def timeout_line(path: Path, timeout: float) -> str:
    return (f"{path}: took longer than {timeout:g} s to read and was stopped; check it opens quickly in a PDF reader, "
            f"or import it on its own with a longer --timeout")


def analyse_all(paths: list[Path], *, jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT,
                stop: Callable[[], bool] | None = None) -> Generator[tuple[Path, AnalysedPlan | str], None, None]:
    """(path, AnalysedPlan or error line) for each file, in the order they finish.

    At most `jobs` files are read at once; a file still being read after `timeout` seconds
    (None or 0: no limit) is stopped and its line says so. When stop() turns true (e.g. the
    app is closing) the files not finished are dropped and every worker is stopped.
    """
    queue = deque(paths)
    if not queue:
        return
    jobs = max(1, min(jobs, len(queue)))
    limit = timeout if timeout and timeout > 0 else None
    inbox: Inbox = queues.Queue()
    workers: list[_Worker] = []
    failed_starts = 0
    try:
        while queue or any(w.path for w in workers):
            while len(workers) < jobs and len(workers) < len(queue) + sum(1 for w in workers if w.path):
                workers.append(_Worker(inbox))
            for w in list(workers):
                if w.ready and w.path is None and queue:
                    path = queue.popleft()
                    try:
                        w.give(path)
                    except OSError:  # it died while idle: the file goes to the next worker
                        w.kill()
                        workers.remove(w)
                        queue.appendleft(path)
            busy = [w for w in workers if w.path is not None]
            wait_for = None
            if limit is not None and busy:
                wait_for = max(0.0, min(w.started + limit for w in busy) - time.monotonic())
            if stop is not None:
                if stop():
                    return
                wait_for = 0.25 if wait_for is None else min(wait_for, 0.25)
            try:
                sender, message = inbox.get(timeout=wait_for)
            except queues.Empty:
                sender, message = None, None
            if sender is not None and sender in workers:
                done = sender.path
                if message is _GONE:
                    sender.kill()
                    workers.remove(sender)
                    if done is not None:
                        yield done, _stopped_line(done, sender.process)
                    elif not sender.ready:
                        failed_starts += 1
                        if failed_starts >= 3:
                            raise EhcauditError("cannot start a process to read PDFs; check free memory and try --jobs 1")
                elif message == READY:
                    sender.ready = True
                elif done is not None:
                    sender.path = None
                    yield done, cast("AnalysedPlan | str", message)  # what a worker sends after READY (worker.py)
            if limit is not None:
                now = time.monotonic()
                for w in list(workers):
                    if w.path is not None and now - w.started >= limit:
                        w.kill()
                        workers.remove(w)
                        yield w.path, timeout_line(w.path, limit)
    finally:
        for w in workers:
            w.stop()


def analyse_one(path: Path, *, timeout: float | None = DEFAULT_TIMEOUT) -> AnalysedPlan | str:
    """One file's AnalysedPlan or error line, read within the time budget."""
    for _, result in analyse_all([path], jobs=1, timeout=timeout):
        return result
    raise AssertionError("unreachable: one path gives one result")
