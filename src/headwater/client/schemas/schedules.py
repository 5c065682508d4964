"""Schedule models of the client, as `prefect.client.schemas.schedules`.

    flow.serve(name="hourly", schedules=[IntervalSchedule(interval=timedelta(hours=1))])
    construct_schedule(cron="0 9 * * 1-5", timezone="Europe/Paris")

Each model is validated by building headwater's own schedule (`headwater.core.schedules`),
so a bad cron, rule or time zone fails here, named, not later in the scheduler.
`schedule_spec()` gives the fields a deployment stores.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAlias, TypeGuard

__all__ = [
    "DEFAULT_ANCHOR_DATE", "MAX_ITERATIONS", "MAX_RRULE_LENGTH", "SCHEDULE_TYPES", "CronSchedule", "IntervalSchedule",
    "NoSchedule", "RRuleSchedule", "construct_schedule", "is_schedule_type", "is_valid_timezone",
]

MAX_ITERATIONS = 1000
"""The most run times one request for a schedule's next times computes."""

MAX_RRULE_LENGTH = 6500
"""The longest recurrence rule accepted, in characters."""

DEFAULT_ANCHOR_DATE = datetime.date(2020, 1, 1)
"""The day recurrence rules without a DTSTART are anchored to."""


def is_valid_timezone(v: str) -> bool:
    """Whether `v` names an IANA time zone ("Europe/Paris", "UTC")."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(v)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def _check(build: Any) -> None:
    from headwater.exceptions import ScheduleError

    try:
        build()
    except ScheduleError as exc:
        raise ValueError(str(exc)) from None


class _Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def schedule_spec(self) -> dict[str, Any]:
        """The deployment schedule fields (`cron`/`interval`/`rrule`, `timezone`...) this stands for."""
        raise NotImplementedError


class IntervalSchedule(_Schedule):
    """Runs every `interval` from `anchor_date` (default: now, UTC).

    A naive `anchor_date` is read in `timezone` (or UTC). Intervals of whole days keep
    the anchor's wall-clock time across DST changes in `timezone`; shorter ones are
    elapsed time.
    """

    interval: datetime.timedelta = Field(gt=datetime.timedelta(0))
    anchor_date: datetime.datetime = Field(default_factory=lambda: _now())
    timezone: Optional[str] = None

    @model_validator(mode="after")
    def _valid(self) -> IntervalSchedule:
        if self.timezone is None:
            zone = getattr(self.anchor_date.tzinfo, "key", None)
            self.timezone = zone if isinstance(zone, str) else "UTC"
        _check(lambda: self._core())
        return self

    def _core(self) -> Any:
        from headwater.core.schedules import IntervalSchedule as Core

        return Core(self.interval.total_seconds(), anchor=self.anchor_date.timestamp()
                    if self.anchor_date.tzinfo else self.anchor_date,  # type: ignore[arg-type]  # a naive datetime is read in the zone
                    timezone=self.timezone or "UTC")

    def schedule_spec(self) -> dict[str, Any]:
        anchor = self.anchor_date
        if anchor.tzinfo is None:
            from zoneinfo import ZoneInfo

            anchor = anchor.replace(tzinfo=ZoneInfo(self.timezone or "UTC"))
        return {"interval": self.interval.total_seconds(), "anchor": anchor, "timezone": self.timezone or "UTC"}


class CronSchedule(_Schedule):
    """Runs at the times of a cron expression, read in `timezone` (default UTC).

    `day_or`: when both day-of-month and day-of-week are given, either matches (True,
    as cron does) or both must (False).
    """

    cron: str = Field(examples=["0 0 * * *"])
    timezone: Optional[str] = None
    day_or: bool = True

    @model_validator(mode="after")
    def _valid(self) -> CronSchedule:
        from headwater.core.schedules import CronSchedule as Core

        _check(lambda: Core(self.cron, timezone=self.timezone or "UTC", day_or=self.day_or))
        return self

    def schedule_spec(self) -> dict[str, Any]:
        return {"cron": self.cron, "timezone": self.timezone or "UTC", "day_or": self.day_or}


class RRuleSchedule(_Schedule):
    """Runs at the times of an RFC 5545 recurrence rule ("FREQ=WEEKLY;BYDAY=MO"), wall times in `timezone`."""

    rrule: str = Field(max_length=MAX_RRULE_LENGTH)
    timezone: Optional[str] = "UTC"

    @model_validator(mode="after")
    def _valid(self) -> RRuleSchedule:
        from headwater.core.schedules import RRuleSchedule as Core

        _check(lambda: Core(self.rrule, timezone=self.timezone or "UTC"))
        return self

    def schedule_spec(self) -> dict[str, Any]:
        return {"rrule": self.rrule, "timezone": self.timezone or "UTC"}


class NoSchedule(_Schedule):
    """No run times: a deployment run only on demand."""

    kind: ClassVar[str] = "none"

    def schedule_spec(self) -> dict[str, Any]:
        raise ValueError("NoSchedule has no run times: leave the deployment without schedules instead")


SCHEDULE_TYPES: TypeAlias = Union[IntervalSchedule, CronSchedule, RRuleSchedule, NoSchedule]


def is_schedule_type(obj: Any) -> TypeGuard[SCHEDULE_TYPES]:
    """Whether `obj` is one of the schedule models."""
    return isinstance(obj, (IntervalSchedule, CronSchedule, RRuleSchedule, NoSchedule))


def _now() -> datetime.datetime:
    from headwater.core.clock import now_datetime

    return now_datetime()


def construct_schedule(interval: Optional[Union[int, float, datetime.timedelta]] = None,
                       anchor_date: Optional[Union[datetime.datetime, str]] = None, cron: Optional[str] = None,
                       rrule: Optional[str] = None, timezone: Optional[str] = None) -> SCHEDULE_TYPES:
    """The schedule of exactly one of `interval` (seconds or a timedelta), `cron` or `rrule`.

    Raises:
        ValueError: none or several kinds given, or `anchor_date`/`timezone` without a kind they apply to.
    """
    given = [name for name, value in (("interval", interval), ("cron", cron), ("rrule", rrule)) if value is not None]
    if len(given) > 1:
        raise ValueError(f"give only one of interval, cron or rrule (got {', '.join(given)})")
    if anchor_date and not interval:
        raise ValueError("anchor_date applies to interval schedules only: give interval= too")
    if timezone and not given:
        raise ValueError("timezone applies to an interval, cron or rrule schedule: give one of them")
    if interval:
        every = interval if isinstance(interval, datetime.timedelta) else datetime.timedelta(seconds=interval)
        return IntervalSchedule.model_validate(
            {"interval": every, "anchor_date": anchor_date or _now(), "timezone": timezone})
    if cron:
        return CronSchedule(cron=cron, timezone=timezone)
    if rrule:
        return RRuleSchedule(rrule=rrule, timezone=timezone)
    raise ValueError("give one of interval, cron or rrule")
