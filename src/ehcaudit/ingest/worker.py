"""A worker process that reads PDFs for reader_pool: paths in on stdin, results out on stdout (pickled).

It ends at end of input, and also when the process that started it goes away (Linux: the kernel
kills it; elsewhere a thread notices it was orphaned), so a killed import leaves no worker behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path

READY = "ready"
# A worker may use this much memory before a file is given up as too big (Linux and macOS).
MEMORY_BYTES = 3 << 30


def _die_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:  # the parent went before prctl took effect
            os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def main() -> None:
    """Read each path sent, send back its AnalysedPlan or error line; stop at end of input."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c is the parent's to handle; it stops us
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing printed by a library can get mixed into the results
    _limit_memory()
    from ehcaudit.ingest.pool import analyse_safely  # imported before "ready": not charged to the first file

    pickle.dump(READY, outbox)
    outbox.flush()
    while True:
        try:
            path = pickle.load(inbox)
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        if path is None:
            return
        result = analyse_safely(Path(path))
        try:
            data = pickle.dumps(result)
        except Exception:  # noqa: BLE001 - a result that cannot be sent back is still one line
            data = pickle.dumps(f"{path}: could not be read (its text could not be passed back); check it opens in a PDF reader")
        try:
            outbox.write(data)
            outbox.flush()
        except OSError:
            return


if __name__ == "__main__":
    main()
