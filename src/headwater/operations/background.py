"""`BackgroundOperations`: background task runs (`Operations` inherits it).

Two calls may wait: a claim with `wait_seconds` waits for a run of the worker's tasks
to arrive, and a status request with `wait_seconds` waits for one of its runs to end.
Both look again every `background_poll_seconds` (cheap reads; another process may have
written), and at once when this process itself queued or finished a run: so an idle
worker on the server hears of a run the moment it is queued, without polling over HTTP.

A queued run wakes one waiting claim that serves its task (the one waiting longest),
not all of them: each woken claim reads the queue and most would then write a claim
that finds nothing, and through a server that made every `delay()` cost about five
reads and one and a half claim transactions. A claim registers before it looks, so a
run queued between its look and its wait still wakes it; a claim that returns holding
a wake-up it did not use passes it on. Finished runs wake the status waiters (one
condition per process).
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

# Notified when this process finishes a background run: status waiters look again.
_changed = threading.Condition()


class _ClaimWaiter:
    """One waiting claim: its task keys, and the key of the run that woke it, if any."""

    __slots__ = ("event", "keys", "woken_for")

    def __init__(self, keys: list[str]) -> None:
        self.keys = frozenset(keys)
        self.event = threading.Event()
        self.woken_for: str | None = None


# The claims of this process waiting for runs, longest waiting first.
_claim_waiters: list[_ClaimWaiter] = []
_claim_waiters_lock = threading.Lock()


def _wake_claim(task_key: str) -> None:
    """Wake the claim that has waited longest for runs of `task_key` (if one waits)."""
    with _claim_waiters_lock:
        for i, waiter in enumerate(_claim_waiters):
            if task_key in waiter.keys:
                del _claim_waiters[i]
                waiter.woken_for = task_key
                waiter.event.set()
                return


def _register_claim(keys: list[str]) -> _ClaimWaiter:
    waiter = _ClaimWaiter(keys)
    with _claim_waiters_lock:
        _claim_waiters.append(waiter)
    return waiter


def _unregister_claim(waiter: _ClaimWaiter) -> None:
    with _claim_waiters_lock:
        try:
            _claim_waiters.remove(waiter)
        except ValueError:  # woken: taken off the list by the waker
            pass


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
        _wake_claim(body.task_key)

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
            waiter = _register_claim(body.task_keys)  # before looking: a run queued after the look wakes it
            try:
                claimed = []
                if background.has_work(body.task_keys, clock.now()):
                    claimed = background.claim(body)
                left = deadline - time.monotonic()
                if not claimed and left > 0:
                    waiter.event.wait(min(poll, left))
                    continue  # woken (a run was queued) or the poll: look again
            finally:
                _unregister_claim(waiter)
            if waiter.woken_for is not None:
                # Woken while looking, for a run this claim may not have taken: another waiter looks.
                _wake_claim(waiter.woken_for)
            return claimed

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
