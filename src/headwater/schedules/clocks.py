"""Prefect 1's clocks (`prefect.schedules.clocks`): sources of scheduled times.

A clock yields `ClockEvent`s (a start time, with optional parameter defaults and
labels) strictly after a given time, in order. A `Schedule` merges its clocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, overload

__all__ = ["ClockEvent", "Clock", "CronClock", "DatesClock", "IntervalClock", "RRuleClock"]

_EPOCH_2019 = datetime(2019, 1, 1, tzinfo=timezone.utc)


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
@overload
def aware(value: datetime | None) -> datetime | None: ...
def aware(value: datetime | None) -> datetime | None:
    """`value` with a time zone (naive times are read as UTC, as Prefect 1 does)."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _now() -> datetime:
    from headwater.core.clock import now_datetime

    return now_datetime()


class ClockEvent:
    """One scheduled time of a clock.

    Attributes:
        start_time: when the run is due.
        parameter_defaults: Parameter values for that run.
        labels: labels for that run.
    """

    def __init__(self, start_time: datetime, parameter_defaults: dict[str, Any] | None = None,
                 labels: list[str] | None = None) -> None:
        self.start_time = start_time
        self.parameter_defaults = dict(parameter_defaults or {})
        self.labels = labels

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ClockEvent):
            return (self.start_time, self.parameter_defaults) == (other.start_time, other.parameter_defaults)
        return self.start_time == other

    def __lt__(self, other: Any) -> bool:
        return self.start_time < (other.start_time if isinstance(other, ClockEvent) else other)

    def __gt__(self, other: Any) -> bool:
        return self.start_time > (other.start_time if isinstance(other, ClockEvent) else other)

    def __hash__(self) -> int:
        return hash(self.start_time)

    def __repr__(self) -> str:
        return f"<ClockEvent {self.start_time.isoformat()}>"


class Clock:
    """Base class: a source of times between `start_date` and `end_date`."""

    def __init__(self, start_date: datetime | None = None, end_date: datetime | None = None,
                 parameter_defaults: dict[str, Any] | None = None, labels: list[str] | None = None) -> None:
        self.start_date = aware(start_date)
        self.end_date = aware(end_date)
        self.parameter_defaults = dict(parameter_defaults or {})
        self.labels = labels

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """The clock's events strictly after `after` (default: now), in order."""
        raise NotImplementedError

    def _event(self, when: datetime) -> ClockEvent:
        return ClockEvent(when, self.parameter_defaults, self.labels)


class IntervalClock(Clock):
    """Every `interval` from `start_date` (default 2019-01-01 UTC).

    Raises:
        TypeError: `interval` is not a timedelta.
        ValueError: `interval` is not positive.
    """

    def __init__(self, interval: timedelta, start_date: datetime | None = None, end_date: datetime | None = None,
                 parameter_defaults: dict[str, Any] | None = None, labels: list[str] | None = None) -> None:
        if not isinstance(interval, timedelta):
            raise TypeError("Interval must be a timedelta.")
        if interval.total_seconds() <= 0:
            raise ValueError("Interval must be greater than 0.")
        self.interval = interval
        super().__init__(start_date, end_date, parameter_defaults, labels)

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        after = aware(after) or _now()
        start = self.start_date or _EPOCH_2019
        skip = (after - start).total_seconds() / self.interval.total_seconds()
        steps = 0 if skip < 0 else int(skip) + 1
        while True:
            when = start + self.interval * steps
            steps += 1
            if when <= after and skip >= 0:
                continue
            if self.end_date is not None and when > self.end_date:
                return
            yield self._event(when)


class CronClock(Clock):
    """The times of a cron expression (read in `start_date`'s time zone, else UTC).

    Raises:
        ValueError: an invalid cron string.
    """

    def __init__(self, cron: str, start_date: datetime | None = None, end_date: datetime | None = None,
                 parameter_defaults: dict[str, Any] | None = None, labels: list[str] | None = None,
                 day_or: bool | None = None) -> None:
        from croniter import croniter

        if not croniter.is_valid(cron):
            raise ValueError("Invalid cron string: {}".format(cron))
        self.cron = cron
        self.day_or = True if day_or is None else day_or
        super().__init__(start_date, end_date, parameter_defaults, labels)

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        from croniter import croniter

        after = aware(after) or _now()
        if self.start_date is not None and self.start_date > after:
            after = self.start_date - timedelta(seconds=1)
        tz = self.start_date.tzinfo if self.start_date is not None else timezone.utc
        cron = croniter(self.cron, after.astimezone(tz), day_or=self.day_or)
        while True:
            when = cron.get_next(datetime)
            if self.end_date is not None and when > self.end_date:
                return
            yield self._event(when)


class DatesClock(Clock):
    """Fixed times."""

    def __init__(self, dates: list[datetime], parameter_defaults: dict[str, Any] | None = None,
                 labels: list[str] | None = None) -> None:
        dates = sorted(aware(d) for d in dates)
        super().__init__(dates[0] if dates else None, dates[-1] if dates else None, parameter_defaults, labels)
        self.dates = dates

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        after = aware(after) or _now()
        for when in self.dates:
            if when > after:
                yield self._event(when)


class RRuleClock(Clock):
    """The times of a `dateutil.rrule.rrule`."""

    def __init__(self, rrule_obj: Any, start_date: datetime | None = None, end_date: datetime | None = None,
                 parameter_defaults: dict[str, Any] | None = None, labels: list[str] | None = None) -> None:
        self.rrule_obj = rrule_obj
        super().__init__(start_date, end_date, parameter_defaults, labels)

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        after = aware(after) or _now()
        current = after
        while True:
            when = self.rrule_obj.after(current.replace(tzinfo=None) if self.rrule_obj._dtstart.tzinfo is None
                                        else current)
            if when is None:
                return
            when = aware(when)
            if self.end_date is not None and when > self.end_date:
                return
            yield self._event(when)
            current = when
