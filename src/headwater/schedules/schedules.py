"""`Schedule`: Prefect 1's (clocks, filters, adjustments) and Prefect 3's (one cron,
interval or rrule for a deployment) in one class, told apart by the arguments given.

    Schedule(clocks=[IntervalClock(timedelta(hours=1))], filters=[filters.is_weekday])   # Prefect 1
    IntervalSchedule(interval=timedelta(hours=6), start_date=...)                       # Prefect 1
    Cron("0 9 * * 1-5", timezone="Europe/Paris")                                        # Prefect 3
    Schedule(interval=timedelta(hours=1), parameters={"n": 1})                          # Prefect 3
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from headwater.schedules.clocks import Clock, ClockEvent, CronClock, IntervalClock

__all__ = ["Cron", "CronSchedule", "Interval", "IntervalSchedule", "RRule", "Schedule"]

_P3_FIELDS = ("interval", "cron", "rrule", "timezone", "anchor_date", "day_or", "active", "parameters", "slug")


class Schedule:
    """A schedule in either Prefect's style.

    Prefect 1 (`clocks=`...): `next(n, after=None, return_events=False)` gives the next
    times of its clocks that pass every filter (and any `or_filters`, no `not_filters`),
    moved by its adjustments; a flow with one runs at those times on `flow.run()`.

    Prefect 3 (`interval=` / `cron=` / `rrule=`, one of them): a deployment's schedule;
    `to_core()` gives headwater's own schedule value for it.

    Raises:
        ValueError: more than one of interval / cron / rrule, or both styles mixed.
    """

    def __init__(self, clocks: list[Clock] | None = None, filters: list[Callable[[datetime], bool]] | None = None,
                 or_filters: list[Callable[[datetime], bool]] | None = None,
                 not_filters: list[Callable[[datetime], bool]] | None = None,
                 adjustments: list[Callable[[datetime], datetime]] | None = None, *,
                 interval: timedelta | None = None, cron: str | None = None, rrule: str | None = None,
                 timezone: str | None = None, anchor_date: datetime | None = None, day_or: bool = True,
                 active: bool = True, parameters: dict[str, Any] | None = None, slug: str | None = None) -> None:
        p3 = [n for n, v in (("interval", interval), ("cron", cron), ("rrule", rrule)) if v is not None]
        if len(p3) > 1:
            raise ValueError(f"Only one schedule type can be defined at a time. Found: {', '.join(p3)}")
        self.clocks = list(clocks or [])
        self.filters = list(filters or [])
        self.or_filters = list(or_filters or [])
        self.not_filters = list(not_filters or [])
        self.adjustments = list(adjustments or [])
        if p3 and self.clocks:
            raise ValueError("a Schedule takes either clocks= (Prefect 1) or one of interval / cron / rrule")
        if cron is not None:
            from croniter import croniter

            if not croniter.is_valid(cron):
                raise ValueError(f'Invalid cron string: "{cron}"')
        self.interval = interval
        self.cron = cron
        self.rrule = rrule
        self.timezone = timezone
        self.anchor_date = anchor_date if anchor_date is not None or not p3 else _utcnow()
        self.day_or = day_or
        self.active = active
        self.parameters = dict(parameters or {})
        self.slug = slug

    # -- Prefect 1 ---------------------------------------------------------------------
    @property
    def start_date(self) -> datetime | None:
        """The earliest start date of its clocks."""
        dates = [c.start_date for c in self.clocks if c.start_date is not None]
        return min(dates) if dates else None

    @property
    def end_date(self) -> datetime | None:
        """The latest end date of its clocks (None if any clock never ends)."""
        dates = [c.end_date for c in self.clocks]
        return None if not dates or any(d is None for d in dates) else max(dates)  # type: ignore[type-var]

    def next(self, n: int, after: datetime | None = None, return_events: bool = False) -> list[Any]:
        """The next `n` times (or ClockEvents) after `after` (default: now).

        Stops after looking at 10,000 clock events, however few passed the filters.
        """
        found: list[Any] = []
        for count, event in enumerate(self._events(after), start=1):
            if self._keep(event.start_time):
                for adjust in self.adjustments:
                    event.start_time = adjust(event.start_time)
                found.append(event if return_events else event.start_time)
            if len(found) == n or count >= 10_000:
                break
        return found

    def _events(self, after: datetime | None) -> Iterable[ClockEvent]:
        merged = heapq.merge(*(clock.events(after=after) for clock in self.clocks))
        return (next(group) for _, group in itertools.groupby(merged))

    def _keep(self, when: datetime) -> bool:
        return (all(f(when) for f in self.filters)
                and (not self.or_filters or any(f(when) for f in self.or_filters))
                and not any(f(when) for f in self.not_filters))

    # -- Prefect 3 ---------------------------------------------------------------------
    def to_core(self) -> Any:
        """headwater's own schedule value (core/schedules.py) for a Prefect 3 style schedule."""
        from headwater.core import schedules as core

        zone = self.timezone or "UTC"
        if self.cron is not None:
            return core.CronSchedule(self.cron, timezone=zone, day_or=self.day_or)
        if self.interval is not None:
            anchor = self.anchor_date.timestamp() if self.anchor_date is not None else None
            return core.IntervalSchedule(self.interval.total_seconds(), anchor=anchor, timezone=zone)
        if self.rrule is not None:
            return core.RRuleSchedule(self.rrule, timezone=zone)
        raise ValueError("a Prefect 1 Schedule (clocks=) is run by flow.run(), not deployed; use Cron / Interval")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self.clocks or not (self.interval or self.cron or self.rrule):
            return f"<Schedule: {len(self.clocks)} clock(s)>"
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _P3_FIELDS)
        return f"Schedule({fields})"


