"""Another process holding a SQLite file's write lock, for tests of waiting on it.

`SqliteLockHolder(path)` starts a Python process that opens the file, runs
`BEGIN IMMEDIATE` and says so on its stdout; `release()` tells it (through its stdin)
to commit, and waits until it has. No sleeps: each step waits on the pipe.

`wait_until_in_begin(thread)` waits (a bounded poll of the thread's stack) until a
thread is inside the store's `BEGIN IMMEDIATE`: the point where it waits for the lock.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType, TracebackType

from support import wait_for

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
connection.execute("COMMIT")
print("released", flush=True)
sys.stdin.readline()
"""


class SqliteLockHolder:
    """A separate process holding the write lock of the SQLite file at `path`."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, self.path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.pid = self.process.pid
        line = self._read_line()
        if line != "held":
            self.process.kill()
            raise AssertionError(f"the lock holder did not take the lock: {line!r} {self.process.stderr.read()!r}")
        self.held = True

    def _read_line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def release(self) -> None:
        """Commit the holder's transaction and wait until it has."""
        if not self.held:
            return
        assert self.process.stdin is not None
        self.process.stdin.write("commit\n")
        self.process.stdin.flush()
        assert self._read_line() == "released"
        self.held = False

    def close(self) -> None:
        """Release the lock (if held) and end the process."""
        try:
            if self.process.poll() is None:
                self.release()
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> SqliteLockHolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _in_begin(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "_on_begin" and frame.f_code.co_filename.endswith("connect.py"):
            return True
        frame = frame.f_back
    return False


def wait_until_in_begin(thread: threading.Thread, timeout: float = 30.0) -> None:
    """Wait until `thread` is inside the store's BEGIN (store/connect.py's begin hook),
    that is waiting for SQLite's write lock; fail if it ends or never gets there."""

    def waiting() -> bool:
        assert thread.is_alive(), "the call ended before waiting for the lock"
        assert thread.ident is not None
        return _in_begin(sys._current_frames().get(thread.ident))

    wait_for(waiting, timeout, "the call to wait for the SQLite write lock")
