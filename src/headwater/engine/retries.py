"""When to retry a failed run, and how long to wait first."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["exponential_backoff", "retry_delay"]


def exponential_backoff(backoff_factor: float) -> Callable[[int], list[float]]:
    """Return a `retry_delay_seconds` value that doubles the wait on each retry.

    Args:
        backoff_factor: the first delay; the n-th retry waits `backoff_factor * 2**(n-1)`.

    Example:
        >>> @task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2))
        ... def fetch(): ...   # waits 2, 4, 8 seconds between attempts
    """
    if not isinstance(backoff_factor, (int, float)) or backoff_factor < 0:
        from headwater.exceptions import InvalidDefinitionError

        raise InvalidDefinitionError(f"invalid backoff_factor={backoff_factor!r}: expected a number >= 0")

    def delays(retries: int) -> list[float]:
        return [backoff_factor * 2**attempt for attempt in range(retries)]

    return delays


def retry_delay(
    setting: float | tuple[float, ...] | Callable[[int], list[float]],
    retries: int,
    attempt: int,
    jitter_factor: float | None,
) -> float:
    """Seconds to wait before retry number `attempt` (1-based).

    A list gives one delay per retry (its last value repeats); a callable is asked for
    the list. Jitter adds up to `jitter_factor * delay` so many runs failing together
    do not all retry at once; it never shortens the wait.
    """
    if callable(setting):
        setting = tuple(setting(retries)) or (0.0,)
    if isinstance(setting, tuple):
        delay = float(setting[min(attempt, len(setting)) - 1]) if setting else 0.0
    else:
        delay = float(setting)
    if jitter_factor:
        delay *= 1 + random.uniform(0, jitter_factor)
    return delay
