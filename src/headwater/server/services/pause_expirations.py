"""Paused and suspended flow runs whose pause timeout passed become Failed.

A blocking pause fails its own run when its time is up (the waiting process raises
`FlowPauseTimeout`); a suspended run has no process left, so this service fails it, as
Prefect's `FailExpiredPauses` does: "The flow was paused and never resumed."
"""

from __future__ import annotations

from headwater.server.services.base import Service

__all__ = ["PauseExpirations"]


class PauseExpirations(Service):
    """Fails the paused runs whose `pause_timeout` has passed."""

    name = "pause-expirations"

    def run_once(self, now: float) -> int:
        return len(self.store.flow_run_input.fail_expired_pauses(now))
