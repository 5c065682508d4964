"""`FlowRunView`: a flow run, as Prefect 1's `prefect.backend.FlowRunView`.

A snapshot of the run read through the client: its id, name, flow, parameters,
labels and Prefect 1 state. `get_latest()` reads it again; task runs and log lines
are read when asked for. A task's slug is Prefect 1's `NAME-K`: the K-th task run
named NAME in the run, in the order the runs were created.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from headwater.backend.states import to_prefect1_state
from headwater.backend.task_run import TaskRunView

__all__ = ["FlowRunLog", "FlowRunView"]


class FlowRunLog(NamedTuple):
    """One log line of a flow run (Prefect 1's `FlowRunLog`)."""

    timestamp: datetime
    level: int
    message: str
    name: str


class FlowRunView:
    """A flow run read through the client.

    Args:
        flow_run: the client's flow run (`headwater.client.schemas.objects.FlowRun`).
    """

    def __init__(self, flow_run: Any) -> None:
        self.flow_run = flow_run
        self.flow_run_id = str(flow_run.id)
        self.name = flow_run.name
        self.flow_id = str(flow_run.deployment_id or flow_run.flow_id or "")
        self.flow_name = flow_run.flow_name
        self.parameters = dict(flow_run.parameters)
        self.context = dict(flow_run.context)
        self.labels = list(flow_run.tags)
        self.run_config = None
        self.updated_at = flow_run.updated
        self.state = to_prefect1_state(flow_run.state)

    @classmethod
    def from_flow_run_id(cls, flow_run_id: str | UUID, load_static_tasks: bool = False) -> FlowRunView:
        """The flow run with this id. Raises `ObjectNotFound`."""
        from headwater.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            return cls(client.read_flow_run(flow_run_id))

    def get_latest(self, load_static_tasks: bool = False) -> FlowRunView:
        """This flow run read again: a new view with its current state."""
        return type(self).from_flow_run_id(self.flow_run_id)

    def get_all_task_runs(self) -> list[TaskRunView]:
        """Every task run of this flow run, each with its slug."""
        from headwater.client.orchestration import get_client
        from headwater.client.schemas import filters as f

        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(task_run_filter=f.TaskRunFilter(
                flow_run_id=f.TaskRunFilterFlowRunId(any_=[UUID(self.flow_run_id)])))
        runs.sort(key=lambda r: (r.created or r.expected_start_time or datetime.min, r.name))
        seen: dict[str, int] = {}
        views = []
        for run in runs:
            task_name = run.task_name or run.name.rsplit("-", 1)[0]
            seen[task_name] = seen.get(task_name, 0) + 1
            views.append(TaskRunView(run, task_slug=f"{task_name}-{seen[task_name]}"))
        return views

    @property
    def task_run_ids(self) -> list[str]:
        """The ids of this flow run's task runs."""
        return [view.task_run_id for view in self.get_all_task_runs()]

    def get_task_run(self, task_slug: str | None = None, task_run_id: str | None = None,
                     map_index: int = -1) -> TaskRunView:
        """One task run, by Prefect 1 slug (`NAME-K`; with `map_index=i`, the i-th run of task NAME:
        each element of a mapped call is one run), by task key or run name, or by id.

        Raises:
            ValueError: neither `task_slug` nor `task_run_id` given, or no such task run (listing the slugs).
        """
        if task_slug is None and task_run_id is None:
            raise ValueError("One of `task_slug` or `task_run_id` must be set to retrieve a task run")
        views = self.get_all_task_runs()
        for view in views:
            if task_run_id is not None and view.task_run_id == str(task_run_id):
                return view
        if task_slug is not None:
            if map_index >= 0:
                base = task_slug.rsplit("-", 1)[0]
                named = [v for v in views if v.task_slug.rsplit("-", 1)[0] == base]
                if map_index < len(named):
                    chosen = named[map_index]
                    chosen.map_index = map_index
                    return chosen
            else:
                for view in views:
                    if task_slug in (view.task_slug, view.task_id, view.name):
                        return view
        wanted = repr(task_slug) if task_run_id is None else f"id {task_run_id}"
        slugs = ", ".join(repr(v.task_slug) for v in views) or "none"
        raise ValueError(f"flow run {self.name!r} ({self.flow_run_id}) has no task run {wanted}"
                         f"{'' if map_index < 0 else f' [map_index {map_index}]'}; its task slugs: {slugs}")

    def get_logs(self, start_time: datetime | None = None) -> list[FlowRunLog]:
        """This flow run's log lines (and its task runs'), oldest first; those after `start_time` if given."""
        from headwater.client.orchestration import get_client
        from headwater.client.schemas import filters as f

        log_filter = f.LogFilter(flow_run_id=f.LogFilterFlowRunId(any_=[UUID(self.flow_run_id)]),
                                 timestamp=f.LogFilterTimestamp(after_=start_time) if start_time else None)
        with get_client(sync_client=True) as client:
            lines = client.read_logs(log_filter)
        return [FlowRunLog(line.timestamp, line.level, line.message, line.name) for line in lines]

    def __repr__(self) -> str:
        return f"FlowRunView(flow_run_id={self.flow_run_id!r}, name={self.name!r}, state={self.state!r})"
