"""Evaluating triggers: each automation's trigger as a small state machine fed the
events one by one (`on_event`) and the passing of time (`on_time`), returning the
firings it produced.

- Reactive `EventTrigger`: per bucket (the values of its `for_each` labels), a window of
  `within` opened by the first expected event; `threshold` events in it fire it at once,
  and the window's remaining time is dead (a burst fires once per window). With
  `within` 0, every `threshold` events fire. With `after`, expected events count only
  once an `after` event opened the bucket, which closes when it fires (or its `within`
  ends).
- Proactive `EventTrigger`: without `after`, consecutive periods of `within` follow one
  another on a grid that starts when the automation was created or last changed; a
  period with fewer than `threshold` expected events fires at its end (once, however
  many periods a stopped server missed: the next period is the one holding the
  present). With `after`, a bucket opens on the `after` event with a deadline `within`
  later; `threshold` expected events before it close the bucket, else it fires then.
- `CompoundTrigger`: fires when `require` of its triggers fired within `within`;
  `SequenceTrigger`: when its triggers fired in their order within `within`.

A firing's `key` names it uniquely for its automation (the triggering event's id, or
the bucket and deadline of a proactive one): the key under which its actions are
claimed, so the same firing seen again (after a restart) takes no action twice.
Everything depends on the events' own times (`received`) and the automation's grid,
never on when the service happened to look, so replaying the stored events after a
restart (services/automations.py) rebuilds the windows the stopped server had.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from headwater.core.triggers import CompoundTrigger, EventTrigger, Posture, SequenceTrigger, event_name_matches

if TYPE_CHECKING:
    from headwater.core.event_schemas import ReceivedEvent

__all__ = ["Firing", "TriggerState", "longest_window", "trigger_state"]


@dataclass
class Firing:
    """A trigger fired: its unique key, the event that completed it (None for a
    proactive firing), the for_each labels of its bucket and when it fired (the event's
    time, or the proactive deadline)."""

    key: str
    event: Optional[ReceivedEvent]
    labels: dict[str, str] = field(default_factory=dict)
    at: float = 0.0


def _label(event: ReceivedEvent, name: str) -> str:
    if name.startswith("related:"):
        _, role, label = (name.split(":", 2) + ["", ""])[:3]
        for related in event.related:
            if related.get("prefect.resource.role") == role:
                return related.get(label) or ""
        return ""
    return event.resource.get(name) or ""


# How far before a reactive window's first event it still counts events stored out of
# order (Prefect's "preceding event lookback").
_LOOKBACK = 15 * 60.0


@dataclass
class _Bucket:
    opened: Optional[float] = None
    deadline: Optional[float] = None
    count: int = 0
    times: deque[float] = field(default_factory=deque)


class _EventState:
    def __init__(self, trigger: EventTrigger, now: float, anchor: float) -> None:
        self.trigger = trigger
        self.within = trigger.within.total_seconds()
        self.anchor = anchor
        self.labels = sorted(trigger.for_each)
        self.buckets: dict[tuple[str, ...], _Bucket] = {}
        self.proactive = trigger.posture == Posture.Proactive
        self.next_deadline = math.inf  # no bucket's deadline is earlier
        if self.proactive and not trigger.after and not self.labels:
            self._open_period(self.buckets.setdefault((), _Bucket()), now)

    def _period_start(self, now: float) -> float:
        """The start of the grid period holding `now`."""
        if self.within <= 0 or now <= self.anchor:
            return max(now, self.anchor) if self.within <= 0 else self.anchor
        return self.anchor + math.floor((now - self.anchor) / self.within) * self.within

    def _open_period(self, bucket: _Bucket, now: float) -> None:
        bucket.opened = self._period_start(now)
        bucket.deadline = bucket.opened + self.within
        bucket.count = 0
        self.next_deadline = min(self.next_deadline, bucket.deadline)

    def _open(self, bucket: _Bucket, now: float, deadline: Optional[float]) -> None:
        bucket.opened, bucket.deadline, bucket.count = now, deadline, 0
        bucket.times.clear()
        if deadline is not None:
            self.next_deadline = min(self.next_deadline, deadline)

    def on_event(self, event: ReceivedEvent, now: float) -> list[Firing]:
        trigger = self.trigger
        if not trigger.selects(event.resource, event.related):
            return []
        key = tuple(_label(event, label) for label in self.labels)
        labels = dict(zip(self.labels, key))
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket()
            if self.proactive and not trigger.after:
                self._open_period(bucket, now)
        is_after = bool(trigger.after) and event_name_matches(trigger.after, event.event)
        expected = not trigger.expect or event_name_matches(trigger.expect, event.event)
        if is_after and bucket.opened is None:
            self._open(bucket, now, now + self.within if (self.proactive or self.within) else None)
            return []
        if not expected or (trigger.after and bucket.opened is None):
            return []
        if self.proactive:
            bucket.count += 1
            if trigger.after and bucket.count >= trigger.threshold:  # satisfied: the bucket closes
                bucket.opened = bucket.deadline = None
            return []  # (without `after`, a satisfied period runs to its end)
        when = event.occurred.timestamp()
        if self.within and not trigger.after:
            return self._count_in_window(bucket, event, labels, when, now)
        bucket.times.append(when)
        if len(bucket.times) >= trigger.threshold:
            self.clear(event)
            return [Firing(str(event.id), event, labels, now)]
        return []

    def _count_in_window(self, bucket: _Bucket, event: ReceivedEvent, labels: dict[str, str], when: float,
                         now: float) -> list[Firing]:
        """A reactive window of `within`, as Prefect counts it: it opens at the first
        expected event (reaching back `_LOOKBACK` for events stored out of order), fires as
        soon as `threshold` events fall in it, ignores the rest of its time, and the next
        window follows it directly; an event after a window that did not fire opens a new
        one. (Not a sliding window: a burst fires once per window, which is what debouncing
        with `within` relies on.)"""
        if bucket.opened is None or bucket.deadline is None:
            bucket.opened, bucket.deadline, bucket.count = when - _LOOKBACK, when + self.within, 0
        if when < bucket.opened:
            return []  # late, or the rest of a window that already fired
        if when >= bucket.deadline:
            bucket.opened, bucket.deadline, bucket.count = when, when + self.within, 0
        bucket.count += 1
        if bucket.count < self.trigger.threshold:
            return []
        self._after_firing(bucket, when)
        return [Firing(str(event.id), event, labels, now)]

    def _after_firing(self, bucket: _Bucket, when: float) -> None:
        if bucket.opened is not None and bucket.deadline is not None and bucket.opened <= when < bucket.deadline:
            end = bucket.deadline
        else:  # a window the replay did not rebuild: assume the latest it could have ended
            end = when + self.within
        bucket.opened, bucket.deadline, bucket.count = end, end + self.within, 0

    def clear(self, event: ReceivedEvent) -> None:
        """Start counting again in the event's bucket, as after a firing on it (a replay
        does so where the stopped server's record shows it fired)."""
        key = tuple(_label(event, label) for label in self.labels)
        if self.proactive:
            return
        if self.within and not self.trigger.after:
            self._after_firing(self.buckets.setdefault(key, _Bucket()), event.occurred.timestamp())
            return
        bucket = self.buckets.get(key)
        if bucket is None:
            return
        bucket.times.clear()
        if self.trigger.after:
            bucket.opened = bucket.deadline = None

    def on_time(self, now: float) -> list[Firing]:
        if now < self.next_deadline or not (self.proactive or self.trigger.after):
            return []  # (a reactive window without `after` moves only with events)
        fired = []
        upcoming = math.inf
        for key, bucket in self.buckets.items():
            if bucket.deadline is not None and bucket.deadline <= now:
                if self.proactive:
                    deadline = bucket.deadline
                    if bucket.count < self.trigger.threshold:
                        fired.append(Firing(f"proactive:{'|'.join(key)}:{deadline:.3f}", None,
                                            dict(zip(self.labels, key)), deadline))
                    if self.trigger.after:
                        bucket.opened = bucket.deadline = None
                    else:  # the period holding the present (missed ones fire once, above)
                        self._open_period(bucket, max(now, deadline))
                else:  # a reactive window opened by `after` ran out
                    bucket.opened = bucket.deadline = None
                    bucket.times.clear()
            if bucket.deadline is not None:
                upcoming = min(upcoming, bucket.deadline)
        self.next_deadline = upcoming
        return fired


