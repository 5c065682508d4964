"""Schedules: when a deployment's runs are due. Pure: time comes in as a parameter.

Three kinds, each a small frozen value that can go to and from JSON:

- `CronSchedule("0 9 * * 1-5", timezone="Europe/Paris")`: a cron expression read in
  an IANA time zone (croniter parses it);
- `IntervalSchedule(3600, anchor=...)`: every `interval` seconds from an anchor
  instant; intervals that are whole days keep the anchor's wall-clock time in the
  schedule's time zone, so "every day at 09:00" stays 09:00 across DST changes;
- `RRuleSchedule("FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=7")`: an RFC 5545 rule (dateutil).

Every schedule is computed in wall-clock time of its zone, then mapped to instants
(epoch seconds) by one rule for DST changes, the one cron has always used:

- a wall time that does not exist (the hour skipped when clocks go forward) runs at
  the first instant after the gap: 02:30 on a spring-forward night runs at 03:00;
  several such times collapse into that one run;
- a wall time that happens twice (the hour repeated when clocks go back) runs once,
  at its first occurrence.

Crons whose hour field is `*` (hourly and more often) are the exception: they keep
their spacing in elapsed time, so the repeated hour fires twice and the skipped hour
not at all (Prefect's rule too).

Example:
    >>> s = CronSchedule("30 2 * * *", timezone="America/New_York")
    >>> [iso(t, s.timezone) for t in next_instants(s, now=1710000000.0, count=2)]
    ['2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00']
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headwater.exceptions import ScheduleError  # noqa: F401 (the one exception tree)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "CronSchedule",
    "IntervalSchedule",
    "RRuleSchedule",
    "Schedule",
    "ScheduleError",
    "instants_between",
    "iso",
    "local_to_instant",
    "next_instants",
    "schedule_from_dict",
    "utc",
]

_DAY = 86_400.0
_MARGIN = timedelta(hours=3)  # wider than any DST shift: wall times near `after` are not missed
_RRULE_DEFAULT_START = datetime(2024, 1, 1)


def _zone(name: str) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise ScheduleError(f"invalid timezone {name!r}: use an IANA name such as 'Europe/Paris' or 'UTC'")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(
            f"unknown timezone {name!r}: use an IANA name such as 'Europe/Paris', 'America/New_York' or 'UTC'"
        ) from None


def local_to_instant(wall: datetime, zone: ZoneInfo) -> float:
    """The instant (epoch seconds) a naive wall-clock time in `zone` stands for.

    A wall time skipped by a DST change maps to the end of the gap; one that happens
    twice maps to its first occurrence (see the module docstring).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    instant = first.timestamp()
    if datetime.fromtimestamp(instant, zone).replace(tzinfo=None) == wall:
        return instant  # exists (fold=0 is the first of two when ambiguous)
    # In a gap: fold=0 reads it with the offset before the change and lands past the
    # gap, fold=1 with the offset after it and lands before. The change is between.
    low, high = wall.replace(tzinfo=zone, fold=1).timestamp(), instant
    if low > high:
        low, high = high, low
    before = datetime.fromtimestamp(low, zone).utcoffset()
    while high - low > 0.5:
        middle = (low + high) / 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return float(math.ceil(low))


def _wall(instant: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, zone).replace(tzinfo=None)


def iso(instant: float, timezone_name: str = "UTC") -> str:
    """An instant as ISO 8601 in the named zone (for messages and tests)."""
    return datetime.fromtimestamp(instant, _zone(timezone_name)).isoformat()


@dataclass(frozen=True)
class CronSchedule:
    """A cron expression (5 fields, or 6 with seconds) read in `timezone`.

    Args:
        cron: e.g. "0 9 * * 1-5" (09:00 on weekdays).
        timezone: IANA zone name; default UTC.
        day_or: cron's rule when both day-of-month and day-of-week are given: True
            (either matches, as in cron) or False (both must).

    Raises:
        ScheduleError: the expression or the zone is invalid.
    """

    cron: str
    timezone: str = "UTC"
    day_or: bool = True
    kind: ClassVar[str] = "cron"

    def __post_init__(self) -> None:
        _zone(self.timezone)
        from croniter import croniter

        if not isinstance(self.cron, str) or not croniter.is_valid(self.cron.strip()):
            raise ScheduleError(
                f"invalid cron expression {self.cron!r}: expected 5 fields 'minute hour day-of-month month "
                "day-of-week', e.g. '0 9 * * 1-5' (09:00 on weekdays) or '*/15 * * * *'"
            )

    @property
    def every_hour(self) -> bool:
        """Whether the hour field is `*`: such a cron keeps elapsed-time spacing across DST."""
        fields = self.cron.split()
        return len(fields) >= 5 and fields[1] == "*"

    def walls(self, start: datetime) -> Iterator[datetime]:
        from croniter import croniter

        it = croniter(self.cron.strip(), start, day_or=self.day_or)
        while True:
            yield it.get_next(datetime)

    def describe(self) -> str:
        return f"cron '{self.cron}' ({self.timezone})"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "cron", "cron": self.cron, "timezone": self.timezone, "day_or": self.day_or}


