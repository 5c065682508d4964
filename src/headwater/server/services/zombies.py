"""Flow runs whose process died -> Crashed, with their unfinished task runs.

Each run's engine records its process ("host:pid:start", store/processes.py). When
that host is the server's own, the process is checked directly, every pass: a run
whose process is provably gone (no such pid, a zombie, or a pid reused by a later
process) is ended Crashed at once, without waiting for the heartbeat limit; a run whose
process provably runs is never declared dead, however late its heartbeat (a task
holding the GIL in a C call stops every thread of its process, the heartbeating one
included).

Runs of other hosts (or not recorded) are judged by their heartbeats: engines
heartbeat every `heartbeat_interval_seconds`; a run silent for
`zombie_after_seconds` is marked Crashed with its unfinished task runs. Only silence
the server could have heard counts: client-mode engines keep the heartbeats they could
not send while the server or its database was away and send them when it is back, so
the service judges nobody until it has been able to hear for that long again: after
the server starts, after its database comes back, and after the server process itself
did not run for a while (suspended, or stopped with SIGSTOP).

The concurrency slots the crashed runs held (their leases record the flow run in
`holder["flow_run_id"]`, or Prefect's `{"type": "flow_run", "id": ...}`) are
released at once, rather than when their leases would have expired.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from headwater.exceptions import StoreError
from headwater.server.services.base import Service

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["ZombieRuns", "release_slots_of_runs"]

log = logging.getLogger("headwater.server.services")

# How long a worker's run whose process is gone is left to its worker to end (with the
# exit code or signal) before the service ends it.
_WORKER_GRACE_S = 3.0

# Passes further apart than twice the interval and this much mean the process was not running.
_STALL_SLACK_S = 2.0


def _flow_run_of(holder: dict[str, Any]) -> Any:
    if holder.get("type") == "flow_run":
        return holder.get("id")
    return holder.get("flow_run_id")


def release_slots_of_runs(store: Store, flow_run_ids: Iterable[str]) -> int:
    """Release every concurrency lease held on behalf of these flow runs; how many.

    Only leases still held are read (a handful: one per running holder), so this is
    cheap even with many limits.
    """
    runs = set(flow_run_ids)
    if not runs:
        return 0
    leases = {
        lease.lease_id
        for info in store.limits.list_concurrency_limits()
        for lease in info.holders
        if _flow_run_of(lease.holder) in runs
    }
    for lease_id in leases:
        store.limits.release_concurrency_slots(lease_id)
    return len(leases)


class ZombieRuns(Service):
    """Marks Crashed the flow runs whose process is gone or that stopped heartbeating, and frees their slots."""

    name = "zombie-runs"

    def __init__(self, store: Store, settings: Settings, *, interval: float | None = None) -> None:
        super().__init__(store, settings, interval=interval)
        self._last_pass: float | None = None
        self._dead_first_seen: dict[tuple[str, str], float] = {}
        self._database_lost = False

    def run_once(self, now: float) -> int:
        after = self.settings.zombie_after_seconds
        if self._last_pass is not None and now - self._last_pass > 2 * self.interval + _STALL_SLACK_S:
            self.started_at = now  # this process did not run: the silence was not the engines'
        self._last_pass = now
        if self._database_lost:
            self.store.db.ping()  # raises while the database is still away
            self._database_lost = False
            self.started_at = now
        try:
            # A process provably gone is gone whatever the server heard: no waiting here.
            crashed = self._crash_dead_processes(now)
            if now - self.started_at >= after:
                crashed += self._crash_zombies(now, after)
        except StoreError:
            self._database_lost = True  # heartbeats cannot be written either
            raise
        return crashed

    def _crash_dead_processes(self, now: float) -> int:
        """End the runs whose recorded process on this host is gone (no heartbeat rule here:
        an infinite limit leaves the runs of other hosts to `_crash_zombies`)."""
        # When each worker's run was first found with its process gone; only those found
        # again are kept, so runs that ended meanwhile drop out.
        first_seen, seen_now = self._dead_first_seen, {}
        # (Under half the heartbeat limit, so that this, not the silence, ends the run.)
        grace = min(_WORKER_GRACE_S, self.settings.zombie_after_seconds / 2)

        def spare(run_id: str, process: str) -> bool:
            # A worker watches its run's process itself and reports its end with the exit
            # code or signal; the service ends the run only if it is still unfinished a
            # grace later (the worker is gone, or never noticed).
            seen = seen_now[run_id, process] = first_seen.get((run_id, process), now)
            return now - seen < grace

        crashed = self.store.maintenance.crash_dead_processes(now, math.inf, found_by="the server's zombie service",
                                                              spare=spare)
        self._dead_first_seen = seen_now
        released = release_slots_of_runs(self.store, crashed)
        if released:
            log.info("%s: released %d concurrency lease(s) of %d flow run(s) whose process is gone", self.name,
                     released, len(crashed))
        return len(crashed)

    def _crash_zombies(self, now: float, after: float) -> int:
        total = 0
        while True:
            crashed = self.store.maintenance.crash_zombie_runs(now, after)
            total += len(crashed)
            released = release_slots_of_runs(self.store, crashed)
            if released:
                log.info("%s: released %d concurrency lease(s) of %d crashed flow run(s)", self.name, released,
                         len(crashed))
            if len(crashed) < 500 or self._stop.is_set():
                return total