class _CompositeState:
    def __init__(self, trigger: Union[CompoundTrigger, SequenceTrigger], now: float, anchor: float) -> None:
        self.trigger = trigger
        self.children = [trigger_state(child, now, anchor=anchor) for child in trigger.triggers]
        self.within = trigger.within.total_seconds() if trigger.within else None
        self.fired: dict[int, float] = {}  # child -> when it last fired (compound); order kept (sequence)
        self.sequence = isinstance(trigger, SequenceTrigger)

    def _needed(self) -> int:
        require = getattr(self.trigger, "require", "all")
        return 1 if require == "any" else len(self.children) if require == "all" else int(require)

    def _child_fired(self, index: int, firing: Firing, now: float) -> list[Firing]:
        if self.within is not None:
            self.fired = {i: t for i, t in self.fired.items() if t >= now - self.within}
        if self.sequence:
            if index == 0:
                self.fired = {0: now}
            elif index == len(self.fired) and index - 1 in self.fired:
                self.fired[index] = now
            else:
                return []
            done = len(self.fired) == len(self.children)
        else:
            self.fired[index] = now
            done = len(self.fired) >= self._needed()
        if done:
            self.fired = {}
            return [Firing(firing.key, firing.event, firing.labels, firing.at)]
        return []

    def on_event(self, event: ReceivedEvent, now: float) -> list[Firing]:
        out: list[Firing] = []
        for index, child in enumerate(self.children):
            for firing in child.on_event(event, now):
                out += self._child_fired(index, firing, now)
        return out

    def on_time(self, now: float) -> list[Firing]:
        out: list[Firing] = []
        for index, child in enumerate(self.children):
            for firing in child.on_time(now):
                out += self._child_fired(index, firing, now)
        return out


TriggerState = Union[_EventState, _CompositeState]


def longest_window(trigger: Any) -> float:
    """The longest `within` of a trigger and its parts, in seconds (0: none)."""
    own = getattr(trigger, "within", None)
    seconds = own.total_seconds() if own else 0.0
    for child in getattr(trigger, "triggers", None) or []:
        seconds = max(seconds, longest_window(child))
    return seconds


def trigger_state(trigger: Any, now: float, *, anchor: float | None = None) -> TriggerState:
    """The evaluation state of a trigger, starting at `now`.

    Args:
        trigger: the automation's trigger.
        now: the time evaluation starts from.
        anchor: where the grid of proactive periods starts (the automation's last
            change; default `now`).

    Raises:
        ValueError: a trigger headwater does not evaluate (a metric trigger).
    """
    start = now if anchor is None else anchor
    if isinstance(trigger, EventTrigger):
        return _EventState(trigger, now, start)
    if isinstance(trigger, (CompoundTrigger, SequenceTrigger)):
        return _CompositeState(trigger, now, start)
    raise ValueError(f"headwater does not evaluate {type(trigger).__name__}")
