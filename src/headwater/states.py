"""State constructors, as in `prefect.states`.

Example:
    >>> from headwater.states import Completed, Failed
    >>> Completed(message="done").is_completed()
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.core.states import LazyResult, State, StateType, is_state_iterable

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


def Paused(message: str | None = None, data: Any = None, *, name: str | None = "Paused",
           timeout_seconds: float | None = None, pause_expiration_time: Any = None, reschedule: bool = False,
           pause_key: str | None = None, **details: Any) -> State[Any]:
    """Return a new PAUSED state; its pause (when it expires, whether the run is scheduled
    again when resumed, its key) goes in `details`, as Prefect's `Paused` puts it in
    `state_details`.

    Raises:
        ValueError: both `timeout_seconds` and `pause_expiration_time` were given.
    """
    from headwater.core import clock

    if pause_expiration_time is not None and timeout_seconds is not None:
        raise ValueError("Cannot supply both a pause_expiration_time and timeout_seconds")
    if timeout_seconds is not None:
        pause_expiration_time = clock.to_datetime(clock.now() + timeout_seconds)
    if pause_expiration_time is not None:
        details["pause_timeout"] = pause_expiration_time.isoformat()
    details["pause_reschedule"] = reschedule
    if pause_key is not None:
        details["pause_key"] = pause_key
    return State(StateType.PAUSED, name, message, data, details=details)


def Suspended(message: str | None = None, data: Any = None, *, name: str | None = "Suspended",
              timeout_seconds: float | None = None, pause_expiration_time: Any = None, pause_key: str | None = None,
              **details: Any) -> State[Any]:
    """Return a new Suspended state (PAUSED, scheduled again when resumed); see `Paused`."""
    return Paused(message, data, name=name, timeout_seconds=timeout_seconds,
                  pause_expiration_time=pause_expiration_time, reschedule=True, pause_key=pause_key, **details)


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


# -- Prefect 3's helpers for final states (prefect.states) --------------------------------

_FINAL = (StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED)


def format_exception(exc: BaseException, tb: Any = None) -> str:
    """`Type: message`, or the full traceback when `tb` is given."""
    import traceback

    if tb is None:
        return f"{type(exc).__name__}: {exc}"
    return "".join(traceback.format_exception(type(exc), exc, tb))


async def aget_state_exception(state: State[Any]) -> BaseException:
    """`get_state_exception` for async code."""
    return get_state_exception(state)


async def araise_state_exception(state: State[Any]) -> None:
    """`raise_state_exception` for async code."""
    raise_state_exception(state)


def _aggregate(states: list[State[Any]]) -> State[Any]:
    """One state for a list of states a run returned: Completed only if all completed."""
    total = len(states)

    def count(*types: StateType) -> int:
        return sum(state.type in types for state in states)

    if count(StateType.COMPLETED) == total:
        return State(StateType.COMPLETED, None, "All states completed.", states)
    if count(StateType.CANCELLED):
        return State(StateType.CANCELLED, None, f"{count(StateType.CANCELLED)}/{total} states cancelled.", states)
    if count(StateType.PAUSED):
        return State(StateType.PAUSED, None, f"{count(StateType.PAUSED)}/{total} states paused.", states)
    if count(StateType.FAILED, StateType.CRASHED):
        failed = count(StateType.FAILED, StateType.CRASHED)
        return State(StateType.FAILED, None, f"{failed}/{total} states failed.", states)
    not_final = total - count(*_FINAL)
    return State(StateType.FAILED, None, f"{not_final}/{total} states are not final.", states)


async def return_value_to_state(retval: Any, result_store: Any, key: str | None = None, expiration: Any = None,
                                write_result: bool = False) -> State[Any]:
    """The final state for what a run's function returned.

    A returned state is used as given; a list, tuple or set of states gives one
    aggregate state (Completed only if all completed, else Cancelled, Paused or Failed
    with a message counting them); any other value gives Completed holding it,
    written to `result_store` first when `write_result` is true.
    """
    if isinstance(retval, State):
        return retval
    if is_state_iterable(retval):
        return _aggregate(list(retval))
    if write_result:
        result_store.write(retval, key=key, expiration=expiration)
    # None is a result too: held so that `result()` gives it rather than "no result".
    return State(StateType.COMPLETED, None, None, _Returned(retval) if retval is None else retval)


class _Returned(LazyResult):
    """A returned value held as is (for None, which a bare Completed state cannot tell from "no result")."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def load(self) -> Any:
        return self.value


__all__ += ["aget_state_exception", "araise_state_exception", "format_exception", "return_value_to_state"]
