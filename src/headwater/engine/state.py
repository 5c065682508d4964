"""Prefect 1's task and flow states (`prefect.engine.state`), as static flows report them.

A state is a small value: a message, a result, and a type whose place in the class
tree answers the questions (`is_successful()` is true for Success and every subclass:
Cached, Mapped, Skipped). `flow.run()` returns one for the flow, whose `.result` maps
each task to its own.

    Pending ── Scheduled ── Retrying, Paused, Resume
    Running
    Finished ── Success ── Cached, Mapped, Skipped
             ├─ Failed ── TriggerFailed, TimedOut, ValidationFailed
             ├─ Looped
             └─ Cancelled
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "Cached", "Cancelled", "Cancelling", "ClientFailed", "Failed", "Finished", "Looped", "Mapped", "Paused",
    "Pending", "Queued", "Resume", "Retrying", "Running", "Scheduled", "Skipped", "State", "Submitted", "Success",
    "TimedOut", "TriggerFailed", "ValidationFailed",
]


def utcnow() -> datetime:
    from headwater.core.clock import now_datetime

    return now_datetime()


class State:
    """The base state: a message and a result.

    Args:
        message: what happened (or the exception that caused it).
        result: the data the state carries (a task's return value, its exception, ...).
        context: extra information (loop counts, tags).
        cached_inputs: accepted for compatibility; unused.
    """

    color = "#696969"
    flow_run_id: str | None  # set on the state flow.run() returns only

    def __init__(self, message: Any = None, result: Any = None, context: dict[str, Any] | None = None,
                 cached_inputs: dict[str, Any] | None = None) -> None:
        self.message = message
        self.result = result
        self.context = dict(context or {})
        self.cached_inputs = dict(cached_inputs or {})

    @property
    def result(self) -> Any:
        """The state's data (a task's return value, its exception, ...)."""
        value = self._data
        return value.value if _is_result(value) else value

    @result.setter
    def result(self, value: Any) -> None:
        self._data = value

    @property
    def _result(self) -> Any:
        """The data as a Result object (`.value`, and `.location` once written), as in Prefect 1."""
        if _is_result(self._data):
            return self._data
        from headwater.engine.results import Result

        return Result(self._data)

    def __repr__(self) -> str:
        if self.message is not None:
            return f'<{type(self).__name__}: "{self.message}">'
        return f"<{type(self).__name__}>"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.result == other.result

    def __hash__(self) -> int:
        return id(self)

    @classmethod
    def children(cls, include_self: bool = False, names_only: bool = False) -> list[Any]:
        """The state classes below this one (optionally itself too)."""
        found: list[type[State]] = [cls] if include_self else []
        stack = list(cls.__subclasses__())
        while stack:
            sub = stack.pop(0)
            found.append(sub)
            stack.extend(sub.__subclasses__())
        return [c.__name__ for c in found] if names_only else found

    @classmethod
    def parents(cls, include_self: bool = False, names_only: bool = False) -> list[Any]:
        """The state classes above this one (optionally itself too)."""
        found = [c for c in cls.__mro__ if issubclass(c, State) and (include_self or c is not cls)]
        return [c.__name__ for c in found] if names_only else found

    def is_pending(self) -> bool:
        return isinstance(self, Pending)

    def is_queued(self) -> bool:
        return isinstance(self, Queued)

    def is_retrying(self) -> bool:
        return isinstance(self, Retrying)

    def is_running(self) -> bool:
        return isinstance(self, Running)

    def is_cached(self) -> bool:
        return isinstance(self, Cached)

    def is_finished(self) -> bool:
        return isinstance(self, Finished)

    def is_looped(self) -> bool:
        return isinstance(self, Looped)

    def is_scheduled(self) -> bool:
        return isinstance(self, (Scheduled, Queued))

    def is_submitted(self) -> bool:
        return isinstance(self, Submitted)

    def is_skipped(self) -> bool:
        return isinstance(self, Skipped)

    def is_successful(self) -> bool:
        return isinstance(self, Success)

    def is_failed(self) -> bool:
        return isinstance(self, Failed)

    def is_mapped(self) -> bool:
        return isinstance(self, Mapped)

    def is_meta_state(self) -> bool:
        return isinstance(self, _MetaState)


class Pending(State):
    """Not started yet."""

    color = "#7ebdff"


class Scheduled(Pending):
    """Waiting for a start time (`start_time`, UTC)."""

    color = "#ffab00"

    def __init__(self, message: Any = None, result: Any = None, start_time: datetime | None = None,
                 cached_inputs: dict[str, Any] | None = None, context: dict[str, Any] | None = None) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.start_time = start_time or utcnow()


class Paused(Scheduled):
    """Waiting for someone to resume it (manual_only trigger, PAUSE signal)."""

    color = "#99a8e8"


class Resume(Scheduled):
    """Resumed after a pause."""

    color = "#f58c0c"


class Retrying(Scheduled):
    """Failed, to be run again at `start_time`; `run_count` attempts made so far."""

    color = "#f66a0a"

    def __init__(self, message: Any = None, result: Any = None, start_time: datetime | None = None,
                 cached_inputs: dict[str, Any] | None = None, context: dict[str, Any] | None = None,
                 run_count: int | None = None) -> None:
        super().__init__(message, result, start_time, cached_inputs, context)
        if run_count is None:
            from headwater.engine.static.context import context as run_context

            run_count = run_context.get("task_run_count", 1)
        self.run_count = run_count


class _MetaState(State):
    """A state wrapping another (used by orchestration backends)."""

    def __init__(self, message: Any = None, result: Any = None, state: State | None = None,
                 context: dict[str, Any] | None = None, cached_inputs: dict[str, Any] | None = None) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.state = state


class ClientFailed(_MetaState):
    """The state could not be set by the client."""


class Submitted(_MetaState):
    """Handed to an executor."""


class Queued(_MetaState):
    """Waiting for a concurrency slot."""


class Running(State):
    """Running now."""

    color = "#3d67ff"


class Cancelling(Running):
    """Being cancelled."""


class Finished(State):
    """Done, one way or another."""

    color = "#003ccb"


class Looped(Finished):
    """One iteration of a looping task finished (`loop_count`); the next runs at once."""

    def __init__(self, message: Any = None, result: Any = None, loop_count: int | None = None,
                 context: dict[str, Any] | None = None, cached_inputs: dict[str, Any] | None = None) -> None:
        super().__init__(message, result, context, cached_inputs)
        if loop_count is None:
            from headwater.engine.static.context import context as run_context

            loop_count = run_context.get("task_loop_count", 1)
        self.loop_count = loop_count


class Success(Finished):
    """Finished well; `result` holds the return value."""

    color = "#28a745"


class Cached(Success):
    """A result reused from an earlier run (`cache_for`), valid until `cached_result_expiration`."""

    color = "#34d058"

    def __init__(self, message: Any = None, result: Any = None, cached_inputs: dict[str, Any] | None = None,
                 cached_parameters: dict[str, Any] | None = None,
                 cached_result_expiration: datetime | None = None, context: dict[str, Any] | None = None,
                 hashed_inputs: dict[str, str] | None = None) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.hashed_inputs = hashed_inputs
        self.cached_parameters = cached_parameters
        self.cached_result_expiration = cached_result_expiration


class Mapped(Success):
    """A mapped task: its runs are `map_states`, its result the list of their results."""

    def __init__(self, message: Any = None, result: Any = None, map_states: list[State] | None = None,
                 context: dict[str, Any] | None = None, cached_inputs: dict[str, Any] | None = None,
                 n_map_states: int | None = None) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.map_states: list[State] = list(map_states or [])
        self._n_map_states = n_map_states

    @property
    def n_map_states(self) -> int:
        return self._n_map_states or len(self.map_states)

    @n_map_states.setter
    def n_map_states(self, value: int | None) -> None:
        self._n_map_states = value


class Cancelled(Finished):
    """Cancelled before it finished."""

    color = "#bdbdbd"


class Failed(Finished):
    """Finished badly; `result` holds the exception."""

    color = "#eb0000"


class TimedOut(Failed):
    """Ran past its timeout."""

    color = "#ff4e33"


class TriggerFailed(Failed):
    """Did not run: its trigger refused the upstream states."""

    color = "#ff5131"


class ValidationFailed(Failed):
    """Its result did not validate."""

    color = "#ff5131"


class Skipped(Success):
    """Did not run, on purpose (SKIP signal, a `case` not taken, an upstream skipped)."""

    color = "#62757f"


def _is_result(value: Any) -> bool:
    from headwater.engine.results import Result

    return isinstance(value, Result)


def retry_at(delay: timedelta | None) -> datetime:
    """When a retry waiting `delay` starts."""
    return utcnow() + (delay or timedelta(0))
