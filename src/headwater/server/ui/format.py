"""How the UI writes times, durations, levels and error lines (Jinja filters, plain functions)."""

from __future__ import annotations

import json
import logging
from typing import Any
from datetime import datetime, timezone

__all__ = ["FILTERS", "duration_text", "error_line", "json_text", "level_name", "time_text"]


def duration_text(seconds: float | None) -> str:
    """`0.42 s`, `12.3 s`, `4 min 05 s`, `2 h 03 min`; an em dash for unknown."""
    if seconds is None:
        return "—"
    if seconds < 0.001:
        return "<1 ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def time_text(value: datetime | float | None) -> str:
    """An ISO-like UTC time to the second (`2024-05-01 12:03:04Z`); the page's script shows it locally."""
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        value = datetime.fromtimestamp(value, tz=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def iso(value: datetime | float | None) -> str:
    """The machine-readable time for a `<time datetime=...>` attribute."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = datetime.fromtimestamp(value, tz=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def error_line(message: str | None) -> str:
    """The line of a state message worth showing in a list: its last non-empty line, shortened."""
    if not message:
        return ""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= 200 else line[:199] + "…"


def level_name(level: int) -> str:
    """`INFO`, `WARNING`, ... for a numeric log level (`Level 15` for odd ones)."""
    return logging.getLevelName(level)


def json_text(value: Any) -> str:
    """A value as readable JSON text (the template escapes it like any text)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 2000 else text[:1999] + "…"


FILTERS = {
    "json_text": json_text,
    "duration": duration_text,
    "time": time_text,
    "iso": iso,
    "error_line": error_line,
    "level_name": level_name,
}
"""The Jinja filters the templates use."""