@dataclass(frozen=True)
class IntervalSchedule:
    """Every `interval` seconds from `anchor`.

    Args:
        interval: seconds between runs (> 0).
        anchor: an instant (epoch seconds) the runs line up with; default
            2020-01-01 00:00 in `timezone`.
        timezone: IANA zone; matters for intervals of whole days, which keep the
            anchor's wall-clock time across DST changes.

    Raises:
        ScheduleError: a non-positive interval or an unknown zone.
    """

    interval: float
    anchor: float | None = None
    timezone: str = "UTC"
    kind: ClassVar[str] = "interval"

    def __post_init__(self) -> None:
        zone = _zone(self.timezone)
        if isinstance(self.interval, bool) or not isinstance(self.interval, (int, float)) \
                or not math.isfinite(self.interval) or self.interval <= 0:
            raise ScheduleError(f"invalid interval {self.interval!r}: expected a number of seconds > 0")
        if self.anchor is None:
            object.__setattr__(self, "anchor", local_to_instant(datetime(2020, 1, 1), zone))
        elif isinstance(self.anchor, datetime):
            moment = self.anchor if self.anchor.tzinfo else self.anchor.replace(tzinfo=zone)
            object.__setattr__(self, "anchor", moment.timestamp())
        elif isinstance(self.anchor, bool) or not isinstance(self.anchor, (int, float)):
            raise ScheduleError(f"invalid anchor {self.anchor!r}: expected a datetime or epoch seconds")

    @property
    def _whole_days(self) -> bool:
        return self.timezone != "UTC" and self.interval % _DAY == 0

    @property
    def _anchor_seconds(self) -> float:
        if self.anchor is None:  # __post_init__ set it to epoch seconds
            raise AssertionError("IntervalSchedule without an anchor")
        return float(self.anchor)

    def instants_after(self, after: float) -> Iterator[float]:
        anchor = self._anchor_seconds
        k = max(0, math.floor((after - anchor) / self.interval) - 1)
        if self._whole_days:
            zone = ZoneInfo(self.timezone)
            anchor_wall = _wall(anchor, zone)
            step = timedelta(seconds=self.interval)
            while True:
                instant = local_to_instant(anchor_wall + k * step, zone)
                if instant > after:
                    yield instant
                k += 1
        while True:
            instant = anchor + k * self.interval
            if instant > after:
                yield instant
            k += 1

    def describe(self) -> str:
        return f"every {self.interval:g} s from {iso(self._anchor_seconds, self.timezone)}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "interval", "interval": self.interval, "anchor": self.anchor, "timezone": self.timezone}


_DTSTART = re.compile(r"DTSTART", re.IGNORECASE)
_COARSE = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")


