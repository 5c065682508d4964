"""Futures: handles to task runs submitted to a task runner.

A `HeadwaterFuture` wraps a `FinalStateSlot`: the slot where the task run's final `State`
arrives. Runners always fill it with a state (a crash included), so waiting never
raises anything but a time-out.
"""

from __future__ import annotations

import _thread
import dataclasses
import functools
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from headwater.core.states import State, StateType

if TYPE_CHECKING:
    from headwater.engine.runs import TaskRun

__all__ = ["DoneAndNotDoneFutures", "FinalStateSlot", "HeadwaterFuture", "HeadwaterFutureList", "as_completed",
           "unmapped", "wait"]

R = TypeVar("R")

# Guards the check-then-append of a callback against the outcome being set. One lock
# for all outcomes: it is held for a few bytecodes, never while a callback runs.
_registration = threading.Lock()
_log = logging.getLogger("headwater.engine")


class FinalStateSlot(Generic[R]):
    """A one-shot slot for a task run's final state.

    It does the part of `concurrent.futures.Future` that task runners need, without
    a Condition (and its RLock) per instance: a submit pays for two attributes, and
    only a thread that actually blocks allocates a lock to block on.
    """

    __slots__ = ("_state", "_callbacks")

    def __init__(self) -> None:
        self._state: State[R] | None = None
        self._callbacks: list[Callable[[FinalStateSlot[R]], Any]] | None = []

    def done(self) -> bool:
        return self._state is not None

    def set_result(self, state: State[R]) -> None:
        """Fill the slot and call the callbacks (in this thread). A slot is filled once."""
        with _registration:
            if self._state is not None:
                raise RuntimeError(f"outcome already set to {self._state!r}")
            self._state = state
            callbacks, self._callbacks = self._callbacks, None
        for callback in callbacks or ():
            _call(callback, self)

    def add_done_callback(self, fn: Callable[[FinalStateSlot[R]], Any]) -> None:
        """Call `fn(outcome)` once it is filled: at once (here) if it already is."""
        with _registration:
            callbacks = self._callbacks  # None once the slot is filled (set_result, under the same lock)
            if callbacks is not None:
                callbacks.append(fn)
                return
        _call(fn, self)

    def result(self, timeout: float | None = None) -> State[R]:
        """The final state, blocking up to `timeout` seconds.

        Raises:
            TimeoutError: not filled within `timeout` seconds.
        """
        state = self._state
        if state is None:
            wait_all_futures([self], timeout)
            state = self._state
            if state is None:
                raise TimeoutError(f"no final state within {timeout} second(s)")
        return state


def _call(callback: Callable[[Any], Any], outcome: FinalStateSlot[Any]) -> None:
    try:
        callback(outcome)
    except Exception:  # one broken callback must not keep the others (or the runner) from running
        _log.exception("a done-callback of a task run failed")


def wait_all_futures(outcomes: list[FinalStateSlot[Any]], timeout: float | None) -> None:
    """Block until every outcome is filled or `timeout` seconds pass."""
    pending = [o for o in outcomes if o._state is None]
    if not pending:
        return
    gate = _thread.allocate_lock()
    gate.acquire()
    filled = itertools.count(1)  # next() is atomic: callbacks may run in many threads at once
    last = len(pending)

    def one_filled(_: FinalStateSlot[Any]) -> None:
        if next(filled) == last:
            gate.release()

    for outcome in pending:
        outcome.add_done_callback(one_filled)
    gate.acquire(timeout=-1 if timeout is None else max(timeout, 0))


class HeadwaterFuture(Generic[R]):
    """The eventual outcome of a submitted task run.

    Attributes:
        task_run_id: the id of the task run, known at once.
    """

    __slots__ = ("task_run_id", "run", "_future", "observed")

    def __init__(self, run: TaskRun, future: FinalStateSlot[R]) -> None:
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
        final = self._future._state
        if final is not None:
            return final
        return self.run.state or State(StateType.PENDING)

    def done(self) -> bool:
        return self._future._state is not None

    def wait(self, timeout: float | None = None) -> None:
        """Block until the task run finishes or `timeout` seconds pass (no error either way)."""
        self.observed = True
        wait_all_futures([self._future], timeout)

    def final_state(self, timeout: float | None = None) -> State[R]:
        """Block for the final state without marking it observed (engine use)."""
        try:
            return self._future.result(timeout)
        except TimeoutError:
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
        return self.final_state(timeout).result_sync(raise_on_failure)

    def add_done_callback(self, fn: Callable[[HeadwaterFuture[R]], Any]) -> None:
        """Call `fn(future)` when the task run finishes (at once if it has)."""
        self._future.add_done_callback(lambda _: fn(self))

    def __repr__(self) -> str:
        return f"HeadwaterFuture({self.run.name!r}, done={self.done()})"


