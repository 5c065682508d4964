"""When a flow run is due: `deployment run --start-in` and `--start-at` text to a datetime.

Prefect hands these strings to `dateparser`, which reads almost any English phrase;
headwater reads a documented subset (docs/cli.md) and names what it accepts otherwise:

- `--start-in`: an optional leading "in", then one or more "NUMBER UNIT" parts
  ("2 hours", "in 10 minutes", "1 hour 30 minutes", "1h30m", "2 days and 3 hours");
  units are seconds, minutes, hours, days and weeks, spelled out or abbreviated
  (s, sec, m, min, h, hr, d, w). A bare number is seconds (headwater's own form).
- `--start-at`: an optional leading "at", then "now", an ISO 8601 date or date-time
  ("2026-12-05", "2026-12-05 10:00", "2026-12-05T10:00:00+02:00"), or a time of day
  ("17:30", "5:30pm", "5pm"), optionally after "today" or "tomorrow". Without an
  offset the time is local, as in Prefect. A time of day alone is its next
  occurrence (today if still ahead, else tomorrow), as dateparser prefers the future.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["WhenError", "parse_start_at", "parse_start_in"]

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "week": 604800, "weeks": 604800,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_FILLER = re.compile(r"(?:\s|,|\band\b)*")
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?")


class WhenError(ValueError):
    """Text that is not a duration or moment headwater understands; the message says what is."""


def parse_start_in(text: str) -> timedelta:
    """A duration from now: "2 hours", "in 10 minutes", "1h30m", or a bare number of seconds.

    Raises:
        WhenError: anything else (including negative durations).
    """
    raw = text.strip().lower()
    raw = re.sub(r"^in\b\s*", "", raw)
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        if seconds < 0 or seconds != seconds or seconds == float("inf"):
            raise WhenError(f"{text!r} is not a duration from now; it must not be negative")
        return timedelta(seconds=seconds)
    total, position = 0.0, 0
    while True:
        position = _FILLER.match(raw, position).end()  # type: ignore[union-attr]  # matches the empty string
        if position == len(raw):
            break
        part = _PART.match(raw, position)
        if part is None or part.group(2) not in _UNITS:
            raise WhenError(f"{text!r} is not a duration; use NUMBER UNIT parts such as '2 hours', 'in 10 minutes' "
                            f"or '1h30m' (units: seconds, minutes, hours, days, weeks)")
        total += float(part.group(1)) * _UNITS[part.group(2)]
        position = part.end()
    if not raw:
        raise WhenError("the duration is empty; use e.g. '2 hours' or 'in 10 minutes'")
    return timedelta(seconds=total)


def parse_start_at(text: str, now: datetime) -> datetime:
    """A moment, as an aware datetime: "now", ISO 8601, or a time of day (see the module docstring).

    Args:
        text: what the user typed.
        now: the current time (aware); relative forms ("today", a time of day) count from it.

    Raises:
        WhenError: anything else.
    """
    raw = text.strip()
    raw = re.sub(r"^at\b\s*", "", raw, flags=re.IGNORECASE)
    lowered = raw.lower()
    local_now = now.astimezone()
    if lowered == "now":
        return now
    day_word = re.match(r"(today|tomorrow)\b\s*(?:at\b)?\s*", lowered)
    if day_word is not None:
        day = local_now.date() + timedelta(days=1 if day_word.group(1) == "tomorrow" else 0)
        rest = lowered[day_word.end():]
        if not rest:
            return local_now.replace(year=day.year, month=day.month, day=day.day)
        clock = _clock(rest)
        if clock is None:
            raise _bad_moment(text)
        return _local(datetime(day.year, day.month, day.day, *clock))
    clock = _clock(lowered)
    if clock is not None:
        today = local_now.date()
        moment = _local(datetime(today.year, today.month, today.day, *clock))
        return moment if moment > local_now else _local(datetime(today.year, today.month, today.day, *clock)
                                                        + timedelta(days=1))
    try:
        moment = datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", raw))
    except ValueError:
        raise _bad_moment(text) from None
    return moment if moment.tzinfo is not None else _local(moment)


def _clock(text: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) of "17:30", "17:30:15", "5:30pm", "5pm"; None if it is not one."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None or (match.group(2) is None and match.group(4) is None):
        return None  # a bare number is not a time of day
    hour, minute, second = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    if match.group(4) is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match.group(4) == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _local(naive: datetime) -> datetime:
    """A naive wall-clock time read in the local time zone."""
    return naive.astimezone().astimezone(timezone.utc)


def _bad_moment(text: str) -> WhenError:
    return WhenError(f"{text!r} is not a moment headwater understands; use 'now', an ISO 8601 date-time such as "
                     f"'2026-12-05 10:00' (local time unless it has an offset), or a time of day such as '17:30' "
                     f"or '5:30pm', optionally after 'today' or 'tomorrow'")
