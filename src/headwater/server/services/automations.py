"""The trigger service: reads the events as they are stored, evaluates every enabled
automation's trigger on them (and on the passing of time, for proactive triggers),
and has the firings' actions taken (`acting.ActionRunner`).

It runs in the server process only (`headwater server start`), as Prefect's
triggers service does: embedded flows' events are evaluated when a server on the same
database runs. How far it has read is kept in the store (`automation_cursor`) each
pass, and how far in time it has evaluated (`triggers-clock`, about every second).

After a restart the windows are rebuilt before anything new is evaluated: the events
stored over twice the longest `within` of the enabled automations before the saved
position are fed again through fresh trigger states (each at its own `received`
time), then the service reads on. What the stopped server had already evaluated acts
on nothing again: firings up to its clock (less the look-back for late commits) are
not acted on, and where its record of actions shows a firing the replay did not
reproduce (its window began before the replay's), the window is cleared as it was
then. So a threshold counts on across a restart, a proactive period that ended while
the server was down fires once when it starts, and an event read twice fires nothing
twice, because each action is claimed under its firing's key first. Two servers on
one database both evaluate; the claim lets one of them act.
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
CLOCK = "triggers-clock"  # how far in time the triggers were evaluated
_LOOKBACK_S = 5.0  # read again this far before the saved cursor after a restart
_CLOCK_EVERY_S = 1.0  # how often the clock is saved
_RECORD_LIMIT = 5000  # the actions per automation a replay looks up
_REPLAY_MAX_S = 86400.0  # a replay reads at most a day of events (a start stays bounded)
_PRUNE_EVERY_S = 600.0  # how often the record of old actions is trimmed


def _updated(automation: AutomationInfo) -> float:
    """When the automation was created or last changed (where its proactive grid starts)."""
    return automation.updated.timestamp() if automation.updated else 0.0


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
        self._clock_saved = 0.0
        self._done_until: float | None = None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop evaluating, then wait for the actions in progress."""
        super().stop(timeout)
        if self._runner is not None:
            self._runner.close()

    def _start_tail(self, now: float) -> EventTail:
        """The tail to read events from; after a restart, the stopped server's windows
        are rebuilt from the stored events first (see the module docstring)."""
        from headwater.server.services.triggers import longest_window, trigger_state
        from headwater.store.events import EventTail

        saved = self.store.automations.read_cursor(CURSOR)
        clock_saved = self.store.automations.read_cursor(CLOCK)
        if saved is None and clock_saved is None:
            return EventTail(self.store.events, start=now)
        received, state_id = saved or (clock_saved[0] if clock_saved else now, None)
        evaluated = max(received, clock_saved[0] if clock_saved else received)
        span = min(_REPLAY_MAX_S, 2 * max((longest_window(a.trigger) for a, _ in self._automations), default=0.0))
        if span <= 0:
            return EventTail(self.store.events, start=received - _LOOKBACK_S, start_state_id=state_id)
        since = min(received - _LOOKBACK_S, evaluated - span)
        self._automations = [(a, trigger_state(a.trigger, since, anchor=_updated(a))) for a, _ in self._automations]
        first_state = self.store.events.state_id_before(since)
        tail = EventTail(self.store.events, start=since,
                         start_state_id=first_state if state_id is None else min(state_id, first_state))
        recorded = {str(a.id): {action.event_id for action in self.store.automations.list_actions(
            str(a.id), limit=_RECORD_LIMIT)} for a, _ in self._automations}
        replayed, then = 0, since
        while True:
            batch = tail.poll()
            replayed += len(batch)
            if batch:
                then = max(then, min(now, max(e.received.timestamp() for e in batch)))
            self._feed(batch, then, done_until=evaluated, recorded=recorded)
            if len(batch) < 1000:
                break
        log.info("automations: replayed %d events from %.1f s before the last evaluation", replayed,
                 evaluated - since)
        self._done_until = evaluated
        return tail

    def _feed(self, events: list[Any], now: float, *, done_until: float | None = None,
              recorded: dict[str, set[str]] | None = None) -> int:
        """Evaluate events (oldest received first, each at its own time, none later than
        `now`), then the time `now`, and start the firings' actions; in a replay, not
        those the stopped server saw (up to `done_until`; `recorded`: its firings)."""
        started = 0
        for event in sorted(events, key=lambda e: e.received):
            at = min(event.received.timestamp(), now)
            for automation, state in self._automations:
                if recorded is not None and at < _updated(automation):
                    continue  # a replay: stored before this version of the automation was loaded
                firings = state.on_time(at) + state.on_event(event, at)
                if recorded is not None and not any(f.event is event for f in firings) \
                        and str(event.id) in recorded.get(str(automation.id), ()) and hasattr(state, "clear"):
                    state.clear(event)  # fired on it before the restart, from a longer window
                started += self._act(automation, firings, done_until)
        for automation, state in self._automations:
            started += self._act(automation, state.on_time(now), done_until)
        return started

    def _act(self, automation: AutomationInfo, firings: list[Any], done_until: float | None) -> int:
        assert self._runner is not None
        started = 0
        for firing in firings:
            if done_until is not None and firing.at <= done_until - (0.0 if firing.event is None else _LOOKBACK_S):
                continue  # evaluated by the stopped server already
            started += self._runner.fire(automation, firing)
        return started

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
                loaded.append((automation, trigger_state(automation.trigger, now, anchor=_updated(automation))))
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
        self._reload(now)
        started = 0
        if self._tail is None:
            self._tail = self._start_tail(now)
            started = self._feed([], now, done_until=self._done_until)
            self._done_until = None
        events = self._tail.poll()
        started += self._feed(events, now)
        if events:
            self.store.automations.save_cursor(CURSOR, self._tail.cursor, self._tail.state_cursor)
        if now - self._clock_saved >= _CLOCK_EVERY_S:
            self._clock_saved = now
            self.store.automations.save_cursor(CLOCK, now, 0)
        if now - self._pruned >= _PRUNE_EVERY_S:
            # The record of an action is kept as long as events are (long past any replay after a restart).
            self._pruned = now
            self.store.automations.prune_actions(now - self.settings.events_retention_days * 86400)
        return started
