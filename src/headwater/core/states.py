"""Run states as data, and the one table of allowed transitions.

A state is a type (what the engine and server reason about) plus a name (what people
read: "Retrying" is a RUNNING state, "Cached" a COMPLETED one, "Late" a SCHEDULED one).
`TRANSITIONS` says which type may follow which; everything that changes a run's
state, in the engine or the server, asks `check_transition` first.
"""

from __future__ import annotations

import enum
from collections.abc import Coroutine, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from headwater.core import clock
from headwater.core.async_dispatch import in_async_context
from headwater.exceptions import (
    CancelledRun,
    CrashedRun,
    FailedRun,
    InvalidStateTransition,
    MissingResult,
    PausedRun,
    UnfinishedRun,
)

if TYPE_CHECKING:
    from typing_extensions import TypeGuard

__all__ = [
    "FINAL_TYPES",
    "TRANSITIONS",
    "State",
    "StateType",
    "check_transition",
    "is_state_iterable",
    "is_allowed",
]

R = TypeVar("R")


class StateType(str, enum.Enum):
    """The kind of a state; the name may refine it (Cached is a COMPLETED type)."""

    SCHEDULED = "SCHEDULED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CRASHED = "CRASHED"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"
    PAUSED = "PAUSED"

    def __str__(self) -> str:
        return self.value


S = StateType
FINAL_TYPES = frozenset({S.COMPLETED, S.FAILED, S.CRASHED, S.CANCELLED})
_ENDS = frozenset({S.FAILED, S.CRASHED, S.CANCELLED})

# Which state type may follow which. `None` is a run that has no state yet.
# A final state only leaves through SCHEDULED: that is how a finished run is retried.
# SCHEDULED -> SCHEDULED covers "Late" and rescheduling; PENDING -> SCHEDULED covers
# "AwaitingConcurrencySlot"; RUNNING -> SCHEDULED covers "AwaitingRetry"; PENDING ->
# PENDING covers "NotReady" (a task run whose upstream did not complete).
TRANSITIONS: dict[StateType | None, frozenset[StateType]] = {
    None: frozenset({S.SCHEDULED, S.PENDING, S.RUNNING}) | FINAL_TYPES,
    S.SCHEDULED: frozenset({S.SCHEDULED, S.PENDING, S.RUNNING, S.PAUSED, S.CANCELLING}) | FINAL_TYPES,
    S.PENDING: frozenset({S.SCHEDULED, S.PENDING, S.RUNNING, S.PAUSED, S.CANCELLING}) | FINAL_TYPES,
    S.RUNNING: frozenset({S.SCHEDULED, S.PAUSED, S.CANCELLING}) | FINAL_TYPES,
    S.PAUSED: frozenset({S.SCHEDULED, S.PENDING, S.RUNNING, S.CANCELLING}) | _ENDS,
    S.CANCELLING: frozenset({S.COMPLETED, S.FAILED, S.CRASHED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.SCHEDULED}),
    S.FAILED: frozenset({S.SCHEDULED}),
    S.CRASHED: frozenset({S.SCHEDULED}),
    S.CANCELLED: frozenset({S.SCHEDULED}),
}


def is_allowed(from_type: StateType | None, to_type: StateType) -> bool:
    """Return whether the table allows a run in `from_type` to move to `to_type`."""
    return to_type in TRANSITIONS[from_type]


def check_transition(from_type: StateType | None, to_type: StateType) -> None:
    """Raise `InvalidStateTransition` unless the table allows the move."""
    if to_type not in TRANSITIONS[from_type]:
        current = from_type.value if from_type is not None else "no state"
        raise InvalidStateTransition(
            f"cannot move a run from {current} to {to_type.value}; "
            f"allowed from {current}: {', '.join(sorted(t.value for t in TRANSITIONS[from_type]))}"
        )


_DEFAULT_NAMES = {
    S.SCHEDULED: "Scheduled",
    S.PENDING: "Pending",
    S.RUNNING: "Running",
    S.COMPLETED: "Completed",
    S.FAILED: "Failed",
    S.CRASHED: "Crashed",
    S.CANCELLING: "Cancelling",
    S.CANCELLED: "Cancelled",
    S.PAUSED: "Paused",
}


