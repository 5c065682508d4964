"""`BackgroundOperations`: background task runs (`Operations` inherits it).

Two calls may wait: a claim with `wait_seconds` waits for a run of the worker's tasks
to arrive, and a status request with `wait_seconds` waits for one of its runs to end.
Both look again every `background_poll_seconds` (cheap reads; another process may have
written), and at once when this process itself queued or finished a run (one
condition per process): so an idle worker on the server hears of a run the moment it
is queued, without polling over HTTP.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.core.background_schemas import (
        BackgroundClaimRequest,
        BackgroundFinish,
        BackgroundRunCreate,
        BackgroundRunInfo,
        BackgroundRunStatus,
        BackgroundStatusRequest,
        ClaimedBackgroundRun,
        TaskWorkerHeartbeat,
        TaskWorkerInfo,
    )
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["BackgroundOperations"]

# Notified when this process queues or finishes a background run: waiters look again.
_changed = threading.Condition()


def _notify() -> None:
    with _changed:
        _changed.notify_all()


def _pause(seconds: float) -> None:
    with _changed:
        _changed.wait(seconds)


class BackgroundOperations:
    """Queue, claim, renew, finish and watch background task runs; list task workers."""

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

    def create_background_task_run(self, body: BackgroundRunCreate) -> None:
        """Queue a task run for a task worker (SCHEDULED); queuing the same id again does nothing."""
        self.store.background.create(body)
        _notify()

    def claim_background_task_runs(self, body: BackgroundClaimRequest, *,
                                   poll_seconds: float | None = None) -> list[ClaimedBackgroundRun]:
        """Record the worker's ended runs (`body.ended`) and claim runs of its tasks,
        waiting up to `body.wait_seconds` for one, looking again every `poll_seconds`
        (default `background_poll_seconds`; the server passes more: runs queued through
        it wake its waiters at once)."""
        from headwater.core import clock

        deadline = time.monotonic() + body.wait_seconds
        poll = poll_seconds or self.settings.background_poll_seconds
        background = self.store.background
        if body.ended:
            claimed = background.claim(body)
            _notify()
            if claimed or body.wait_seconds <= 0:
                return claimed
            body = body.model_copy(update={"ended": []})
        while True:
            if background.has_work(body.task_keys, clock.now()):
                claimed = background.claim(body)
                if claimed:
                    return claimed
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            _pause(min(poll, left))

    def finish_background_task_runs(self, body: BackgroundFinish) -> int:
        """Record how a worker's runs ended; returns how many were still its own."""
        done = self.store.background.finish(body)
        _notify()
        return done

    def task_worker_heartbeat(self, body: TaskWorkerHeartbeat) -> None:
        """A task worker is alive: renew the leases of the runs it still runs."""
        self.store.background.heartbeat(body)

    def read_background_task_runs(self, body: BackgroundStatusRequest, *,
                                  poll_seconds: float | None = None) -> list[BackgroundRunStatus]:
        """Where these runs stand; with `wait_seconds`, once one has ended (or time is up)."""
        deadline = time.monotonic() + body.wait_seconds
        poll = poll_seconds or self.settings.background_poll_seconds
        while True:
            found = self.store.background.statuses(body.ids)
            left = deadline - time.monotonic()
            if left <= 0 or any(s.status == "DONE" for s in found):
                return found
            _pause(min(poll, left))

    def list_background_task_runs(self, limit: int = 200) -> tuple[list[BackgroundRunInfo], dict[str, int]]:
        """The runs waiting or running, oldest first, and the count per status."""
        return self.store.background.list_waiting(limit=limit)

    def list_task_workers(self) -> list[TaskWorkerInfo]:
        """The task workers with their status."""
        return self.store.background.list_task_workers()
