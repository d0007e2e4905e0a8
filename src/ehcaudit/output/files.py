"""Writing files a user asked for (exports, the config): all or nothing, readable by their owner only.

A write goes to a temporary file in the same folder, which is renamed over the
target only once it is complete: a full disk or a crash leaves the previous
file as it was. New files are mode 0600, like the database: they hold
children's plans and reviewers' notes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ehcaudit.errors import EhcauditError


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a private temporary path beside `path`; on a clean exit it replaces `path` atomically.

    On any error the temporary file is removed and `path` is untouched. A target that exists but is
    not a regular file (/dev/stdout, a pipe, a device) is written through, never renamed over.
    """
    path = Path(path)
    special = path.exists() and not path.is_file()
    folder = None if special else (path.parent if str(path.parent) else Path("."))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # mkstemp: mode 0600
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if special:
            # Copied into the special file: its errors (a full device, a closed pipe) reach the caller.
            with open(path, "wb") as out:
                out.write(tmp.read_bytes())
            tmp.unlink()
            return
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: str | bytes) -> None:
    """Write the whole of `data` to `path` (mode 0600), or leave `path` as it was."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)


def wrote(what: str, path: Path) -> str:
    """The one line every export ends with, in the CLI and the app: "wrote the summary to board.xlsx"."""
    return f"wrote {what} to {path}"


def export_file(path: Path, data: str | bytes, what: str) -> str:
    """Write an export (all or nothing, mode 0600) and return the line saying so; a failed write is one
    EhcauditError line, and the previous file stays whole."""
    try:
        write_private(path, data)
    except OSError as exc:
        raise EhcauditError(f"{path}: cannot write ({exc.strerror or exc}); nothing else was changed") from None
    return wrote(what, path)
