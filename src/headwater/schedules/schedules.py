"""`Schedule`: Prefect 1's (clocks, filters, adjustments) and Prefect 3's (one cron,
interval or rrule for a deployment) in one class, told apart by the arguments given.

    Schedule(clocks=[IntervalClock(timedelta(hours=1))], filters=[filters.is_weekday])   # Prefect 1
    IntervalSchedule(interval=timedelta(hours=6), start_date=...)                       # Prefect 1
    Cron("0 9 * * 1-5", timezone="Europe/Paris")                                        # Prefect 3
    Schedule(interval=timedelta(hours=1), parameters={"n": 1})                          # Prefect 3
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from headwater.schedules.clocks import Clock, ClockEvent, CronClock, IntervalClock, RRuleClock

__all__ = ["Cron", "CronSchedule", "DeploymentSchedule", "Interval", "IntervalSchedule", "RRule", "RRuleSchedule",
           "Schedule"]

_P3_FIELDS = ("interval", "cron", "rrule", "timezone", "anchor_date", "day_or", "active", "parameters", "slug")


class Schedule:
    """A schedule in either Prefect's style.

    Prefect 1 (`clocks=`...): `next(n, after=None, return_events=False)` gives the next
    times of its clocks that pass every filter (and any `or_filters`, no `not_filters`),
    moved by its adjustments; a flow with one runs at those times on `flow.run()`.

    Prefect 3 (`interval=` / `cron=` / `rrule=`, ...): a frozen dataclass of those fields
    for a deployment (see `DeploymentSchedule`); `to_core()` gives headwater's own value.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Schedule and (set(kwargs) & set(_P3_FIELDS) or (args and isinstance(args[0], timedelta))):
            return object.__new__(DeploymentSchedule)
        return object.__new__(cls)

    def __init__(self, clocks: list[Clock] | None = None, filters: list[Callable[[datetime], bool]] | None = None,
                 or_filters: list[Callable[[datetime], bool]] | None = None,
                 not_filters: list[Callable[[datetime], bool]] | None = None,
                 adjustments: list[Callable[[datetime], datetime]] | None = None) -> None:
        self.clocks = list(clocks or [])
        self.filters = list(filters or [])
        self.or_filters = list(or_filters or [])
        self.not_filters = list(not_filters or [])
        self.adjustments = list(adjustments or [])

    @property
    def start_date(self) -> datetime | None:
        """The earliest start date of its clocks."""
        dates = [c.start_date for c in self.clocks if c.start_date is not None]
        return min(dates) if dates else None

    @property
    def end_date(self) -> datetime | None:
        """The latest end date of its clocks (None if any clock never ends)."""
        dates = [c.end_date for c in self.clocks]
        ends = [d for d in dates if d is not None]
        return None if not dates or len(ends) < len(dates) else max(ends)

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

    def __repr__(self) -> str:
        return f"<Schedule: {len(self.clocks)} clock(s)>"


@dataclasses.dataclass(frozen=True)
class DeploymentSchedule(Schedule):
    """Prefect 3's `Schedule`: one of interval / cron / rrule, for a deployment.

    Raises:
        ValueError: more than one of interval / cron / rrule, or an invalid cron / rrule.
    """

    interval: timedelta | None = None
    cron: str | None = None
    rrule: str | None = None
    timezone: str | None = None
    anchor_date: datetime = dataclasses.field(default_factory=lambda: _utcnow())
    day_or: bool = True
    active: bool = True
    parameters: dict[str, Any] = dataclasses.field(default_factory=dict)
    slug: str | None = None

    def __post_init__(self) -> None:
        kinds = [n for n in ("interval", "cron", "rrule") if getattr(self, n) is not None]
        if len(kinds) > 1:
            raise ValueError(f"Only one schedule type can be defined at a time. Found: {', '.join(kinds)}")
        if self.cron is not None:
            from croniter import croniter

            if not croniter.is_valid(self.cron):
                raise ValueError(f'Invalid cron string: "{self.cron}"')
        if self.rrule is not None:
            from dateutil import rrule

            try:
                rrule.rrulestr(self.rrule, cache=True)
            except Exception as exc:
                raise ValueError(f"Invalid RRule string {self.rrule!r}: {exc}") from None

    @property
    def clocks(self) -> list[Clock]:  # type: ignore[override]  # Schedule's attribute, read-only on the frozen dataclass
        return []

    def to_core(self) -> Any:
        """headwater's own schedule value (core/schedules.py)."""
        from headwater.core import schedules as core

        zone = self.timezone or "UTC"
        if self.cron is not None:
            return core.CronSchedule(self.cron, timezone=zone, day_or=self.day_or)
        if self.interval is not None:
            anchor = self.anchor_date.timestamp() if self.anchor_date is not None else None
            return core.IntervalSchedule(self.interval.total_seconds(), anchor=anchor, timezone=zone)
        if self.rrule is not None:
            return core.RRuleSchedule(self.rrule, timezone=zone)
        raise ValueError("a Schedule needs one of interval, cron or rrule")


DeploymentSchedule.__name__ = DeploymentSchedule.__qualname__ = "Schedule"  # reads as Prefect 3's


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


def RRuleSchedule(rrule_obj: Any, start_date: datetime | None = None,  # noqa: N802 - Prefect 1's name
                  end_date: datetime | None = None) -> Schedule:
    """A Schedule with one RRuleClock (Prefect 1): the times of a `dateutil.rrule.rrule` or `rruleset`."""
    return Schedule(clocks=[RRuleClock(rrule_obj, start_date=start_date, end_date=end_date)])


def Cron(cron: str, /, timezone: str | None = None, day_or: bool = True, active: bool = True,  # noqa: N802
         parameters: dict[str, Any] | None = None, slug: str | None = None) -> Schedule:
    """A cron schedule for a deployment (Prefect 3)."""
    return DeploymentSchedule(cron=cron, timezone=timezone, day_or=day_or, active=active, parameters=parameters or {},
                    slug=slug)


def Interval(interval: timedelta | float, /, anchor_date: datetime | None = None,  # noqa: N802
             timezone: str | None = None, active: bool = True, parameters: dict[str, Any] | None = None,
             slug: str | None = None) -> Schedule:
    """An interval schedule for a deployment (Prefect 3); a number is seconds."""
    if not isinstance(interval, timedelta):
        interval = timedelta(seconds=interval)
    return DeploymentSchedule(interval=interval, anchor_date=anchor_date or _utcnow(), timezone=timezone, active=active,
                    parameters=parameters or {}, slug=slug)


def RRule(rrule: str, /, timezone: str | None = None, active: bool = True,  # noqa: N802
          parameters: dict[str, Any] | None = None, slug: str | None = None) -> Schedule:
    """An RFC 5545 recurrence-rule schedule for a deployment (Prefect 3)."""
    return DeploymentSchedule(rrule=rrule, timezone=timezone, active=active, parameters=parameters or {}, slug=slug)


