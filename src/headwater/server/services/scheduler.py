"""The scheduler: creates deployments' scheduled runs ahead, applies catch-up policies,
and crashes claims that were never started.

Each pass, at time `now`:

1. creates the runs every active schedule of an unpaused deployment has due up to
   `now + horizon_seconds` (`settings.scheduler_horizon_seconds`, an hour by default;
   missed instants follow the deployment's catch-up policy);
2. skips (Cancelled, "Skipped") scheduler-made runs later than
   `settings.late_run_after_seconds` when the deployment's policy is "skip", or all
   but the newest when it is "latest";
3. marks Crashed the runs a worker claimed but never started (its process died),
   once the server has been up for `settings.zombie_after_seconds`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.server.services.base import Service

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["Scheduler"]


class Scheduler(Service):
    """Creates scheduled runs ahead (see the module docstring).

    Args:
        horizon_seconds: how far ahead runs are created (default:
            `settings.scheduler_horizon_seconds`).
        max_runs: at most this many runs per schedule per pass.
    """

    name = "scheduler"

    def __init__(self, store: Store, settings: Settings, *, interval: float | None = None,
                 horizon_seconds: float | None = None, max_runs: int = 100) -> None:
        super().__init__(store, settings, interval=interval)
        self.horizon_seconds = settings.scheduler_horizon_seconds if horizon_seconds is None else horizon_seconds
        self.max_runs = max_runs

    def run_once(self, now: float) -> int:
        late_after = self.settings.late_run_after_seconds
        changed = self.store.scheduling.schedule_runs(now, horizon_seconds=self.horizon_seconds,
                                                      max_runs=self.max_runs, late_after_seconds=late_after)
        changed += len(self.store.scheduling.skip_late_runs(now, late_after))
        after = self.settings.zombie_after_seconds
        if now - self.started_at >= after:
            changed += len(self.store.workers.crash_orphaned_claims(now, after))
        return changed
