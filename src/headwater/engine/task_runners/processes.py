"""A task runner whose task runs execute in a pool of worker processes."""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
from typing import TYPE_CHECKING, Any

from headwater.core.states import State, StateType
from headwater.engine.task_runners.remote import (
    RemoteTaskRunner,
    UnsentResult,
    end_in_parent,
    pack_state,
    run_shipped,
    unpack_state,
)

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.futures import FinalStateSlot
    from headwater.engine.runs import TaskRun

__all__ = ["ProcessPoolTaskRunner"]


class ProcessPoolTaskRunner(RemoteTaskRunner):
    """Runs each task run in a pool of worker processes (CPU-bound work, the GIL sidestepped).

    The task's function and arguments travel with cloudpickle; the run executes in a
    worker with the normal life cycle (retries, time-outs, hooks, caching), and its
    states and log lines go to the same run history. The future resolves to the final
    state, whose result came back pickled. A function or argument that cannot be
    pickled fails that task run with a message naming it; a worker process that dies
    ends its task runs Crashed (or retries them, if they have retries).

    Worker processes are started fresh ("forkserver" or "spawn", never "fork"), so,
    as with `multiprocessing`, a script must run its flow under
    `if __name__ == "__main__":`; otherwise each worker re-runs the script on start.

    Args:
        max_workers: processes in the pool (default: the number of CPUs).

    Example:
        >>> @flow(task_runner=ProcessPoolTaskRunner(max_workers=4))
        ... def crunch(chunks: list[bytes]) -> list[int]:
        ...     return score.map(chunks).result()
    """

    where = "a worker process"

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__()
        if max_workers is not None and (not isinstance(max_workers, int) or isinstance(max_workers, bool)
                                        or max_workers < 1):
            from headwater.exceptions import InvalidDefinitionError

            raise InvalidDefinitionError(f"invalid max_workers={max_workers!r}: expected an integer >= 1")
        self.max_workers = max_workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def duplicate(self) -> ProcessPoolTaskRunner:
        return ProcessPoolTaskRunner(self.max_workers)

    def start(self) -> None:
        self._start_dispatcher()

    def _release(self, wait: bool) -> None:
        if wait:
            self.wait_all()
        self._stop_dispatcher()
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=not wait)
            self._pool = None

    def _pool_for(self, settings: Settings) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                self.max_workers or os.cpu_count() or 1,
                mp_context=_start_method(),
                initializer=_init_worker,
                initargs=(settings,),
            )
        return self._pool

    def _send(self, ready: list[tuple[TaskRun, FinalStateSlot[Any], Any]]) -> None:
        for run, outer, (payload, _) in ready:
            settings = run.orchestrator.settings
            pool = self._pool_for(settings)
            try:
                inner = pool.submit(_run_in_worker, payload)
            except concurrent.futures.process.BrokenProcessPool:
                self._pool = None  # a worker died earlier; start a fresh pool
                pool = self._pool_for(settings)
                inner = pool.submit(_run_in_worker, payload)
            inner.add_done_callback(functools.partial(self._returned, run, outer, pool=pool))

    def _returned(self, run: TaskRun, outer: FinalStateSlot[Any],
                  inner: concurrent.futures.Future[bytes], pool: concurrent.futures.ProcessPoolExecutor) -> None:
        if inner.cancelled():
            self._crashed(run, outer, concurrent.futures.CancelledError(), "the task runner was shut down",
                          retry=False)
            return
        error = inner.exception()
        if error is not None:
            if isinstance(error, concurrent.futures.process.BrokenProcessPool) and self._pool is pool:
                self._pool = None  # the next dispatch starts a fresh pool
            if isinstance(error, concurrent.futures.process.BrokenProcessPool):
                self._crashed(run, outer, error,
                              f"the worker process running this task run died: {type(error).__name__}: {error}")
            else:  # the run could not even start there (say, its module does not import)
                message = f"task run {run.name!r} could not start in a worker process: {type(error).__name__}: {error}"
                outer.set_result(end_in_parent(run, State(StateType.FAILED, None, message, error)))
            return
        try:
            state = unpack_state(inner.result())
        except Exception as load_error:
            state = State(StateType.COMPLETED, data=UnsentResult(
                f"the result of task run {run.name!r} could not be loaded here: {load_error!r}"))
        self._finished(run, outer, state)

    def __repr__(self) -> str:
        return f"ProcessPoolTaskRunner(max_workers={self.max_workers})"


def _start_method() -> multiprocessing.context.BaseContext:
    # Not "fork": the parent runs threads (the history writer, thread pools, rich's
    # refresher) and a forked child inherits their locks in whatever state they were,
    # which can deadlock it (Python 3.12+ warns about exactly this). "forkserver" forks
    # children from a small single-threaded server process, so they start fast and
    # clean; where it does not exist (Windows, some macOS set-ups), "spawn".
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_worker_settings: list[Settings] = []


def _init_worker(settings: Settings) -> None:
    _worker_settings[:] = [settings]


def _run_in_worker(payload: bytes) -> bytes:
    """In the worker process: run the shipped task run, return its packed final state."""
    return pack_state(run_shipped(payload, _worker_settings[0]))
