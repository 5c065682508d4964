"""Evaluating triggers: each automation's trigger as a small state machine fed the
events one by one (`on_event`) and the passing of time (`on_time`), returning the
firings it produced.

- Reactive `EventTrigger`: per bucket (the values of its `for_each` labels), the times of
  the expected events; `threshold` of them within `within` (0: with no time limit) fire
  it, and the count starts again. With `after`, expected events count only once an
  `after` event opened the bucket, which closes when it fires (or its `within` ends).
- Proactive `EventTrigger`: a bucket opens (at start-up, or on an `after` event) with a
  deadline `within` later; `threshold` expected events before the deadline satisfy it,
  and otherwise it fires at the deadline. Without `after` a new bucket opens at once.
- `CompoundTrigger`: fires when `require` of its triggers fired within `within`;
  `SequenceTrigger`: when its triggers fired in their order within `within`.

A firing's `key` names it uniquely for its automation (the triggering event's id, or
the bucket and deadline of a proactive one): the key under which its actions are
claimed, so the same firing seen again (after a restart) takes no action twice.
Windows live in memory: after a restart they begin again (see docs/automations.md).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from headwater.core.triggers import CompoundTrigger, EventTrigger, Posture, SequenceTrigger, event_name_matches

if TYPE_CHECKING:
    from headwater.core.event_schemas import ReceivedEvent

__all__ = ["Firing", "TriggerState", "trigger_state"]


@dataclass
class Firing:
    """A trigger fired: its unique key, the event that completed it (None for a
    proactive firing) and the for_each labels of its bucket."""

    key: str
    event: Optional[ReceivedEvent]
    labels: dict[str, str] = field(default_factory=dict)


def _label(event: ReceivedEvent, name: str) -> str:
    if name.startswith("related:"):
        _, role, label = (name.split(":", 2) + ["", ""])[:3]
        for related in event.related:
            if related.get("prefect.resource.role") == role:
                return related.get(label) or ""
        return ""
    return event.resource.get(name) or ""


@dataclass
class _Bucket:
    opened: Optional[float] = None
    deadline: Optional[float] = None
    count: int = 0
    times: deque[float] = field(default_factory=deque)


class _EventState:
    def __init__(self, trigger: EventTrigger, now: float) -> None:
        self.trigger = trigger
        self.within = trigger.within.total_seconds()
        self.labels = sorted(trigger.for_each)
        self.buckets: dict[tuple[str, ...], _Bucket] = {}
        self.proactive = trigger.posture == Posture.Proactive
        if self.proactive and not trigger.after and not self.labels:
            self.buckets[()] = _Bucket(opened=now, deadline=now + self.within)

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
                bucket.opened, bucket.deadline = now, now + self.within
        is_after = bool(trigger.after) and event_name_matches(trigger.after, event.event)
        expected = not trigger.expect or event_name_matches(trigger.expect, event.event)
        if is_after and bucket.opened is None:
            bucket.opened, bucket.count = now, 0
            bucket.times.clear()
            bucket.deadline = now + self.within if (self.proactive or self.within) else None
            return []
        if not expected or (trigger.after and bucket.opened is None):
            return []
        if self.proactive:
            bucket.count += 1
            if bucket.count >= trigger.threshold:  # satisfied: no firing this period
                self._restart(bucket, now)
            return []
        when = event.occurred.timestamp()
        bucket.times.append(when)
        if self.within and not trigger.after:
            while bucket.times and bucket.times[0] < when - self.within:
                bucket.times.popleft()
        if len(bucket.times) >= trigger.threshold:
            bucket.times.clear()
            if trigger.after:
                bucket.opened = bucket.deadline = None
            return [Firing(str(event.id), event, labels)]
        return []

    def _restart(self, bucket: _Bucket, now: float) -> None:
        bucket.count = 0
        bucket.times.clear()
        if self.trigger.after:
            bucket.opened = bucket.deadline = None
        else:
            bucket.opened, bucket.deadline = now, now + self.within

    def on_time(self, now: float) -> list[Firing]:
        fired = []
        for key, bucket in self.buckets.items():
            if bucket.deadline is None or bucket.deadline > now:
                continue
            if self.proactive:
                fired.append(Firing(f"proactive:{'|'.join(key)}:{bucket.deadline:.3f}", None,
                                    dict(zip(self.labels, key))))
                deadline = bucket.deadline
                self._restart(bucket, deadline)
            else:  # a reactive window opened by `after` ran out
                bucket.opened = bucket.deadline = None
                bucket.times.clear()
        return fired


class _CompositeState:
    def __init__(self, trigger: Union[CompoundTrigger, SequenceTrigger], now: float) -> None:
        self.trigger = trigger
        self.children = [trigger_state(child, now) for child in trigger.triggers]
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
            return [Firing(firing.key, firing.event, firing.labels)]
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


def trigger_state(trigger: Any, now: float) -> TriggerState:
    """The evaluation state of a trigger, starting at `now`.

    Raises:
        ValueError: a trigger headwater does not evaluate (a metric trigger).
    """
    if isinstance(trigger, EventTrigger):
        return _EventState(trigger, now)
    if isinstance(trigger, (CompoundTrigger, SequenceTrigger)):
        return _CompositeState(trigger, now)
    raise ValueError(f"headwater does not evaluate {type(trigger).__name__}")
