"""Read PDFs in worker processes, each file with a time budget, so one stuck file cannot hold up a batch.

A file that takes longer than its budget has its worker killed (pypdf cannot be interrupted any
other way) and is reported as one line; a fresh worker takes the next file. Results come back as
files finish, not in the order given. Workers are started with "spawn" (safe from threads, such as
the app's import worker) and end themselves when the process that started them goes away, so a
killed import leaves none behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterator

from ehcaudit.errors import EhcauditError

DEFAULT_TIMEOUT = 60.0
# A worker may use this much memory before a file is given up as too big (Linux and macOS).
WORKER_MEMORY_BYTES = 3 << 30
_READY = "ready"


def analyse_safely(path: Path):
    """analyse_pdf's result, or the one line saying why the file cannot be used."""
    from ehcaudit.analyse import analyse_pdf

    try:
        return analyse_pdf(path)
    except EhcauditError as exc:
        return str(exc)
    except MemoryError:
        return f"{path}: the PDF needs more memory to read than ehcaudit allows; export the plan to PDF again"
    except Exception as exc:  # noqa: BLE001 - one strange file must not stop a batch
        return f"{path}: could not be read ({type(exc).__name__}); check it opens in a PDF reader"


def _die_with_parent(parent: int) -> None:
    # Linux: the kernel kills us when the parent goes. Everywhere: a thread notices we were orphaned.
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker_main(conn: Connection, parent: int) -> None:
    """A worker: read each path sent, send back its result; stop at None or when the parent goes."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c is the parent's to handle; it stops us
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass
    import ehcaudit.analyse  # noqa: F401 - import before saying ready, so it is not charged to the first file

    conn.send(_READY)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        result = analyse_safely(Path(path))
        try:
            conn.send(result)
        except (OSError, EOFError):
            return
        except Exception:  # noqa: BLE001 - a result that cannot be sent back is still one line
            conn.send(f"{path}: could not be read (its text could not be passed back); check it opens in a PDF reader")


class _Worker:
    def __init__(self, context) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.path: Path | None = None
        self.started = 0.0

    def give(self, path: Path) -> None:
        self.conn.send(str(path))
        self.path, self.started = path, time.monotonic()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            if self.ready and self.path is None:
                self.conn.send(None)
                self.process.join(2)
        except OSError:
            pass
        self.kill()


def _stopped_line(path: Path, process) -> str:
    code = process.exitcode
    how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
    return f"{path}: the reader stopped while reading it ({how}); the PDF may be damaged or too large; get a fresh copy"


def timeout_line(path: Path, timeout: float) -> str:
    return (f"{path}: took longer than {timeout:g} s to read and was stopped; check it opens quickly in a PDF reader, "
            f"or import it on its own with a longer --timeout")


def analyse_all(paths: list[Path], *, jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT) -> Iterator[tuple[Path, object]]:
    """(path, AnalysedPlan or error line) for each file, in the order they finish.

    At most `jobs` files are read at once; a file still being read after `timeout` seconds
    (None or 0: no limit) is stopped and its line says so.
    """
    queue = deque(paths)
    if not queue:
        return
    context = multiprocessing.get_context("spawn")
    jobs = max(1, min(jobs, len(queue)))
    limit = timeout if timeout and timeout > 0 else None
    workers: list[_Worker] = []
    failed_starts = 0
    try:
        while queue or any(w.path for w in workers):
            while len(workers) < jobs and len(workers) < len(queue) + sum(1 for w in workers if w.path):
                workers.append(_Worker(context))
            for w in workers:
                if w.ready and w.path is None and queue:
                    w.give(queue.popleft())
            busy = [w for w in workers if w.path is not None]
            wait_for = None
            if limit is not None and busy:
                wait_for = max(0.0, min(w.started + limit for w in busy) - time.monotonic())
            for conn in wait([w.conn for w in workers], timeout=wait_for):
                w = next(w for w in workers if w.conn is conn)
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    w.kill()
                    workers.remove(w)
                    if w.path is not None:
                        yield w.path, _stopped_line(w.path, w.process)
                    elif not w.ready:
                        failed_starts += 1
                        if failed_starts >= 3:
                            raise EhcauditError("cannot start a process to read PDFs; check free memory and try --jobs 1")
                    continue
                if message == _READY:
                    w.ready = True
                    continue
                path, w.path = w.path, None
                yield path, message
            if limit is not None:
                now = time.monotonic()
                for w in [w for w in workers if w.path is not None and now - w.started >= limit]:
                    w.kill()
                    workers.remove(w)
                    yield w.path, timeout_line(w.path, limit)
    finally:
        for w in workers:
            w.stop()


def analyse_one(path: Path, *, timeout: float | None = DEFAULT_TIMEOUT):
    """One file's AnalysedPlan or error line, read within the time budget."""
    for _, result in analyse_all([path], jobs=1, timeout=timeout):
        return result
    raise AssertionError("unreachable: one path gives one result")