@dataclass(frozen=True)
class RRuleSchedule:
    """An RFC 5545 recurrence rule, e.g. "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0".

    Times in the rule are wall-clock times in `timezone`. Without a DTSTART the rule
    starts 2024-01-01 00:00 (rules finer than hourly: the start of the current day);
    give DTSTART to pin the phase of a sub-hourly rule with INTERVAL > 1.

    Raises:
        ScheduleError: the rule cannot be parsed, or the zone is unknown.
    """

    rrule: str
    timezone: str = "UTC"
    kind: ClassVar[str] = "rrule"

    def __post_init__(self) -> None:
        _zone(self.timezone)
        try:
            self._rule(_RRULE_DEFAULT_START)
        except ScheduleError:
            raise
        except Exception as exc:
            raise ScheduleError(
                f"invalid rrule {self.rrule!r} ({exc}): expected e.g. 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0'"
            ) from None

    def _rule(self, default_start: datetime) -> Any:
        from dateutil.rrule import rrulestr

        if not isinstance(self.rrule, str) or not self.rrule.strip():
            raise ScheduleError("invalid rrule '': expected e.g. 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0'")
        text = self.rrule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        rule = rrulestr(text, dtstart=default_start, ignoretz=True)
        return rule

    def walls(self, start: datetime) -> Iterator[datetime]:
        text = self.rrule.upper()
        coarse = _DTSTART.search(text) or any(f"FREQ={f}" in text for f in _COARSE)
        default_start = _RRULE_DEFAULT_START if coarse else start.replace(hour=0, minute=0, second=0, microsecond=0)
        rule = self._rule(default_start)
        moment = start
        while True:
            following = rule.after(moment, inc=False)
            if following is None:
                return
            yield following.replace(tzinfo=None)
            moment = following

    def describe(self) -> str:
        return f"rrule '{self.rrule}' ({self.timezone})"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "rrule", "rrule": self.rrule, "timezone": self.timezone}


Schedule = Union[CronSchedule, IntervalSchedule, RRuleSchedule]


def schedule_from_dict(data: dict[str, Any]) -> Schedule:
    """Build a schedule from its `to_dict()` form.

    Raises:
        ScheduleError: an unknown kind or invalid fields.
    """
    kind = data.get("kind")
    try:
        if kind == "cron":
            return CronSchedule(data["cron"], data.get("timezone") or "UTC", bool(data.get("day_or", True)))
        if kind == "interval":
            return IntervalSchedule(data["interval"], data.get("anchor"), data.get("timezone") or "UTC")
        if kind == "rrule":
            return RRuleSchedule(data["rrule"], data.get("timezone") or "UTC")
    except KeyError as exc:
        raise ScheduleError(f"a {kind} schedule needs {exc.args[0]!r}") from None
    raise ScheduleError(f"unknown schedule kind {kind!r}: expected 'cron', 'interval' or 'rrule'")


def instants_between(schedule: Schedule, after: float, until: float, limit: int = 1000) -> list[float]:
    """The schedule's instants in (after, until], oldest first, at most `limit`."""
    found: list[float] = []
    for instant in _instants(schedule, after):
        if instant > until or len(found) >= limit:
            break
        found.append(instant)
    return found


def next_instants(schedule: Schedule, now: float, count: int) -> list[float]:
    """The next `count` instants strictly after `now` (epoch seconds), oldest first."""
    found: list[float] = []
    for instant in _instants(schedule, now):
        if len(found) >= count:
            break
        found.append(instant)
    return found


def _instants(schedule: Schedule, after: float) -> Iterator[float]:
    """Instants strictly after `after`, increasing, each once."""
    if isinstance(schedule, IntervalSchedule):
        yield from schedule.instants_after(after)
        return
    zone = ZoneInfo(schedule.timezone)
    start = _wall(after, zone) - _MARGIN
    last = -math.inf
    if isinstance(schedule, CronSchedule) and schedule.every_hour:
        yield from _elapsed_instants(schedule, zone, start, after)
        return
    for wall in schedule.walls(start):
        instant = local_to_instant(wall, zone)
        if instant > after and instant > last:
            last = instant
            yield instant


def _elapsed_instants(schedule: CronSchedule, zone: ZoneInfo, start: datetime, after: float) -> Iterator[float]:
    """A cron that fires every hour keeps firing every hour of elapsed time across DST:
    a repeated wall hour fires twice, a skipped one not at all."""
    pending: list[float] = []
    last = -math.inf
    for wall in schedule.walls(start):
        first = wall.replace(tzinfo=zone, fold=0).timestamp()
        # Wall times of later iterations are never earlier than this one's first reading.
        while pending and pending[0] <= first:
            instant = heapq.heappop(pending)
            if instant > after and instant > last:
                last = instant
                yield instant
        for fold in (0, 1):
            instant = wall.replace(tzinfo=zone, fold=fold).timestamp()
            if _wall(instant, zone) == wall:  # exists (both folds do in a repeated hour)
                heapq.heappush(pending, instant)


def utc(instant: float) -> datetime:
    """An instant as an aware UTC datetime."""
    return datetime.fromtimestamp(instant, timezone.utc)