def _utcnow() -> datetime:
    from headwater.core.clock import now_datetime

    return now_datetime()


def IntervalSchedule(interval: timedelta, start_date: datetime | None = None,  # noqa: N802 - Prefect 1's name
                     end_date: datetime | None = None) -> Schedule:
    """A Schedule with one IntervalClock (Prefect 1)."""
    return Schedule(clocks=[IntervalClock(interval=interval, start_date=start_date, end_date=end_date)])


def CronSchedule(cron: str, start_date: datetime | None = None, end_date: datetime | None = None,  # noqa: N802
                 day_or: bool | None = None) -> Schedule:
    """A Schedule with one CronClock (Prefect 1)."""
    return Schedule(clocks=[CronClock(cron=cron, start_date=start_date, end_date=end_date, day_or=day_or)])


def Cron(cron: str, /, timezone: str | None = None, day_or: bool = True, active: bool = True,  # noqa: N802
         parameters: dict[str, Any] | None = None, slug: str | None = None) -> Schedule:
    """A cron schedule for a deployment (Prefect 3)."""
    return Schedule(cron=cron, timezone=timezone, day_or=day_or, active=active, parameters=parameters, slug=slug)


def Interval(interval: timedelta | float, /, anchor_date: datetime | None = None,  # noqa: N802
             timezone: str | None = None, active: bool = True, parameters: dict[str, Any] | None = None,
             slug: str | None = None) -> Schedule:
    """An interval schedule for a deployment (Prefect 3); a number is seconds."""
    if not isinstance(interval, timedelta):
        interval = timedelta(seconds=interval)
    return Schedule(interval=interval, anchor_date=anchor_date or _utcnow(), timezone=timezone, active=active,
                    parameters=parameters, slug=slug)


def RRule(rrule: str, /, timezone: str | None = None, active: bool = True,  # noqa: N802
          parameters: dict[str, Any] | None = None, slug: str | None = None) -> Schedule:
    """An RFC 5545 recurrence-rule schedule for a deployment (Prefect 3)."""
    return Schedule(rrule=rrule, timezone=timezone, active=active, parameters=parameters, slug=slug)


