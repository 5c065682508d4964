"""Futures: handles to task runs submitted to a task runner.

A `HeadwaterFuture` wraps a `concurrent.futures.Future` whose value is the task
run's final `State`. Runners always resolve it to a state (a crash included), so
waiting never raises anything but a time-out.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from headwater.core.states import State, StateType

if TYPE_CHECKING:
    from headwater.engine.runs import TaskRun

__all__ = ["DoneAndNotDoneFutures", "HeadwaterFuture", "HeadwaterFutureList", "as_completed", "unmapped", "wait"]

R = TypeVar("R")


class HeadwaterFuture(Generic[R]):
    """The eventual outcome of a submitted task run.

    Attributes:
        task_run_id: the id of the task run, known at once.
    """

    __slots__ = ("task_run_id", "run", "_future", "observed")

    def __init__(self, run: TaskRun, future: concurrent.futures.Future[State[R]]) -> None:
        self.task_run_id = run.id
        self.run = run
        self._future = future
        # Set when the user looked at the outcome; a failure nobody looked at fails the flow.
        self.observed = False

    @property
    def name(self) -> str:
        return self.run.name

    @property
    def state(self) -> State[R]:
        """The final state if finished, else the current one (Pending, Running, ...)."""
        self.observed = True
        if self._future.done():
            return self._future.result()
        return self.run.state or State(StateType.PENDING)

    def done(self) -> bool:
        return self._future.done()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the task run finishes or `timeout` seconds pass (no error either way)."""
        self.observed = True
        concurrent.futures.wait([self._future], timeout=timeout)

    def final_state(self, timeout: float | None = None) -> State[R]:
        """Block for the final state without marking it observed (engine use)."""
        try:
            return self._future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise TimeoutError(
                f"task run {self.run.name!r} did not finish within {timeout} second(s)"
            ) from None

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> R:
        """The task's return value, waiting for it.

        Raises:
            TimeoutError: not finished within `timeout` seconds.
            Exception: the task's own exception when it failed (unless raise_on_failure=False).
        """
        self.observed = True
        return self.final_state(timeout).result(raise_on_failure=raise_on_failure)

    def add_done_callback(self, fn: Callable[[HeadwaterFuture[R]], Any]) -> None:
        """Call `fn(future)` when the task run finishes (at once if it has)."""
        self._future.add_done_callback(lambda _: fn(self))

    def __repr__(self) -> str:
        return f"HeadwaterFuture({self.run.name!r}, done={self._future.done()})"


class HeadwaterFutureList(list):  # type: ignore[type-arg]
    """The futures `Task.map` returns: a list with `wait()` and `result()` for all."""

    def wait(self, timeout: float | None = None) -> None:
        wait(self, timeout=timeout)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> list[Any]:
        return [f.result(timeout=timeout, raise_on_failure=raise_on_failure) for f in self]


class DoneAndNotDoneFutures(NamedTuple):
    done: set[HeadwaterFuture[Any]]
    not_done: set[HeadwaterFuture[Any]]


def wait(futures: Iterable[HeadwaterFuture[Any]], timeout: float | None = None) -> DoneAndNotDoneFutures:
    """Wait for all `futures` (or until `timeout`); returns which finished and which did not."""
    futures = list(futures)
    by_inner = {f._future: f for f in futures}
    for f in futures:
        f.observed = True
    done, not_done = concurrent.futures.wait(list(by_inner), timeout=timeout)
    return DoneAndNotDoneFutures({by_inner[f] for f in done}, {by_inner[f] for f in not_done})


def as_completed(futures: Iterable[HeadwaterFuture[Any]], timeout: float | None = None
                 ) -> Iterator[HeadwaterFuture[Any]]:
    """Yield futures as their task runs finish.

    Raises:
        TimeoutError: some did not finish within `timeout` seconds.
    """
    futures = list(futures)
    by_inner = {f._future: f for f in futures}
    try:
        for inner in concurrent.futures.as_completed(list(by_inner), timeout=timeout):
            future = by_inner[inner]
            future.observed = True
            yield future
    except concurrent.futures.TimeoutError:
        raise TimeoutError(f"not all of {len(futures)} task runs finished within {timeout} second(s)") from None


@dataclasses.dataclass(frozen=True)
class unmapped(Generic[R]):  # noqa: N801 - the name users know from Prefect
    """Pass this argument whole to every mapped call: `task.map(items, unmapped(client))`."""

    value: R


# -- finding and resolving futures inside arguments --------------------------------

_PLAIN = (type(None), bool, int, float, str, bytes)


def has_futures(value: Any) -> bool:
    """Whether `value` is or holds a future (cheap for the plain values most calls pass)."""
    if isinstance(value, _PLAIN):
        return False
    return bool(collect_futures(value))


def collect_futures(value: Any, depth: int = 0) -> list[HeadwaterFuture[Any]]:
    """Futures inside `value`: itself, or within lists, tuples, sets, dicts, dataclasses."""
    if isinstance(value, HeadwaterFuture):
        return [value]
    if depth > 3:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        items: Iterable[Any] = value
    elif isinstance(value, dict):
        items = value.values()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (getattr(value, f.name) for f in dataclasses.fields(value))
    else:
        return []
    found: list[HeadwaterFuture[Any]] = []
    for item in items:
        found.extend(collect_futures(item, depth + 1))
    return found


def resolve_futures(value: Any, depth: int = 0) -> Any:
    """A copy of `value` with each future replaced by its (completed) result."""
    if isinstance(value, HeadwaterFuture):
        return value.final_state().result()
    if depth > 3:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        if not any(collect_futures(item, depth + 1) for item in value):
            return value
        resolved = [resolve_futures(item, depth + 1) for item in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*resolved)
        return type(value)(resolved)
    if isinstance(value, dict):
        if not collect_futures(value, depth):
            return value
        return {k: resolve_futures(v, depth + 1) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not collect_futures(value, depth):
            return value
        return dataclasses.replace(
            value, **{f.name: resolve_futures(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
                      if f.init}
        )
    return value
