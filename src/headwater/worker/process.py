"""One flow run's process, as the worker sees it: start, cancel, stop, reap.

The process is `python -m headwater.worker.child` (see worker/child.py) in its own
session, so a Ctrl+C meant for the worker does not reach it; the worker decides
what happens to it. Its stdin is a pipe only the worker holds: when the worker dies,
the child reads end-of-file and stops its run (and the subprocesses it started).

The child leads its own process group, and the flow's own subprocesses are in it: the
worker signals the whole group, so that cancelling or stopping a run, or its process
dying, leaves nothing of it running. A subprocess that made a session of its own left
the group on purpose and is not followed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import ClaimedRun

__all__ = ["FlowRunProcess", "describe_exit"]


def describe_exit(code: int) -> str:
    """A process's exit status in words: "exit code 3" or "killed by SIGKILL (exit code -9)"."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name} (exit code {code})"
    return f"exit code {code}"


class FlowRunProcess:
    """A started child process running one claimed flow run.

    Attributes:
        run: what was claimed.
        stop_reason: None while it runs undisturbed; "cancel" or "shutdown" once asked to stop.
        kill_at: when (monotonic) to SIGKILL it if it has not exited after being asked to stop.
    """

    def __init__(self, run: ClaimedRun, env: dict[str, str], *, command: list[str] | None = None,
                 cwd: str | None = None, stream_output: bool = True) -> None:
        from headwater.worker.types.base import child_payload

        self.run = run
        self.stop_reason: str | None = None
        self.kill_at: float | None = None
        self._group_ended = False
        child_env = dict(env)
        child_env["HEADWATER_FLOW_RUN_ID"] = run.flow_run_id
        quiet = None if stream_output else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            command or [sys.executable, "-m", "headwater.worker.child"], stdin=subprocess.PIPE, env=child_env,
            cwd=cwd, stdout=quiet, stderr=quiet, start_new_session=True,
        )
        self._write(child_payload(run))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _write(self, text: str) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # it has exited; reaping will tell

    def poll(self) -> int | None:
        """The exit status once it has exited, else None.

        Once it has exited (stopped, or died by a signal or a crash), whatever is left of
        its process group gets SIGKILL: the run has ended, its subprocesses go with it.
        """
        code = self.proc.poll()
        if code is not None and not self._group_ended and (self.stop_reason is not None or code not in (0, 1, 2)):
            self._group_ended = True
            self._signal(signal.SIGKILL)
        return code

    def stop(self, reason: str, grace_seconds: float) -> None:
        """Tell it why, send SIGTERM, and plan a SIGKILL after `grace_seconds`."""
        if self.stop_reason is not None:
            return
        self.stop_reason = reason
        self._write(f"{reason}\n")
        self._signal(signal.SIGTERM)
        self.kill_at = time.monotonic() + grace_seconds

    def kill_if_overdue(self, now: float) -> bool:
        """SIGKILL it when its grace period is over; whether it was killed now."""
        if self.kill_at is not None and now >= self.kill_at and self.poll() is None:
            self._signal(signal.SIGKILL)
            self.kill_at = None
            return True
        return False

    def _signal(self, signum: int) -> None:
        """Signal its process group (its id is the child's pid: it leads its session)."""
        try:
            os.killpg(self.proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        """Release the pipe (after it exited)."""
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
