"""The trigger service: reads the events as they are stored, evaluates every enabled
automation's trigger on them (and on the passing of time, for proactive triggers),
and has the firings' actions taken (`acting.ActionRunner`).

It runs in the server process only (`headwater server start`), as Prefect's
triggers service does: embedded flows' events are evaluated when a server on the same
database runs. How far it has read is kept in the store (`automation_cursor`) each
pass, so after a restart it reads on from there (looking back a little, for
transactions that committed late): no event is missed, and an event read twice fires
nothing twice, because each action is claimed under its firing's key first.
Two servers on one database both evaluate; the claim lets one of them act.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from headwater.server.services.base import Service

if TYPE_CHECKING:
    from headwater.core.automation_schemas import AutomationInfo
    from headwater.core.settings import Settings
    from headwater.server.services.acting import ActionRunner
    from headwater.server.services.triggers import TriggerState
    from headwater.store import Store
    from headwater.store.events import EventTail

__all__ = ["Automations"]

log = logging.getLogger("headwater.server.services")

CURSOR = "triggers"
_LOOKBACK_S = 5.0  # read again this far before the saved cursor after a restart
_PRUNE_EVERY_S = 600.0  # how often the record of old actions is trimmed


class Automations(Service):
    """Evaluate automations' triggers on new events and take their actions.

    Args:
        store: the server's store.
        settings: the server's settings (`automations_interval_seconds`).
        retry_delays: waits between attempts of a webhook or notification.
    """

    name = "automations"

    def __init__(self, store: Store, settings: Settings, *, interval: float | None = None,
                 retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)) -> None:
        super().__init__(store, settings, interval=interval if interval is not None
                         else settings.automations_interval_seconds)
        self.retry_delays = retry_delays
        self._tail: EventTail | None = None
        self._runner: ActionRunner | None = None
        self._version: tuple[int, float] | None = None
        self._automations: list[tuple[AutomationInfo, TriggerState]] = []
        self._pruned = 0.0

    def stop(self, timeout: float = 10.0) -> None:
        """Stop evaluating, then wait for the actions in progress."""
        super().stop(timeout)
        if self._runner is not None:
            self._runner.close()

    def _start_tail(self, now: float) -> EventTail:
        from headwater.store.events import EventTail

        saved = self.store.automations.read_cursor(CURSOR)
        if saved is None:
            return EventTail(self.store.events, start=now)
        received, state_id = saved
        return EventTail(self.store.events, start=received - _LOOKBACK_S, start_state_id=state_id)

    def _reload(self, now: float) -> None:
        from headwater.core.automation_schemas import AutomationFilter
        from headwater.server.services.triggers import trigger_state

        version = self.store.automations.version()
        if version == self._version:
            return
        kept = {str(a.id): (a, state) for a, state in self._automations}
        loaded: list[tuple[AutomationInfo, TriggerState]] = []
        for automation in self.store.automations.filter(AutomationFilter()):
            if not automation.enabled:
                continue
            had = kept.get(str(automation.id))
            if had is not None and had[0].updated == automation.updated:
                loaded.append(had)  # unchanged: keep its windows
                continue
            try:
                loaded.append((automation, trigger_state(automation.trigger, now)))
            except ValueError as exc:
                log.warning("automation %r is not evaluated: %s", automation.name, exc)
        self._automations = loaded
        self._version = version

    def run_once(self, now: float) -> int:
        """Read the new events, evaluate the triggers, start the firings' actions."""
        from headwater.operations import Operations
        from headwater.server.services.acting import ActionRunner

        if self._runner is None:
            self._runner = ActionRunner(Operations(self.store, self.settings), retry_delays=self.retry_delays)
        if self._tail is None:
            self._tail = self._start_tail(now)
        self._reload(now)
        events = self._tail.poll()
        started = 0
        for automation, state in self._automations:
            firings: list[Any] = []
            for event in events:
                firings += state.on_event(event, now)
            firings += state.on_time(now)
            for firing in firings:
                started += self._runner.fire(automation, firing)
        if events:
            self.store.automations.save_cursor(CURSOR, self._tail.cursor, self._tail.state_cursor)
        if now - self._pruned >= _PRUNE_EVERY_S:
            # The record of an action is kept as long as events are (long past any replay after a restart).
            self._pruned = now
            self.store.automations.prune_actions(now - self.settings.events_retention_days * 86400)
        return started
