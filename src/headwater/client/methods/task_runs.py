"""Task runs and logs: read with filters, one task run, its states."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
    from headwater.client.schemas import filters as f
    from headwater.core.states import State

__all__ = ["TaskRunMethods"]


class TaskRunMethods(ClientBase):
    """The client's task run and log methods (`read_task_runs`, `read_logs`, ...)."""

    def read_task_runs(self, *, flow_filter: f.FlowFilter | None = None,
                       flow_run_filter: f.FlowRunFilter | None = None,
                       task_run_filter: f.TaskRunFilter | None = None,
                       deployment_filter: f.DeploymentFilter | None = None, sort: Any = None,
                       limit: int | None = None, offset: int = 0) -> list[o.TaskRun]:
        """Task runs matching every filter given."""
        request = c.task_run_request(flow_filter, flow_run_filter, task_run_filter,
                                     self._deployment_ids(deployment_filter), sort, limit, offset)
        return [c.to_task_run(t) for t in self._ops().filter_task_runs(request)]

    def read_task_run(self, task_run_id: UUID | str) -> o.TaskRun:
        """The task run with this id. Raises `ObjectNotFound`."""
        return c.to_task_run(self._ops().read_task_run(str(task_run_id)))

    def read_task_run_states(self, task_run_id: UUID | str) -> list[State[Any]]:
        """Every state of the task run, oldest first."""
        return [s for s in map(c.to_state, self._ops().read_task_run_states(str(task_run_id))) if s is not None]

    def read_logs(self, log_filter: f.LogFilter | None = None, limit: int | None = None, offset: int | None = None,
                  sort: Any = None) -> list[o.Log]:
        """Log lines matching the filter, oldest first by default."""
        return [c.to_log(line) for line in self._ops().filter_logs(c.log_request(log_filter, sort, limit, offset))]
