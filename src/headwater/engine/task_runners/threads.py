"""The default task runner: a thread pool, plus one event loop for async tasks."""

from __future__ import annotations

import asyncio
import contextvars
import os
import queue
import threading
from typing import TYPE_CHECKING, Any

from headwater.core.states import State, StateType
from headwater.engine.futures import FinalStateSlot
from headwater.engine.task_runners.base import TaskRunner, run_to_final_state, run_to_final_state_async

if TYPE_CHECKING:
    from headwater.engine.runs import TaskRun

__all__ = ["ThreadPoolTaskRunner"]


class ThreadPoolTaskRunner(TaskRunner):
    """Runs sync tasks on a thread pool and async tasks concurrently on one event loop.

    Args:
        max_workers: threads in the pool (default: Python's, min(32, cores + 4)).
    """

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__()
        if max_workers is not None and (not isinstance(max_workers, int) or max_workers < 1):
            from headwater.exceptions import InvalidDefinitionError

            raise InvalidDefinitionError(f"invalid max_workers={max_workers!r}: expected an integer >= 1")
        self.max_workers = max_workers
        self._pool: _ThreadPool | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: threading.Thread | None = None

    def duplicate(self) -> ThreadPoolTaskRunner:
        return ThreadPoolTaskRunner(self.max_workers)

    def start(self) -> None:
        self._pool = _ThreadPool(self.max_workers or min(32, (os.cpu_count() or 1) + 4))

    def _release(self, wait: bool) -> None:
        if self._pool is not None:
            if wait:
                self.wait_all()
            self._pool.shutdown(wait=wait)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._loop_thread is not None:
                self._loop_thread.join(5 if wait else 0.1)
            if not self._loop.is_running():
                self._loop.close()
            self._loop = None

    def _dispatch(self, run: TaskRun, context: contextvars.Context) -> FinalStateSlot[Any]:
        outcome: FinalStateSlot[Any] = FinalStateSlot()
        if run.task.isasync:
            running = asyncio.run_coroutine_threadsafe(_in_context(run, context), self._event_loop())
            running.add_done_callback(lambda done: outcome.set_result(
                done.result() if not done.cancelled() else _abandoned()))
        else:
            assert self._pool is not None
            self._pool.put((run, context, outcome))
        return outcome

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._loop_thread = threading.Thread(
                    target=self._loop.run_forever, name="headwater-async-tasks", daemon=True)
                self._loop_thread.start()
            return self._loop

    def __repr__(self) -> str:
        return f"ThreadPoolTaskRunner(max_workers={self.max_workers})"


async def _in_context(run: TaskRun, context: contextvars.Context) -> State[Any]:
    # The loop's task starts with the loop thread's context; adopt the submitter's.
    for var, value in context.items():
        var.set(value)
    return await run_to_final_state_async(run)


class _ThreadPool:
    """Worker threads taking (run, context, outcome) items from one queue.

    Like `ThreadPoolExecutor`, a thread is added when an item finds no idle one, up
    to `max_workers`; unlike it, a submit takes one plain lock and no Semaphore,
    Condition or Future: at thousands of task runs these were most of a submit.
    The submitter claims an idle thread (under the lock) rather than reading a count
    a worker might be about to change, so a thread is never wrongly thought free.
    """

    def __init__(self, max_workers: int) -> None:
        self._max = max_workers
        self._queue: queue.SimpleQueue[tuple[TaskRun, contextvars.Context, FinalStateSlot[Any]] | None] = \
            queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def put(self, item: tuple[TaskRun, contextvars.Context, FinalStateSlot[Any]]) -> None:
        self._queue.put(item)
        with self._lock:
            if self._idle:
                self._idle -= 1
                return
            if len(self._threads) >= self._max:
                return
            thread = threading.Thread(target=self._work, name=f"headwater-task_{len(self._threads)}", daemon=True)
            self._threads.append(thread)
        thread.start()

    def _work(self) -> None:
        take, lock = self._queue.get, self._lock
        while (item := take()) is not None:
            run, context, outcome = item
            outcome.set_result(context.run(run_to_final_state, run))
            del item, run, context, outcome  # hold nothing while idle
            with lock:
                self._idle += 1

    def shutdown(self, wait: bool) -> None:
        """Stop the threads; with wait=False, queued runs that have not started are abandoned."""
        if not wait:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[2].set_result(_abandoned())
        with self._lock:
            threads, self._threads = self._threads, []
            self._max = 0  # nothing new starts after shutdown
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join()


def _abandoned() -> State[Any]:
    return State(StateType.CANCELLED, None, "the flow run ended before this task run started")
