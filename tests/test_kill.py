"""Killing the app mid-audit loses nothing: the real program, in a terminal, then SIGKILL."""

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import sys
import termios
import threading
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def query(db, sql, params=()):
    # A separate connection, like any other program reading the file.
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_killed_mid_audit_keeps_every_grade_and_note(plans_db_path, cli, isolated_home):
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real app in a 120x40 terminal
        env = {**os.environ, "TERM": "xterm-256color", "EHCAUDIT_HOME": str(isolated_home)}
        os.execvpe(sys.executable, [sys.executable, "-m", "ehcaudit.cli", "--db", str(plans_db_path), "--reviewer", "Kim"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    screen = bytearray()

    def drain():
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert wait_for(lambda: b"plan-01" in screen), "the plan list never appeared"
        os.write(fd, b"\r")
        assert wait_for(lambda: query(plans_db_path, "SELECT count(*) FROM audits")[0][0] == 1)
        time.sleep(0.5)
        os.write(fd, b"3")
        assert wait_for(lambda: query(plans_db_path, "SELECT grade FROM judgements") == [(3,)])
        os.write(fd, b"n")
        time.sleep(0.3)
        os.write(fd, b"2")
        assert wait_for(lambda: len(query(plans_db_path, "SELECT grade FROM judgements")) == 2)
        os.write(fd, b"m")
        time.sleep(0.5)
        os.write(fd, b"Views only from adults")
        time.sleep(0.3)
        os.write(fd, b"\x13")  # ctrl+s saves the note
        assert wait_for(lambda: query(plans_db_path, "SELECT note FROM judgements WHERE criterion_id = 'V2'") == [("Views only from adults",)])
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    result = cli("scores", "export", "--db", str(plans_db_path))
    lines = result.stdout.splitlines()
    assert "plan-01,Kim,V1,3,,2026-11,in_progress" in lines
    assert "plan-01,Kim,V2,2,Views only from adults,2026-11,in_progress" in lines
    # and the reviewer comes back to the criterion they were on
    assert query(plans_db_path, "SELECT current_criterion FROM audits") == [("V2",)]
