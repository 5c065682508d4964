"""`TaskRunOperations`: creating and renaming task runs from a client (`Operations` inherits it).

The engine records its own task runs through its record batches; these are the
operations of `POST /task_runs/` and `PATCH /task_runs/{id}` and of the client's
in-process transport. A created task run goes through the same write path as the
engine's (`History.write`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.core.run_updates import TaskRunCreate, TaskRunUpdate
    from headwater.core.schemas import TaskRunInfo
    from headwater.store import Store

__all__ = ["TaskRunOperations"]


class TaskRunOperations:
    """Create a task run, rename one."""

    if TYPE_CHECKING:
        store: Store

    def create_task_run(self, body: TaskRunCreate) -> TaskRunInfo:
        """Create a task run in its initial state (PENDING unless `body.state` says),
        written as the engine writes its task runs. A create naming an `id` that exists
        returns the existing task run unchanged.

        Raises:
            ObjectNotFound: `body.flow_run_id` names no flow run.
        """
        from headwater.core import clock
        from headwater.core.ids import new_id
        from headwater.orchestrator.records import StateChanged, TaskInputsRecorded, TaskRunCreated

        history = self.store.history
        run_id = str(body.id) if body.id is not None else new_id()
        if body.id is not None:
            try:
                return history.read_task_run(run_id)
            except ObjectNotFound:
                pass
        flow_run_id = str(body.flow_run_id) if body.flow_run_id is not None else None
        if flow_run_id is not None:
            self.store.flow_runs.read_flow_run_by_id(flow_run_id)
        state_type = body.state.type.value if body.state is not None else "PENDING"
        name = (body.state.name if body.state is not None else None) or state_type.capitalize()
        now = clock.now()
        records: list[Any] = [
            TaskRunCreated(run_id, flow_run_id, body.name, body.task_name, body.task_key, body.dynamic_key,
                           list(body.tags), now),
            StateChanged(run_id, True, state_type, name, body.state.message if body.state else None, now,
                         body.state.details if body.state else None)]
        if body.upstream:
            records.append(TaskInputsRecorded(run_id, tuple((p, str(u), "data") for p, u in body.upstream)))
        history.write(records)
        return history.read_task_run(run_id)

    def update_task_run(self, task_run_id: str, body: TaskRunUpdate) -> TaskRunInfo:
        """Rename a task run (when `body.name` is given). Raises `ObjectNotFound`."""
        if body.name is None:
            return self.store.history.read_task_run(task_run_id)
        return self.store.history.rename_task_run(task_run_id, body.name)
