"""The tasks of `headwater.tasks.prefect`: create a registered flow's run, wait on it, read a result.

They are ordinary tasks: called in a `with Flow(...)` block they are nodes of the
static flow, and inside a `@flow` they run at once. They reach the control plane
through `headwater.get_client(sync_client=True)`, so the parent and the child's
worker must share it (the same `HEADWATER_API_URL`, or the same embedded database).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from headwater.backend.flow import FlowView
from headwater.backend.flow_run import FlowRunView
from headwater.engine.signals import signal_from_state
from headwater.engine.tasks import Task, task
from headwater.utilities.tasks import defaults_from_attrs

__all__ = ["CancelFlowRun", "RenameFlowRun", "StartFlowRun", "create_flow_run", "get_task_run_result",
           "wait_for_flow_run"]

_POLL_S = 0.5  # how often a waiting task reads the child run again


def _current() -> tuple[str | None, str | None, str | None]:
    """The flow run id, flow run name and task run id this code runs in (None outside a run)."""
    from headwater.engine.context import current_flow_run, current_task_run

    flow_run = current_flow_run()
    task_run = current_task_run()
    return (str(flow_run.id) if flow_run is not None else None, flow_run.name if flow_run is not None else None,
            str(task_run.id) if task_run is not None else None)


def _logger() -> Any:
    from headwater.engine.logging import get_run_logger

    return get_run_logger()


def _start(flow_id: str | None, flow_name: str | None, project_name: str, parameters: dict[str, Any] | None,
           labels: Iterable[str] | None, run_name: str | None, scheduled_start_time: Any,
           idempotency_key: str | None) -> str:
    from headwater.client.orchestration import get_client
    from headwater.states import Scheduled

    if flow_id and flow_name:
        raise ValueError("Received both `flow_id` and `flow_name`. Only one flow identifier can be passed.")
    if not flow_id and not flow_name:
        raise ValueError("Both `flow_id` and `flow_name` are null. You must pass a flow identifier")
    logger = _logger()
    flow = FlowView.from_id(flow_id) if flow_id else FlowView.from_flow_name(str(flow_name), project_name=project_name)
    _, current_name, task_run_id = _current()
    if not run_name and current_name:
        run_name = f"{current_name}-{flow.name}"
    shown = run_name or "<generated-name>"
    logger.info(f"Creating flow run {shown!r} for flow {flow.name!r}...")
    if idempotency_key is None:  # a retry of this task finds the run its first try created
        idempotency_key = task_run_id
    if isinstance(scheduled_start_time, timedelta):
        scheduled_start_time = datetime.now(timezone.utc) + scheduled_start_time
    state = Scheduled(scheduled_time=scheduled_start_time) if scheduled_start_time is not None else None
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(
            flow.flow_id, parameters=parameters, name=run_name, tags=list(labels or ()), state=state,
            idempotency_key=idempotency_key)
        where = client.api_url
    url = f"{where.rstrip('/').removesuffix('/api')}/flow-runs/{run.id}" if where else \
        f"`headwater flow-run inspect {run.id}`"
    logger.info(f"Created flow run {run.name!r}: {url}")
    return str(run.id)


@task
def create_flow_run(flow_id: str | None = None, flow_name: str | None = None, project_name: str = "",
                    parameters: dict[str, Any] | None = None, context: dict[str, Any] | None = None,
                    labels: Iterable[str] | None = None, run_name: str | None = None, run_config: Any = None,
                    scheduled_start_time: datetime | timedelta | None = None,
                    idempotency_key: str | None = None) -> str:
    """Create a run of a registered flow; its id. A worker of the flow's pool runs it.

    Args:
        flow_id: the registered flow's id (`FlowView.flow_id`); or
        flow_name: its name, with
        project_name: its project (any project when empty).
        parameters: the run's parameters.
        context: accepted, not used (Prefect 1's run context).
        labels: the run's tags.
        run_name: its name (default: this flow run's name, a dash, the child flow's name).
        run_config: accepted, not used: the deployment's run config applies.
        scheduled_start_time: when to start it (a datetime, or a delay from now).
        idempotency_key: the same key returns the run it created first (default: this task run's id).
    """
    return _start(flow_id, flow_name, project_name, parameters, labels, run_name, scheduled_start_time,
                  idempotency_key)


def _watch(flow_run_id: str, *, stream_states: bool, stream_logs: bool, max_duration: timedelta) -> FlowRunView:
    """Follow a flow run to its end, logging its state changes and (optionally) its log lines."""
    from headwater.exceptions import HeadwaterError

    logger = _logger()
    view = FlowRunView.from_flow_run_id(flow_run_id)
    deadline = time.monotonic() + max_duration.total_seconds()
    last_state = None
    seen_logs = 0
    while True:
        if stream_states and type(view.state).__name__ != last_state:
            last_state = type(view.state).__name__
            logger.info(f"Flow {view.name!r}: Entered state <{last_state}>: {view.state.message or ''}".rstrip(": "))
        if stream_logs:
            lines = view.get_logs()
            for line in lines[seen_logs:]:
                logger.log(line.level, f"Flow {view.name!r}: {line.message}")
            seen_logs = len(lines)
        if view.state.is_finished():
            return view
        if time.monotonic() > deadline:
            raise HeadwaterError(f"flow run {view.name!r} ({flow_run_id}) did not finish within {max_duration}; "
                                 "is a worker of its pool running? (`headwater agent local start`)")
        time.sleep(_POLL_S)
        view = view.get_latest()


@task
def wait_for_flow_run(flow_run_id: str, stream_states: bool = True, stream_logs: bool = False,
                      raise_final_state: bool = False, max_duration: timedelta = timedelta(hours=12)) -> FlowRunView:
    """Wait for a flow run to finish; a `FlowRunView` of it.

    Args:
        flow_run_id: the run (what `create_flow_run` returned).
        stream_states: log its state changes in this task's log.
        stream_logs: log its log lines too.
        raise_final_state: end this task in the run's final state (Failed if it failed).
        max_duration: fail after waiting this long.
    """
    view = _watch(str(flow_run_id), stream_states=stream_states, stream_logs=stream_logs, max_duration=max_duration)
    if raise_final_state:
        raise signal_from_state(view.state)(message=f"{flow_run_id} finished in state {view.state}", result=view)
    return view


@task
def get_task_run_result(flow_run_id: str, task_slug: str, map_index: int = -1, poll_time: int = 5) -> Any:
    """What a task of another flow run returned, once that run has finished.

    Args:
        flow_run_id: the flow run (not the one this task is in: it would wait for itself).
        task_slug: the task's slug, `NAME-K` (the K-th task named NAME in that run; `NAME-1` for most).
        map_index: an element of a mapped task (-1: not mapped).
        poll_time: seconds between reads while the run is not finished.

    Raises:
        ValueError: no slug, or this flow run's own id.
        HeadwaterError: the task run kept no result (give the task `persist_result=True`).
    """
    if not task_slug:
        raise ValueError("Required argument `task_slug` is empty")
    current_id, _, _ = _current()
    if current_id == str(flow_run_id):
        raise ValueError("Given `flow_run_id` is the same as the currently running flow. The `get_task_run_result` "
                         "task cannot be used to retrieve results from the flow run it belongs to.")
    view = FlowRunView.from_flow_run_id(flow_run_id)
    while not view.state.is_finished():
        time.sleep(min(poll_time, _POLL_S * 4))
        view = view.get_latest()
    return view.get_task_run(task_slug=task_slug, map_index=map_index).get_result()


class StartFlowRun(Task[..., Any]):
    """Prefect 1's older way to start a registered flow: its run id, or with `wait=True` its final state.

    Args:
        flow_name: the registered flow's name.
        project_name: its project.
        parameters: the run's parameters.
        run_name: the run's name.
        wait: follow the run to its end and end this task in its final state.
        new_flow_context, run_config, scheduled_start_time: accepted as in Prefect 1.
        **kwargs: task options (name, max_retries, ...).
    """

    def __init__(self, flow_name: str | None = None, project_name: str | None = None,
                 parameters: dict[str, Any] | None = None, run_config: Any = None, labels: Iterable[str] | None = None,
                 run_name: str | None = None, scheduled_start_time: datetime | None = None, wait: bool = False,
                 new_flow_context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.flow_name = flow_name
        self.project_name = project_name
        self.parameters = parameters
        self.labels = labels
        self.run_name = run_name
        self.scheduled_start_time = scheduled_start_time
        self.wait = wait
        kwargs.setdefault("name", "StartFlowRun")
        super().__init__(**kwargs)

    @defaults_from_attrs("flow_name", "project_name", "parameters", "labels", "run_name", "scheduled_start_time")
    def run(self, flow_name: str | None = None, project_name: str | None = None,
            parameters: dict[str, Any] | None = None, labels: Iterable[str] | None = None,
            run_name: str | None = None, scheduled_start_time: datetime | None = None,
            idempotency_key: str | None = None) -> Any:
        """Start the run; its id, or (with `wait=True`) raise its final state's signal."""
        if not flow_name:
            raise ValueError("StartFlowRun: a flow_name must be given")
        run_id = _start(None, flow_name, project_name or "", parameters, labels, run_name, scheduled_start_time,
                        idempotency_key)
        if not self.wait:
            return run_id
        view = _watch(run_id, stream_states=True, stream_logs=False, max_duration=timedelta(hours=12))
        raise signal_from_state(view.state)(message=f"{run_id} finished in state {view.state}", result=run_id)


class CancelFlowRun(Task[..., bool]):
    """Cancel a flow run (a worker running it stops it); True once asked.

    Args:
        flow_run_id: the run (default: given when the task is called).
        **kwargs: task options.
    """

    def __init__(self, flow_run_id: str | None = None, **kwargs: Any) -> None:
        self.flow_run_id = flow_run_id
        kwargs.setdefault("name", "CancelFlowRun")
        super().__init__(**kwargs)

    @defaults_from_attrs("flow_run_id")
    def run(self, flow_run_id: str | None = None) -> bool:
        """Cancel `flow_run_id`. Raises `ValueError` without one, `ObjectNotFound` for an unknown run."""
        from headwater.client.prefect1 import Client

        if not flow_run_id:
            raise ValueError("CancelFlowRun: a flow_run_id must be given")
        return Client().cancel_flow_run(flow_run_id)


class RenameFlowRun(Task[..., bool]):
    """Prefect 1 renamed a flow run after it started; headwater names a run when it is created.

    Running it fails, saying to give `run_name=` to `create_flow_run` instead.
    """

    def __init__(self, flow_run_id: str | None = None, flow_run_name: str | None = None, **kwargs: Any) -> None:
        self.flow_run_id = flow_run_id
        self.flow_run_name = flow_run_name
        kwargs.setdefault("name", "RenameFlowRun")
        super().__init__(**kwargs)

    def run(self, flow_run_id: str | None = None, flow_run_name: str | None = None) -> bool:
        """Refuse: see the class."""
        from headwater.client.prefect1 import Prefect1ClientUnsupported

        raise Prefect1ClientUnsupported("RenameFlowRun: a headwater flow run keeps the name it was created with; "
                                        "give run_name= to create_flow_run (or StartFlowRun) instead")
