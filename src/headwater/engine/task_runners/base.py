"""The task runner interface: submit a task run, get a future; the rest is shared."""

from __future__ import annotations

import abc
import contextvars
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from headwater.core.states import State, StateType
from headwater.engine.futures import HeadwaterFuture, FinalStateSlot, wait_all_futures
from headwater.engine.progress import TaskRunProgress

if TYPE_CHECKING:
    from headwater.engine.runs import TaskRun

__all__ = ["TaskRunner", "run_to_final_state"]


class TaskRunner(abc.ABC):
    """Runs submitted task runs and hands back futures.

    Subclasses implement `start`, `_release`, `duplicate` and `_dispatch`. The base
    class holds a submitted run back until the futures it depends on are done, so a
    worker is never spent waiting on another task, and counts runs for the progress
    line (engine/progress.py).
    """

    def __init__(self) -> None:
        self._futures: list[HeadwaterFuture[Any]] = []
        self._started = False
        self._lock = threading.Lock()
        self.progress = TaskRunProgress()

    @abc.abstractmethod
    def duplicate(self) -> Self:
        """A fresh, unstarted runner with the same settings."""

    @abc.abstractmethod
    def start(self) -> None:
        """Acquire workers (threads, processes, a cluster)."""

    def shutdown(self, wait: bool = True) -> None:
        """Release workers; with wait=False, pending runs are abandoned."""
        try:
            self._release(wait)
        finally:
            self.progress.close()

    @abc.abstractmethod
    def _release(self, wait: bool) -> None:
        """Release workers (`shutdown` without the shared bookkeeping)."""

    @abc.abstractmethod
    def _dispatch(self, run: TaskRun, context: contextvars.Context) -> FinalStateSlot[Any]:
        """Start `run` now; the returned outcome is filled with its final state."""

    def __enter__(self) -> Self:
        self.ensure_started()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.shutdown(wait=exc_type is None)

    def ensure_started(self) -> None:
        if not self._started:
            with self._lock:
                if not self._started:
                    self.start()
                    self._started = True

    def submit(self, run: TaskRun, dependencies: list[HeadwaterFuture[Any]]) -> HeadwaterFuture[Any]:
        """Run `run` once every future in `dependencies` is done."""
        self.ensure_started()
        self.progress.on_submit()
        context = contextvars.copy_context()
        waiting = [d for d in dependencies if not d.done()]
        if not waiting:
            future = HeadwaterFuture(run, self._start(run, context))
        else:
            outer: FinalStateSlot[Any] = FinalStateSlot()
            future = HeadwaterFuture(run, outer)
            self._after(waiting, lambda: _chain(self._start(run, context), outer))
        future._future.add_done_callback(self._count_finished)
        self._futures.append(future)
        return future

    def _start(self, run: TaskRun, context: contextvars.Context) -> FinalStateSlot[Any]:
        self.progress.counts.on_start()
        return self._dispatch(run, context)

    def _count_finished(self, inner: FinalStateSlot[Any]) -> None:
        completed = inner.result().type is StateType.COMPLETED
        self.progress.counts.on_finish(completed)

    def futures(self) -> list[HeadwaterFuture[Any]]:
        """Every future submitted to this runner, in submission order."""
        return list(self._futures)

    def wait_all(self, timeout: float | None = None) -> None:
        """Block until every submitted run has finished."""
        wait_all_futures([f._future for f in self._futures], timeout)

    @staticmethod
    def _after(waiting: list[HeadwaterFuture[Any]], then: Callable[[], None]) -> None:
        remaining = [len(waiting)]
        lock = threading.Lock()

        def one_done(_: Any) -> None:
            with lock:
                remaining[0] -= 1
                last = remaining[0] == 0
            if last:
                then()

        for dependency in waiting:
            dependency._future.add_done_callback(one_done)


def _chain(inner: FinalStateSlot[Any], outer: FinalStateSlot[Any]) -> None:
    inner.add_done_callback(lambda f: outer.set_result(f.result()))


def run_to_final_state(run: TaskRun) -> State[Any]:
    """Run `run` in this thread and return its final state, whatever happens."""
    from headwater.engine.drivers import run_sync

    try:
        return run_sync(run)
    except BaseException as error:  # a crash: the driver already recorded it
        return run.state if run.state is not None else State(StateType.CRASHED, None, repr(error), error)


async def run_to_final_state_async(run: TaskRun) -> State[Any]:
    """Async twin of `run_to_final_state` (the driver differs, nothing else)."""
    from headwater.engine.drivers import run_async

    try:
        return await run_async(run)
    except BaseException as error:
        return run.state if run.state is not None else State(StateType.CRASHED, None, repr(error), error)
