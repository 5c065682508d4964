"""Task runs and logs: create, rename, read with filters, one task run, its states; write log lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a
    from headwater.client.schemas import filters as f
    from headwater.core.api_schemas import UpstreamDependency
    from headwater.core.schemas import TaskRunInfo
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
        return self._with_inputs(self._ops().filter_task_runs(request))

    def read_task_run(self, task_run_id: UUID | str) -> o.TaskRun:
        """The task run with this id. Raises `ObjectNotFound`."""
        return self._with_inputs([self._ops().read_task_run(str(task_run_id))])[0]

    def read_task_run_states(self, task_run_id: UUID | str) -> list[State[Any]]:
        """Every state of the task run, oldest first."""
        ops = self._ops()
        run = ops.read_task_run(str(task_run_id))
        states = (c.to_state(s, flow_run_id=run.flow_run_id, task_run_id=run.id)
                  for s in ops.read_task_run_states(run.id))
        return [s for s in states if s is not None]

    def _with_inputs(self, runs: list[TaskRunInfo]) -> list[o.TaskRun]:
        """The task runs with their `task_inputs`: the input edges of a flow run's graph, read
        once per flow run and only for flow runs where some of these task runs had inputs."""
        ops = self._ops()
        edges: dict[str, list[UpstreamDependency]] = {}
        for flow_run_id in dict.fromkeys(r.flow_run_id for r in runs if r.upstream and r.flow_run_id):
            for node in ops.flow_run_graph(flow_run_id):
                edges[node.id] = node.upstream_dependencies
        return [c.to_task_run(r, edges.get(r.id)) for r in runs]

    def create_task_run(self, task: Any, flow_run_id: UUID | None, dynamic_key: str, id: UUID | None = None,
                        name: str | None = None, extra_tags: Iterable[str] | None = None,
                        state: State[Any] | a.StateCreate | None = None,
                        task_inputs: dict[str, list[Any]] | None = None) -> o.TaskRun:
        """A task run of `task` in the flow run `flow_run_id` (or of none), in `state`
        (default Pending), sent as Prefect's `TaskRunCreate`. Of `task_inputs`, the
        task run results become the run's upstream edges.

        Raises:
            ObjectNotFound: no flow run has `flow_run_id`.
            ValueError: `dynamic_key` is not a whole number (headwater keeps it as one).
        """
        from headwater.client.schemas.objects import TaskRunPolicy, TaskRunResult
        from headwater.client.schemas.run_actions import TaskRunCreate, headwater_state, state_create
        from headwater.core.run_updates import TaskRunCreate as NewTaskRun

        delay = getattr(task, "retry_delay_seconds", None)
        body = TaskRunCreate(
            id=id, name=name, flow_run_id=flow_run_id, task_key=task.task_key, dynamic_key=str(dynamic_key),
            tags=sorted(set(getattr(task, "tags", ()) or ()).union(extra_tags or ())),
            task_version=getattr(task, "version", None),
            empirical_policy=TaskRunPolicy(retries=getattr(task, "retries", None) or 0,
                                           retry_delay=delay if isinstance(delay, (int, float, list)) else None),
            state=state_create(state) if state is not None else None, task_inputs=task_inputs or {})
        if not body.dynamic_key.isdigit():
            raise ValueError(f"create_task_run: dynamic_key must be a whole number in headwater, got "
                             f"{body.dynamic_key!r}")
        upstream = [(parameter, item.id) for parameter, items in body.task_inputs.items() for item in items
                    if isinstance(item, TaskRunResult) and parameter != "__parents__"]
        task_name = getattr(task, "name", None) or body.task_key
        created = self._ops().create_task_run(NewTaskRun(
            id=body.id, flow_run_id=body.flow_run_id, name=body.name or f"{task_name}-{body.dynamic_key}",
            task_name=task_name, task_key=body.task_key, dynamic_key=int(body.dynamic_key), tags=body.tags,
            state=headwater_state(state) if state is not None else None, upstream=upstream))
        return self._with_inputs([created])[0]

    def update_task_run(self, task_run_id: UUID | str, name: str | None = None) -> None:
        """Rename a task run (Prefect's `TaskRunUpdate`). Raises `ObjectNotFound`."""
        from headwater.client.schemas.run_actions import TaskRunUpdate
        from headwater.core.run_updates import TaskRunUpdate as Rename

        body = TaskRunUpdate(name=name)
        self._ops().update_task_run(str(task_run_id), Rename(name=body.name))

    def read_logs(self, log_filter: f.LogFilter | None = None, limit: int | None = None, offset: int | None = None,
                  sort: Any = None) -> list[o.Log]:
        """Log lines matching the filter, oldest first by default."""
        return [c.to_log(line) for line in self._ops().filter_logs(c.log_request(log_filter, sort, limit, offset))]

    def create_logs(self, logs: Iterable[a.LogCreate | dict[str, Any]]) -> None:
        """Write log lines, each a `LogCreate` or a dict of its fields (`worker_id` is not kept).

        Raises:
            pydantic.ValidationError: a line is not a valid log line.
        """
        from headwater.client.schemas.actions import LogCreate
        from headwater.core import api_schemas

        lines = [api_schemas.LogCreate.model_validate(
            LogCreate.model_validate(line).model_dump(exclude={"worker_id"})) for line in logs]
        if lines:
            self._ops().write_logs(lines)
