"""`EndReporter`: how a task worker's runs ended reaches the control plane.

An ended run is reported in one of two ways, each after the worker's history writer
has stored the run's states (a waiter that sees the end sees the run):

- carried by the worker's next claim (`take()`), in the same write as the claim: the
  usual way while the queue is busy, one transaction for the ends and the next runs;
- or by the reporter's own thread (`run()`), when no claim is about to carry it: the
  claimer is waiting for work to arrive or runs trickle in, or an end has waited
  `_CARRY_WITHIN_SECONDS`. While the claimer's claims get all they ask for (the queue
  is busy), the reporter leaves the ends to the claim that follows.

A report that fails is sent again with the next (the runs' leases are renewed by the
heartbeat meanwhile), so a run that ended is never given back as if its worker died.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.core.background_schemas import BackgroundFinish, BackgroundRunEnd

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.orchestrator.base import Orchestrator

__all__ = ["EndReporter"]

_REPORT_AFTER_SECONDS = 0.02  # an end the claimer has not carried by then is reported on its own...
_CARRY_WITHIN_SECONDS = 0.1  # ... unless the claimer is claiming runs (it carries it), up to this age

log = logging.getLogger("headwater.task_worker")


class EndReporter:
    """Reports ended runs for the task worker `worker` and calls `heartbeat` every third of the lease.

    Args:
        worker: the task worker's name.
        transport: the control plane.
        orchestrator: the worker's orchestrator (its history is flushed before each report).
        heartbeat: sends the worker's heartbeat (renewing its leases).
    """

    def __init__(self, worker: str, transport: Transport, orchestrator: Orchestrator,
                 heartbeat: Callable[[], None]) -> None:
        self._worker = worker
        self._transport = transport
        self._orchestrator = orchestrator
        self._heartbeat = heartbeat
        self._ended: queue.SimpleQueue[tuple[float, BackgroundRunEnd] | None] = queue.SimpleQueue()
        self._unreported: dict[str, BackgroundRunEnd] = {}  # taken by the reporter, not yet reported
        self._lock = threading.Lock()
        self._claim_over = threading.Condition(self._lock)
        self._claiming = False

    def ended(self, end: BackgroundRunEnd) -> None:
        """A run ended: report it (with the next claim, or on its own)."""
        self._ended.put((time.monotonic(), end))

    def unreported(self) -> list[str]:
        """The ids of ended runs not reported yet (their leases must still be renewed)."""
        with self._lock:
            return list(self._unreported)

    def take(self) -> list[BackgroundRunEnd]:
        """The ended runs not yet taken, for the claimer to carry (history flushed first)."""
        taken: list[BackgroundRunEnd] = []
        while True:
            try:
                item = self._ended.get_nowait()
            except queue.Empty:
                return taken
            if item is None:  # the reporter's stop signal: put back for it
                self._ended.put(None)
                return taken
            taken.append(item[1])

    def give_back(self, ends: list[BackgroundRunEnd]) -> None:
        """Ends a claim could not deliver: the reporter sends them again."""
        with self._lock:
            self._unreported.update((end.task_run_id, end) for end in ends)

    @property
    def busy(self) -> bool:
        """Whether the claimer said it will claim again soon (`claiming(True)`)."""
        return self._claiming

    def claiming(self, active: bool) -> None:
        """Whether the claimer will claim again soon without waiting for work (that claim
        carries the ends that come meanwhile)."""
        with self._lock:
            self._claiming = active
            if not active:
                self._claim_over.notify_all()

    def stop(self) -> None:
        """Report what is left and end `run()`."""
        self._ended.put(None)

    def run(self, lease: float) -> None:
        """The reporter's thread: report, heartbeat every third of `lease`, until `stop()`."""
        every = lease / 3
        next_beat = time.monotonic() + every
        done = False
        while not done:
            try:
                item = self._ended.get(timeout=max(0.0, next_beat - time.monotonic()))
                if item is None:
                    done = True
                elif not self._leave_to_claimer(item, next_beat):
                    # Give the claimer a moment to carry it (one write for ends and claim).
                    time.sleep(max(0.0, item[0] + _REPORT_AFTER_SECONDS - time.monotonic()))
                    self.give_back([item[1], *self.take()])
            except queue.Empty:
                pass
            with self._lock:
                pending = list(self._unreported.values())
            if pending:
                self._finish(pending)
            if time.monotonic() >= next_beat:
                self._heartbeat()
                next_beat = time.monotonic() + every
        self.give_back(self.take())
        for _ in range(10):  # stopping: a last few tries for what could not be reported
            with self._lock:
                pending = list(self._unreported.values())
            if not pending:
                break
            self._finish(pending)
            if self._unreported:
                time.sleep(0.5)

    def _leave_to_claimer(self, item: tuple[float, BackgroundRunEnd], next_beat: float) -> bool:
        """While the claimer is claiming and `item` is young, put it back for the next
        claim and wait until the claimer stops or `item` is old; True when put back."""
        with self._lock:
            if not self._claiming or time.monotonic() - item[0] >= _CARRY_WITHIN_SECONDS:
                return False
            self._ended.put(item)
            self._claim_over.wait_for(lambda: not self._claiming,
                                      max(0.0, min(next_beat, item[0] + _CARRY_WITHIN_SECONDS) - time.monotonic()))
        time.sleep(0.001)  # let the claimer take them for its next claim first
        return True

    def _finish(self, batch: list[BackgroundRunEnd]) -> None:
        try:
            self._orchestrator.flush(timeout=30)  # history first: a waiter that sees the end sees the run
            self._transport.finish_background_task_runs(BackgroundFinish(worker=self._worker, ended=batch))
        except Exception:  # the control plane is away: sent again with the next report
            log.warning("task worker %s could not report %d finished run(s); trying again", self._worker,
                        len(batch), exc_info=True)
            return
        with self._lock:
            for end in batch:
                self._unreported.pop(end.task_run_id, None)
