"""State constructors, as in `prefect.states`.

Example:
    >>> from headwater.states import Completed, Failed
    >>> Completed(message="done").is_completed()
    True
"""

from __future__ import annotations

from typing import Any

from headwater.core.states import State, StateType

__all__ = [
    "AwaitingConcurrencySlot",
    "AwaitingRetry",
    "Cached",
    "Cancelled",
    "Cancelling",
    "Completed",
    "Crashed",
    "Failed",
    "Late",
    "Paused",
    "Pending",
    "Retrying",
    "Running",
    "Scheduled",
    "State",
    "StateType",
    "TimedOut",
]


def _constructor(type_: StateType, name: str) -> Any:
    def make(message: str | None = None, data: Any = None, *, name: str | None = name,
             **details: Any) -> State[Any]:
        # `name=` gives the state a custom name (Completed(name="Skipped")), kept as is.
        return State(type_, name, message, data, details=details or None)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"Return a new {type_.value} state named {name!r}."
    return make


Scheduled = _constructor(StateType.SCHEDULED, "Scheduled")
Late = _constructor(StateType.SCHEDULED, "Late")
AwaitingRetry = _constructor(StateType.SCHEDULED, "AwaitingRetry")
AwaitingConcurrencySlot = _constructor(StateType.SCHEDULED, "AwaitingConcurrencySlot")
Pending = _constructor(StateType.PENDING, "Pending")
Running = _constructor(StateType.RUNNING, "Running")
Retrying = _constructor(StateType.RUNNING, "Retrying")
Completed = _constructor(StateType.COMPLETED, "Completed")
Cached = _constructor(StateType.COMPLETED, "Cached")
Failed = _constructor(StateType.FAILED, "Failed")
TimedOut = _constructor(StateType.FAILED, "TimedOut")
Crashed = _constructor(StateType.CRASHED, "Crashed")
Cancelling = _constructor(StateType.CANCELLING, "Cancelling")
Cancelled = _constructor(StateType.CANCELLED, "Cancelled")
Paused = _constructor(StateType.PAUSED, "Paused")
