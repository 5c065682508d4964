"""Deleting history older than `HEADWATER_RETENTION_DAYS`, a small batch at a time.

Each batch (200 finished flow runs with everything under them) is one short write
transaction, with a pause between batches, so engines and API requests writing at
the same time are never held up for long. The ids of old record batches are pruned
here too, and events older than `HEADWATER_EVENTS_RETENTION_DAYS` (default 7).
"""

from __future__ import annotations

from headwater.server.services.base import Service

__all__ = ["Retention"]

_DAY = 86_400.0
_BATCH = 200
_PAUSE_S = 0.05
_EVENT_BATCH = 5000


class Retention(Service):
    """Deletes finished runs created more than `settings.retention_days` ago."""

    name = "retention"

    def run_once(self, now: float) -> int:
        self.store.maintenance.prune_received_batches(now - _DAY)
        self.prune_events(now)
        days = self.settings.retention_days
        if days is None:
            return 0
        cutoff = now - days * _DAY
        total = 0
        while not self._stop.is_set():
            deleted = self.store.maintenance.delete_old_history(cutoff, batch_size=_BATCH)
            total += deleted
            if deleted < _BATCH:
                break
            self._stop.wait(_PAUSE_S)  # let other writers in between batches
        return total

    def prune_events(self, now: float) -> int:
        """Delete events older than `settings.events_retention_days`; returns how many."""
        cutoff = now - self.settings.events_retention_days * _DAY
        total = 0
        while not self._stop.is_set():
            deleted = self.store.events.prune(cutoff, batch_size=_EVENT_BATCH)
            total += deleted
            if deleted < _EVENT_BATCH:
                break
            self._stop.wait(_PAUSE_S)
        return total
