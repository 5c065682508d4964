"""The one clock.

Every timestamp headwater records comes from `now()`. Tests and schedulers that need
to control time swap the clock with `use_clock()` instead of patching `time.time`.
Timestamps are seconds since the epoch (UTC) as floats: cheap on the hot path, exact
enough (microseconds), and the same in SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import overload

__all__ = ["now", "now_datetime", "to_datetime", "use_clock"]

_clock: Callable[[], float] = time.time


def now() -> float:
    """Return the current time in seconds since the epoch, from the active clock."""
    return _clock()


def now_datetime() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.fromtimestamp(_clock(), tz=timezone.utc)


@overload
def to_datetime(ts: float) -> datetime: ...


@overload
def to_datetime(ts: None) -> None: ...


@overload
def to_datetime(ts: float | None) -> datetime | None: ...


def to_datetime(ts: float | None) -> datetime | None:
    """Convert an epoch timestamp to an aware UTC datetime (None stays None)."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc)


@contextlib.contextmanager
def use_clock(clock: Callable[[], float]) -> Iterator[None]:
    """Make `now()` read `clock` inside the block.

    Example:
        >>> with use_clock(lambda: 0.0):
        ...     assert now() == 0.0
    """
    global _clock
    previous = _clock
    _clock = clock
    try:
        yield
    finally:
        _clock = previous
