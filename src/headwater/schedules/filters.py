"""Prefect 1's schedule filters (`prefect.schedules.filters`): which clock times to keep."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import datetime, time

__all__ = ["at_time", "between_dates", "between_datetimes", "between_times", "is_day_of_week", "is_month_end",
           "is_month_start", "is_weekday", "is_weekend", "on_date", "on_datetime"]

Filter = Callable[[datetime], bool]


def on_datetime(dt: datetime) -> Filter:
    """Keep only this exact time."""
    return lambda when: when == dt


def between_datetimes(start: datetime, end: datetime) -> Filter:
    """Keep times from `start` to `end` (both included)."""
    return lambda when: start <= when <= end


def on_date(month: int, day: int) -> Filter:
    """Keep times on this day of every year."""
    return lambda when: (when.month, when.day) == (month, day)


def between_dates(start_month: int, start_day: int, end_month: int, end_day: int) -> Filter:
    """Keep times between two days of the year (wrapping over New Year when start > end)."""
    def keep(when: datetime) -> bool:
        date = (when.month, when.day)
        if start_month <= end_month:
            return (start_month, start_day) <= date <= (end_month, end_day)
        return date >= (start_month, start_day) or date <= (end_month, end_day)

    return keep


def at_time(t: time) -> Filter:
    """Keep times at this time of day."""
    return lambda when: when.time() == t


def between_times(start: time, end: time) -> Filter:
    """Keep times of day from `start` to `end` (both included; wrapping midnight when start > end)."""
    def keep(when: datetime) -> bool:
        if start <= end:
            return start <= when.time() <= end
        return when.time() >= start or when.time() <= end

    return keep


def is_weekday(dt: datetime) -> bool:
    """Monday to Friday."""
    return dt.weekday() < 5


def is_weekend(dt: datetime) -> bool:
    """Saturday and Sunday."""
    return dt.weekday() > 4


def is_month_end(dt: datetime) -> bool:
    """The last day of its month."""
    return dt.day == calendar.monthrange(dt.year, dt.month)[1]


def is_month_start(dt: datetime) -> bool:
    """The first day of its month."""
    return dt.day == 1


def is_day_of_week(day_of_week: int) -> Filter:
    """Keep times on this weekday (0 = Monday)."""
    return lambda when: when.weekday() == day_of_week
