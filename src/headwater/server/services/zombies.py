"""Flow runs whose process died: RUNNING, but no heartbeat for too long -> Crashed.

Engines heartbeat every `heartbeat_interval_seconds`; a run silent for
`zombie_after_seconds` is marked Crashed with its unfinished task runs. Right after
the server starts, client-mode engines may still hold heartbeats they could not send
while it was down, so the service judges nobody before it has been up that long.
"""

from __future__ import annotations

from headwater.server.services.base import Service

__all__ = ["ZombieRuns"]


class ZombieRuns(Service):
    """Marks Crashed the RUNNING flow runs that stopped heartbeating."""

    name = "zombie-runs"

    def run_once(self, now: float) -> int:
        after = self.settings.zombie_after_seconds
        if now - self.started_at < after:
            return 0
        total = 0
        while True:
            crashed = self.store.crash_zombie_runs(now, after)
            total += len(crashed)
            if len(crashed) < 500 or self._stop.is_set():
                return total