class State(Generic[R]):
    """The state of a flow run or task run at one instant.

    Attributes:
        type: the `StateType`.
        name: the display name ("Completed", "Cached", "Retrying", ...).
        message: a human-readable explanation, or None.
        ts: when the state was entered, seconds since the epoch.
        data: the result (completed), the exception (failed), or None.
        details: small facts that go with the state (scheduled_time, cache_key, ...).
        run_id: the run that entered this state, or None for a state made by hand
            (a flow returning a hand-made state ends in it; a run's state returned
            from a flow counts as an upstream outcome instead, as in Prefect).
    """

    __slots__ = ("type", "name", "message", "ts", "data", "details", "run_id")

    def __init__(
        self,
        type: StateType,
        name: str | None = None,
        message: str | None = None,
        data: Any = None,
        ts: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.type = type
        self.name = name or _DEFAULT_NAMES[type]
        self.message = message
        self.data = data
        self.ts = clock.now() if ts is None else ts
        self.details = details
        self.run_id: str | None = None

    @property
    def timestamp(self) -> datetime:
        """When the state was entered, as an aware UTC datetime."""
        return clock.to_datetime(self.ts)

    def is_scheduled(self) -> bool:
        return self.type is S.SCHEDULED

    def is_pending(self) -> bool:
        return self.type is S.PENDING

    def is_running(self) -> bool:
        return self.type is S.RUNNING

    def is_completed(self) -> bool:
        return self.type is S.COMPLETED

    def is_failed(self) -> bool:
        return self.type is S.FAILED

    def is_crashed(self) -> bool:
        return self.type is S.CRASHED

    def is_cancelling(self) -> bool:
        return self.type is S.CANCELLING

    def is_cancelled(self) -> bool:
        return self.type is S.CANCELLED

    def is_paused(self) -> bool:
        return self.type is S.PAUSED

    def is_final(self) -> bool:
        return self.type in FINAL_TYPES

    def result(self, raise_on_failure: bool = True) -> R | Coroutine[Any, Any, R]:
        """Return the run's result, or raise the exception that ended it.

        In async code (inside an async flow or task, or on a running event loop
        outside any run) this returns a coroutine to await, as Prefect 3 does; inside
        a sync flow or task it returns the value. `result_sync()` never needs awaiting.

        Args:
            raise_on_failure: when False, a failed state returns its exception instead.

        Raises:
            UnfinishedRun: the state is not final.
            PausedRun: the run is paused.
            MissingResult: the run completed but its result was not kept.
            Exception: the original exception of a failed run (`FailedRun`,
                `CrashedRun` or `CancelledRun` when it holds only a message).
        """
        if in_async_context():
            return self.aresult(raise_on_failure)
        self._check_has_result()
        return self.result_sync(raise_on_failure)

    async def aresult(self, raise_on_failure: bool = True) -> R:
        """`result()` for async code: always a coroutine."""
        self._check_has_result()
        return self.result_sync(raise_on_failure)

    def _check_has_result(self) -> None:
        # As in Prefect: a Completed state made by hand with no data has no result to
        # give. States a run entered keep their (possibly None) return value.
        if self.type is S.COMPLETED and self.data is None and self.run_id is None:
            raise MissingResult("this Completed state carries no result: it was made without data, "
                                "or its run's result was not kept (persist_result=True keeps it)")

    def result_sync(self, raise_on_failure: bool = True) -> R:
        """`result()` that never returns a coroutine (what the engine itself uses)."""
        if self.type is S.COMPLETED:
            data = self.data
            if isinstance(data, LazyResult):
                return data.load()  # type: ignore[no-any-return]  # a Completed state's data is its R result
            return data  # type: ignore[no-any-return]  # as above
        if self.type in _ENDS:
            exc = self.exception()
            if raise_on_failure:
                raise exc
            return exc  # type: ignore[return-value]  # Prefect's raise_on_failure=False gives the exception as the result
        # Prefect's wording, which programs may print.
        if self.type is S.PAUSED:
            raise PausedRun("Run is paused, its result is not available.")
        raise UnfinishedRun(f"Run is in {self.type.value} state, its result is not available.")

    def exception(self) -> BaseException:
        """The exception a failed, crashed or cancelled state stands for.

        Its own exception if it holds one; for a state holding other states (a flow
        that returned them), the first failed one's; else one made from its message.
        """
        data = self.data
        if isinstance(data, BaseException):
            return data
        if isinstance(data, State):
            if data.type in _ENDS:
                return data.exception()
        elif is_state_iterable(data):
            for inner in data:
                inner_state: State[Any] = inner
                if inner_state.type in _ENDS:
                    return inner_state.exception()
        elif isinstance(data, str):
            return self._default_exception(data)
        return self._default_exception()

    def _default_exception(self, message: str | None = None) -> BaseException:
        if self.type is S.CRASHED:
            return CrashedRun(message or self.message or "Run crashed.")
        if self.type is S.CANCELLED:
            return CancelledRun(message or self.message or "Run cancelled.")
        return FailedRun(message or self.message or "Run failed.")

    def copy(self, **changes: Any) -> State[R]:
        """Return a copy with some attributes changed (a fresh timestamp unless given)."""
        fields = {
            "type": self.type,
            "name": self.name,
            "message": self.message,
            "data": self.data,
            "details": self.details,
            "ts": None,
        }
        fields.update(changes)
        return State(**fields)

    def __str__(self) -> str:
        parts = []
        if self.message:
            parts.append(repr(self.message))
        if self.name != _DEFAULT_NAMES[self.type]:
            parts.append(f"type={self.type.value}")
        return f"{self.name}({', '.join(parts)})"

    def __repr__(self) -> str:
        return f"<State {self}>"


class LazyResult:
    """Something a completed state can hold instead of its value: loaded on demand.

    Result persistence subclasses this; `State.result()` calls `load()`.
    """

    __slots__ = ()

    def load(self) -> Any:  # pragma: no cover - subclasses implement
        raise NotImplementedError


def is_state_iterable(value: Any) -> TypeGuard[Iterable[State[Any]]]:
    """Whether `value` is a non-empty list, tuple or set holding only states (what a run
    that returned several states returned)."""
    return isinstance(value, (list, tuple, set)) and bool(value) and all(isinstance(v, State) for v in value)