class HeadwaterFutureList(list[HeadwaterFuture[R]]):
    """The futures `Task.map` returns: a list with `wait()` and `result()` for all."""

    def wait(self, timeout: float | None = None) -> None:
        if all(isinstance(f, HeadwaterFuture) for f in self):
            wait(self, timeout=timeout)
            return
        # `map(deferred=True)` gives background futures, which run elsewhere: wait for each.
        deadline = None if timeout is None else time.monotonic() + timeout
        for future in self:
            future.wait(None if deadline is None else max(deadline - time.monotonic(), 0))

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> list[R]:
        return [f.result(timeout=timeout, raise_on_failure=raise_on_failure) for f in self]


class DoneAndNotDoneFutures(NamedTuple):
    done: set[HeadwaterFuture[Any]]
    not_done: set[HeadwaterFuture[Any]]


def wait(futures: Iterable[HeadwaterFuture[Any]], timeout: float | None = None) -> DoneAndNotDoneFutures:
    """Wait for all `futures` (or until `timeout`); returns which finished and which did not."""
    futures = list(futures)
    for f in futures:
        f.observed = True
    wait_all_futures([f._future for f in futures], timeout)
    done = {f for f in futures if f.done()}
    return DoneAndNotDoneFutures(done, {f for f in futures if f not in done})


def _put_when_done(finished: queue.SimpleQueue[HeadwaterFuture[Any]], future: HeadwaterFuture[Any],
                   _slot: FinalStateSlot[Any]) -> None:
    finished.put(future)


