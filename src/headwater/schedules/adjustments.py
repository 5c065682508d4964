"""Prefect 1's schedule adjustments (`prefect.schedules.adjustments`): move kept times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

__all__ = ["add", "next_weekday"]


def add(interval: timedelta) -> Callable[[datetime], datetime]:
    """Move each time by `interval`."""
    return lambda when: when + interval


def next_weekday(dt: datetime) -> datetime:
    """Move a Saturday or Sunday time to the next Monday, same time of day."""
    while dt.weekday() > 4:
        dt += timedelta(days=1)
    return dt
