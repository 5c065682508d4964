"""`PrefectTaskRunner`: a flow's task runs handed to task workers as background runs.

Each submitted run is queued as a background task run (under the id and name the
flow announced it with, so it stays one task run of the flow in history) and runs
in whichever task worker serves its task (`headwater.task_worker.serve`). Its
future is filled when the worker reports the end; arguments that are futures are
resolved here first, since only values travel through the task scheduling storage.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from headwater.engine.futures import FinalStateSlot, resolve_futures
from headwater.engine.task_runners.base import TaskRunner

if TYPE_CHECKING:
    from headwater.engine.runs import TaskRun

__all__ = ["PrefectTaskRunner"]


class PrefectTaskRunner(TaskRunner):
    """Runs a flow's submitted tasks on task workers (see the module docstring)."""

    def duplicate(self) -> PrefectTaskRunner:
        return PrefectTaskRunner()

    def start(self) -> None:
        """Nothing to acquire: task workers are started on their own."""

    def _release(self, wait: bool) -> None:
        if wait:
            self.wait_all()

    def _dispatch(self, run: TaskRun, context: contextvars.Context) -> FinalStateSlot[Any]:
        from headwater.engine.background.futures import watcher
        from headwater.engine.background.submit import apply_async

        args = tuple(resolve_futures(a) for a in run.args)
        kwargs = {k: resolve_futures(v) for k, v in run.kwargs.items()}
        future = apply_async(run.task, args, kwargs, task_run_id=run.id, name=run.name, flow_run_id=run.flow_run_id)
        slot: FinalStateSlot[Any] = watcher().slot(future.task_run_id)
        return slot
