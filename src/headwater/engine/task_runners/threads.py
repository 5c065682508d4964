"""The default task runner: a thread pool, plus one event loop for async tasks."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from typing import TYPE_CHECKING, Any

from headwater.core.states import State
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
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: threading.Thread | None = None

    def duplicate(self) -> ThreadPoolTaskRunner:
        return ThreadPoolTaskRunner(self.max_workers)

    def start(self) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(self.max_workers, thread_name_prefix="headwater-task")

    def _release(self, wait: bool) -> None:
        if self._pool is not None:
            if wait:
                self.wait_all()
            self._pool.shutdown(wait=wait, cancel_futures=not wait)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._loop_thread is not None:
                self._loop_thread.join(5 if wait else 0.1)
            if not self._loop.is_running():
                self._loop.close()
            self._loop = None

    def _dispatch(self, run: TaskRun, context: contextvars.Context) -> concurrent.futures.Future[State[Any]]:
        if run.task.isasync:
            return asyncio.run_coroutine_threadsafe(_in_context(run, context), self._event_loop())
        assert self._pool is not None
        return self._pool.submit(context.run, run_to_final_state, run)

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
