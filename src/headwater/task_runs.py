"""`TaskRunWaiter`, as in `prefect.task_runs`: wait for background task runs to end.

    state = await TaskRunWaiter.wait_for_task_run(future.task_run_id, timeout=30)

One watcher per process asks the control plane which of the runs waited on have
ended (headwater.engine.background.futures); there is nothing to start or stop by
hand, but `start()` and `stop()` exist for Prefect's callers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar
from uuid import UUID

from headwater.core.states import State

__all__ = ["TaskRunWaiter"]


class TaskRunWaiter:
    """Waits for background task runs (`task.delay(...)`) to reach a final state."""

    _instance: ClassVar[TaskRunWaiter | None] = None
    _instance_lock: ClassVar[threading.Lock] = threading.Lock()

    def start(self) -> None:
        """Nothing to do: the process's watcher starts with the first wait."""

    def stop(self) -> None:
        """Nothing to do: the watcher is a daemon thread that idles when nobody waits."""

    @classmethod
    async def wait_for_task_run(cls, task_run_id: UUID | str, timeout: float | None = None) -> State[Any] | None:
        """The run's final state once it ends, or None if `timeout` seconds pass first."""
        import asyncio

        from headwater.engine.background.futures import watcher

        slot = watcher().slot(str(task_run_id))
        if slot.done():
            return slot.result()
        try:
            return await asyncio.to_thread(slot.result, timeout)
        except TimeoutError:
            return None

    @classmethod
    def add_done_callback(cls, task_run_id: UUID | str, callback: Callable[[], None]) -> None:
        """Call `callback()` (no arguments) when the run ends: at once if it has."""
        from headwater.engine.background.futures import watcher

        watcher().slot(str(task_run_id)).add_done_callback(lambda _: callback())

    @classmethod
    def instance(cls) -> TaskRunWaiter:
        """The process's waiter."""
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance
