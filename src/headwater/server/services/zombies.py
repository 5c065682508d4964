"""Flow runs whose process died: RUNNING, but no heartbeat for too long -> Crashed.

Engines heartbeat every `heartbeat_interval_seconds`; a run silent for
`zombie_after_seconds` is marked Crashed with its unfinished task runs. Right after
the server starts, client-mode engines may still hold heartbeats they could not send
while it was down, so the service judges nobody before it has been up that long.

The concurrency slots the crashed runs held (their leases record the flow run in
`holder["flow_run_id"]`, or Prefect's `{"type": "flow_run", "id": ...}`) are
released at once, rather than when their leases would have expired.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from headwater.server.services.base import Service

if TYPE_CHECKING:
    from headwater.store import Store

__all__ = ["ZombieRuns", "release_slots_of_runs"]

log = logging.getLogger("headwater.server.services")


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
        for info in store.list_concurrency_limits()
        for lease in info.holders
        if _flow_run_of(lease.holder) in runs
    }
    for lease_id in leases:
        store.release_concurrency_slots(lease_id)
    return len(leases)


class ZombieRuns(Service):
    """Marks Crashed the RUNNING flow runs that stopped heartbeating, and frees their slots."""

    name = "zombie-runs"

    def run_once(self, now: float) -> int:
        after = self.settings.zombie_after_seconds
        if now - self.started_at < after:
            return 0
        total = 0
        while True:
            crashed = self.store.crash_zombie_runs(now, after)
            total += len(crashed)
            released = release_slots_of_runs(self.store, crashed)
            if released:
                log.info("%s: released %d concurrency lease(s) of %d crashed flow run(s)", self.name, released,
                         len(crashed))
            if len(crashed) < 500 or self._stop.is_set():
                return total
