"""A live progress line for flows with many task runs.

    Task runs: 812 done · 16 running · 2 failed · 170 waiting

Every task runner counts what happens to the runs submitted to it (a lock and an
integer per event: negligible next to a task run). Once more than `threshold` runs
have been submitted, and only if stderr is an interactive terminal, a rich `Live`
line shows the counts, refreshed a few times a second by rich's own thread. While it
is shown, headwater's console log lines are routed through rich so that they scroll
above the line instead of tearing it. When stderr is not a terminal (CI, a file, a
pipe) nothing extra is printed: the plain log lines are the record.
"""

from __future__ import annotations

import itertools
import logging
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live

__all__ = ["DEFAULT_THRESHOLD", "ProgressCounts", "ProgressSnapshot", "TaskRunProgress"]

DEFAULT_THRESHOLD = 50


class ProgressSnapshot(NamedTuple):
    """The counts at one instant."""

    done: int
    running: int
    failed: int
    waiting: int

    def describe(self) -> str:
        return (f"Task runs: {self.done} done · {self.running} running · {self.failed} failed"
                f" · {self.waiting} waiting")


class ProgressCounts:
    """What happened to the task runs of one runner: submitted, started, finished.

    `waiting` are submitted and not yet handed to a worker (held back by upstream
    futures, or queued); `running` were handed to a worker and have not finished.
    Counters are `itertools.count` objects: `next()` on one is atomic under the GIL, so
    counting takes no lock that a worker thread could hold while it waits for the GIL.
    """

    __slots__ = ("_submitted", "_started", "_completed", "_failed")

    def __init__(self) -> None:
        self._submitted = itertools.count(1)
        self._started = itertools.count(1)
        self._completed = itertools.count(1)
        self._failed = itertools.count(1)

    @staticmethod
    def _value(counter: itertools.count[int]) -> int:
        # repr is "count(N)" with N the next value: read it without taking it.
        return int(repr(counter)[6:-1]) - 1

    @property
    def submitted(self) -> int:
        return self._value(self._submitted)

    @property
    def started(self) -> int:
        return self._value(self._started)

    @property
    def completed(self) -> int:
        return self._value(self._completed)

    @property
    def failed(self) -> int:
        return self._value(self._failed)

    def on_submit(self) -> int:
        """Count a submitted run; returns how many have been submitted."""
        return next(self._submitted)

    def on_start(self) -> None:
        next(self._started)

    def on_finish(self, completed: bool) -> None:
        next(self._completed if completed else self._failed)

    def snapshot(self) -> ProgressSnapshot:
        completed, failed, submitted = self.completed, self.failed, self.submitted
        finished = completed + failed
        # A run that ends without being started (its upstream failed) is not running.
        started = max(self.started, finished)
        return ProgressSnapshot(completed, started - finished, failed, max(submitted - started, 0))


class TaskRunProgress:
    """Counts plus, past `threshold` submitted runs on a terminal, a live line.

    Args:
        threshold: show the line once more than this many runs were submitted.
        console: where to draw (default: a rich Console on stderr). The line is only
            drawn when `console.is_terminal`.
    """

    def __init__(self, threshold: int = DEFAULT_THRESHOLD, console: Console | None = None) -> None:
        self.counts = ProgressCounts()
        self.threshold = threshold
        self._console = console
        self._live: Live | None = None
        self._rerouted: list[tuple[logging.StreamHandler[Any], Any]] = []
        self._closed = False

    def on_submit(self) -> None:
        if self.counts.on_submit() == self.threshold + 1 and not self._closed:
            self._show()

    @property
    def shown(self) -> bool:
        """Whether the live line is on screen."""
        return self._live is not None

    def _show(self) -> None:
        from rich.console import Console

        console = self._console if self._console is not None else Console(stderr=True)
        if not console.is_terminal:
            return
        from rich.errors import LiveError
        from rich.live import Live

        live = Live(_Line(self.counts), console=console, refresh_per_second=4, transient=False,
                    redirect_stdout=True, redirect_stderr=True)
        original = sys.stderr
        try:
            live.start()
        except LiveError:  # another flow's line is showing (concurrent subflows): one is enough
            return
        self._live = live
        if sys.stderr is not original:
            self._reroute_log_lines(original)

    def close(self) -> None:
        """Draw the final counts and release the terminal."""
        self._closed = True
        live, self._live = self._live, None
        if live is None:
            return
        for handler, stream in self._rerouted:
            handler.setStream(stream)
        self._rerouted.clear()
        live.refresh()
        live.stop()

    def _reroute_log_lines(self, original: Any) -> None:
        # headwater's console handler holds the stderr it was given at start-up; while
        # the line is live it writes through rich's proxy (now sys.stderr) instead.
        for handler in logging.getLogger("headwater").handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (original, sys.__stderr__):
                self._rerouted.append((handler, handler.setStream(sys.stderr)))


class _Line:
    """The renderable rich asks for on each refresh: the counts, read then."""

    def __init__(self, counts: ProgressCounts) -> None:
        self.counts = counts

    def __rich__(self) -> Any:
        from rich.text import Text

        s = self.counts.snapshot()
        return Text.assemble(
            ("Task runs: ", "bold"), (f"{s.done} done", "green"), " · ", (f"{s.running} running", "cyan"),
            " · ", (f"{s.failed} failed", "red"), " · ", (f"{s.waiting} waiting", "dim"),
        )
