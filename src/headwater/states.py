"""State constructors, as in `prefect.states`.

Example:
    >>> from headwater.states import Completed, Failed
    >>> Completed(message="done").is_completed()
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.core.states import State, StateType, is_state_iterable

__all__ = [
    "AwaitingConcurrencySlot",
    "InfrastructurePending",
    "StateGroup",
    "Submitting",
    "Suspended",
    "exception_to_crashed_state",
    "exception_to_failed_state",
    "get_state_exception",
    "get_state_result",
    "is_state_iterable",
    "raise_state_exception",
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
Suspended = _constructor(StateType.PAUSED, "Suspended")
Submitting = _constructor(StateType.PENDING, "Submitting")
InfrastructurePending = _constructor(StateType.PENDING, "InfrastructurePending")

_FAILURES = (StateType.FAILED, StateType.CRASHED, StateType.CANCELLED)


def get_state_result(state: State[Any], raise_on_failure: bool = True) -> Any:
    """The result of a final state (never a coroutine); see `State.result`."""
    return state.result_sync(raise_on_failure)


def get_state_exception(state: State[Any]) -> BaseException:
    """The exception a failed, crashed or cancelled state stands for.

    Raises:
        ValueError: the state is none of those.
    """
    if state.type not in _FAILURES:
        raise ValueError(f"Expected failed or crashed state got {state!r}.")
    return state.exception()


def raise_state_exception(state: State[Any]) -> None:
    """Raise the exception of a failed, crashed or cancelled state; do nothing otherwise."""
    if state.type in _FAILURES:
        raise state.exception()


async def exception_to_failed_state(exc: BaseException | None = None, message: str | None = None, **details: Any
                              ) -> State[Any]:
    """A Failed state holding `exc` (the exception being handled if None); async, as in Prefect."""
    import sys

    exc = exc if exc is not None else sys.exc_info()[1]
    if message is None:
        message = f"{type(exc).__name__}: {exc}" if exc is not None else "Run failed."
    return State(StateType.FAILED, None, message, exc, details=details or None)


async def exception_to_crashed_state(exc: BaseException, **details: Any) -> State[Any]:
    """A Crashed state for an interruption `exc` outside the run's own code; async, as in Prefect."""
    return State(StateType.CRASHED, None, f"Execution was interrupted by an unexpected exception: "
                 f"{type(exc).__name__}: {exc}", exc, details=details or None)


class StateGroup:
    """Counts over several states, as Prefect's `StateGroup` gives them."""

    def __init__(self, states: Iterable[State[Any]]) -> None:
        self.states = list(states)
        self.type_counts: dict[StateType, int] = {t: 0 for t in StateType}
        for state in self.states:
            self.type_counts[state.type] += 1
        self.total_count = len(self.states)
        self.cancelled_count = self.type_counts[StateType.CANCELLED]
        self.final_count = sum(1 for s in self.states if s.is_final())
        self.not_final_count = self.total_count - self.final_count
        self.paused_count = self.type_counts[StateType.PAUSED]

    @property
    def fail_count(self) -> int:
        return self.type_counts[StateType.FAILED] + self.type_counts[StateType.CRASHED]

    def all_completed(self) -> bool:
        return self.type_counts[StateType.COMPLETED] == self.total_count

    def any_cancelled(self) -> bool:
        return self.cancelled_count > 0

    def any_failed(self) -> bool:
        return self.fail_count > 0

    def any_paused(self) -> bool:
        return self.paused_count > 0

    def all_final(self) -> bool:
        return self.final_count == self.total_count

    def counts_message(self) -> str:
        counts = [f"total={self.total_count}"]
        counts += [f"{t.value!r}={n}" for t, n in self.type_counts.items() if n]
        return ", ".join(counts)
