"""Scheduled flow runs that did not start on time become "Late" (still SCHEDULED)."""

from __future__ import annotations

from headwater.server.services.base import Service

__all__ = ["LateRuns"]


class LateRuns(Service):
    """Marks Late the runs due more than `settings.late_run_after_seconds` ago."""

    name = "late-runs"

    def run_once(self, now: float) -> int:
        total = 0
        while True:
            marked = self.store.maintenance.mark_late_runs(now, self.settings.late_run_after_seconds)
            total += len(marked)
            if len(marked) < 500 or self._stop.is_set():
                return total