def as_completed(futures: Iterable[HeadwaterFuture[Any]], timeout: float | None = None
                 ) -> Iterator[HeadwaterFuture[Any]]:
    """Yield futures as their task runs finish.

    Raises:
        TimeoutError: some did not finish within `timeout` seconds.
    """
    futures = list(dict.fromkeys(futures))
    finished: queue.SimpleQueue[HeadwaterFuture[Any]] = queue.SimpleQueue()
    for future in futures:
        future._future.add_done_callback(functools.partial(_put_when_done, finished, future))
    deadline = None if timeout is None else time.monotonic() + timeout
    for _ in futures:
        try:
            future = finished.get(timeout=None if deadline is None else max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise TimeoutError(
                f"not all of {len(futures)} task runs finished within {timeout} second(s)") from None
        future.observed = True
        yield future


@dataclasses.dataclass(frozen=True)
class unmapped(Generic[R]):  # noqa: N801 - the name users know from Prefect
    """Pass this argument whole to every mapped call: `task.map(items, unmapped(client))`."""

    value: R


# -- finding and resolving futures inside arguments --------------------------------

_PLAIN = (type(None), bool, int, float, str, bytes)


def _annotation_of(value: tuple[Any, ...]) -> str | None:
    """The marker of an annotation (`quote`, `allow_failure`, ...: utilities/annotations.py),
    or None; only tuple subclasses are looked at, so plain values pay nothing."""
    if type(value) is tuple:
        return None
    return getattr(value, "_annotation", None)


def has_futures(value: Any) -> bool:
    """Whether `value` is or holds a future, or holds an annotation the engine must
    unwrap (cheap for the plain values most calls pass)."""
    if isinstance(value, _PLAIN):
        return False
    return _needs_resolving(value, 0)


def _needs_resolving(value: Any, depth: int) -> bool:
    """Whether `value` is or holds (within the depth `collect_futures` searches) a future
    or an annotation: Prefect takes annotations off wherever they are in an argument."""
    if isinstance(value, HeadwaterFuture):
        return True
    if depth > 3:
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        if isinstance(value, tuple) and _annotation_of(value):
            return True
        items: Iterable[Any] = value
    elif isinstance(value, dict):
        items = value.values()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (getattr(value, f.name) for f in dataclasses.fields(value))
    else:
        return False
    return any(_needs_resolving(item, depth + 1) for item in items)


def collect_futures(value: Any, depth: int = 0) -> list[HeadwaterFuture[Any]]:
    """Futures inside `value`: itself, or within lists, tuples, sets, dicts, dataclasses
    (not inside `quote(...)`: a quoted value is passed as is)."""
    if isinstance(value, HeadwaterFuture):
        return [value]
    if depth > 3:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        if isinstance(value, tuple) and _annotation_of(value) == "quote":
            return []
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


def failure_allowed(values: Iterable[Any], depth: int = 0) -> set[int]:
    """Ids of the futures that `values` wrap in `allow_failure(...)` (at the top level or
    inside a collection, where Prefect programs put them)."""
    allowed: set[int] = set()
    for value in values:
        if isinstance(value, tuple) and _annotation_of(value) == "allow_failure":
            allowed.update(id(f) for f in collect_futures(value))
        elif depth > 2:
            continue
        elif isinstance(value, (list, set, frozenset)) or (isinstance(value, tuple) and not _annotation_of(value)):
            allowed |= failure_allowed(value, depth + 1)
        elif isinstance(value, dict):
            allowed |= failure_allowed(value.values(), depth + 1)
    return allowed


def resolve_futures(value: Any, depth: int = 0,
                    result_of: Callable[[HeadwaterFuture[Any]], Any] | None = None) -> Any:
    """A copy of `value` with each future replaced by its (completed) result, and the
    annotations taken off: `quote(x)` gives x untouched, `opaque(f)` f's result,
    `allow_failure(f)` f's result or, if f failed, its exception.

    Args:
        value: a task run's argument.
        depth: how deep `value` already is in the argument (the walk stops at 3).
        result_of: what stands for a completed future (default: its result); a
            runner shipping the run elsewhere may put a placeholder there instead.
    """
    return _replace_futures(value, result_of or _result_of, depth, True)


def futures_to_states(value: Any) -> Any:
    """A copy of `value` with each future replaced by its final state (waiting for it)."""
    return _replace_futures(value, _final_state_of, 0, False)


def _result_of(future: HeadwaterFuture[Any]) -> Any:
    return future.final_state().result_sync()


def _final_state_of(future: HeadwaterFuture[Any]) -> Any:
    return future.final_state()


def _unwrap(value: tuple[Any, ...], kind: str, replace: Callable[[HeadwaterFuture[Any]], Any],
            depth: int, resolving: bool) -> Any:
    inner = value[0]
    if not resolving:  # not resolving arguments: annotations stay as they are
        return value
    if kind == "quote":
        return inner
    if kind == "opaque":  # the future itself is resolved; its result is not searched
        return replace(inner) if isinstance(inner, HeadwaterFuture) else inner
    if kind == "allow_failure":
        def result_or_exception(future: HeadwaterFuture[Any]) -> Any:
            state = future.final_state()
            if state.type is StateType.COMPLETED:
                return replace(future)
            if not state.is_final():  # NotReady after its own upstream failed: Prefect passes its data
                return state.data
            return state.result_sync(raise_on_failure=False)

        return _replace_futures(inner, result_or_exception, depth + 1, True)
    return _replace_futures(inner, replace, depth + 1, True)


def _replace_futures(value: Any, replace: Callable[[HeadwaterFuture[Any]], Any], depth: int,
                     resolving: bool) -> Any:
    if isinstance(value, HeadwaterFuture):
        return replace(value)
    if depth > 3:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        if isinstance(value, tuple):
            kind = _annotation_of(value)
            if kind:
                return _unwrap(value, kind, replace, depth, resolving)
        if not any(_needs_resolving(item, depth + 1) for item in value):
            return value
        resolved = [_replace_futures(item, replace, depth + 1, resolving) for item in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*resolved)
        return type(value)(resolved)
    if isinstance(value, dict):
        if not _needs_resolving(value, depth):
            return value
        return {k: _replace_futures(v, replace, depth + 1, resolving) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not _needs_resolving(value, depth):
            return value
        return dataclasses.replace(
            value, **{f.name: _replace_futures(getattr(value, f.name), replace, depth + 1, resolving)
                      for f in dataclasses.fields(value) if f.init}
        )
    return value
