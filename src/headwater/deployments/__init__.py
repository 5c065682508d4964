"""Running deployments from Python, as `prefect.deployments`.

`run_deployment("flow-name/deployment-name", parameters={...})` creates a run of a
deployment (picked up by `flow.serve()` or a worker, here or through a server) and
waits until it finishes, or returns at once with `timeout=0`. Called inside a flow
(or a task), the new run is a subflow: a task run named after the deployment is
recorded in the calling flow run, and the new run's `parent_task_run_id` points to it.

Example:
    >>> from headwater.deployments import run_deployment
    >>> run = run_deployment("etl/nightly", parameters={"day": "2024-01-01"}, timeout=0)
    >>> run.state.is_scheduled()
    True
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from headwater.client.orchestration import SyncPrefectClient
    from headwater.client.schemas.objects import FlowRun

__all__ = ["RunnerDeployment", "arun_deployment", "deploy", "initialize_project", "run_deployment"]


def __getattr__(name: str) -> Any:
    # The deployment objects and `deploy` load the engine: only when asked for.
    if name in ("deploy", "RunnerDeployment"):
        from headwater.engine import deployments

        return getattr(deployments, name)
    if name == "initialize_project":
        from headwater.deployments.base import initialize_project

        return initialize_project
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Link:
    """The task run standing for a subflow in the calling flow run; it mirrors the
    subflow's state as it is seen (as Prefect's server does for subflow task runs)."""

    def __init__(self, run_id: str, orchestrator: Any) -> None:
        self.id = run_id
        self._orchestrator = orchestrator

    def mirror(self, state: Any) -> None:
        from headwater.core import clock
        from headwater.orchestrator.records import StateChanged

        if state is not None:
            self._orchestrator.emit(StateChanged(self.id, True, state.type.value, state.name, state.message,
                                                 clock.now(), None))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _parent_task_run(deployment_name: str) -> _Link | None:
    """Record a task run standing for the subflow in the calling flow run (Pending), the
    engine's way for any subflow."""
    from headwater.engine.context import current_flow_run, current_task_run
    from headwater.engine.flow_runs import begin_placeholder_task_run

    flow_run = current_flow_run()
    task_run = current_task_run()
    if flow_run is None or not getattr(flow_run, "id", None):
        return None
    task_key = f"headwater.deployments.run_deployment.{_slug(deployment_name)}"
    dynamic_key = task_run.dynamic_key if task_run is not None and hasattr(task_run, "dynamic_key") \
        else flow_run.next_dynamic_key(task_key)
    run_id = begin_placeholder_task_run(flow_run, deployment_name, deployment_name, task_key, int(dynamic_key), [])
    return _Link(run_id, flow_run.orchestrator)


def _resolve(client: SyncPrefectClient, name: str | UUID) -> Any:
    """The deployment named `flow/name`, or with this id."""
    deployment_id: UUID | None = name if isinstance(name, UUID) else None
    if deployment_id is None:
        try:
            deployment_id = UUID(str(name))
        except ValueError:
            deployment_id = None
    if deployment_id is not None:
        return client.read_deployment(deployment_id)
    return client.read_deployment_by_name(str(name))


def _create_and_wait(client: SyncPrefectClient, deployment: Any, parent: _Link | None,
                     parameters: dict[str, Any] | None, scheduled_time: datetime | None, flow_run_name: str | None,
                     timeout: float | None, poll_interval: float | None, tags: Iterable[str] | None,
                     idempotency_key: str | None, job_variables: dict[str, Any] | None = None) -> FlowRun:
    from headwater.states import Scheduled

    state = Scheduled(scheduled_time=scheduled_time.isoformat()) if scheduled_time is not None else None
    run = client.create_flow_run_from_deployment(
        deployment.id, parameters=parameters or {}, state=state, name=flow_run_name, tags=tags,
        idempotency_key=idempotency_key, parent_task_run_id=UUID(parent.id) if parent else None,
        job_variables=job_variables or {})
    if parent is not None:
        parent.mirror(run.state)
    if timeout == 0:
        return run
    started = time.monotonic()
    interval = 5.0 if poll_interval is None else max(float(poll_interval), 0.01)
    while True:
        run = client.read_flow_run(run.id)
        elapsed = time.monotonic() - started
        if (run.state is not None and run.state.is_final()) or (timeout is not None and elapsed >= timeout):
            if parent is not None:
                parent.mirror(run.state)
            return run
        time.sleep(interval if timeout is None else min(interval, max(timeout - elapsed, 0.01)))


def _check(timeout: float | None) -> None:
    if timeout is not None and timeout < 0:
        raise ValueError("`timeout` cannot be negative")


def run_deployment(
    name: str | UUID,
    client: Any = None,
    parameters: dict[str, Any] | None = None,
    scheduled_time: datetime | None = None,
    flow_run_name: str | None = None,
    timeout: float | None = None,
    poll_interval: float | None = 5,
    tags: Iterable[str] | None = None,
    idempotency_key: str | None = None,
    work_queue_name: str | None = None,
    as_subflow: bool | None = True,
    job_variables: dict[str, Any] | None = None,
) -> Any:
    """Create a run of a deployment and return it when it finishes or `timeout` passes.

    Called from a coroutine (a running event loop in this thread), it returns an
    awaitable, as Prefect's does; `arun_deployment` is the explicit async form.

    Args:
        name: `flow-name/deployment-name`, or the deployment's id.
        client: ignored (kept for Prefect's signature); the process's settings choose
            the embedded database or the server.
        parameters: override the deployment's parameters (checked against its schema).
        scheduled_time: when the run is due (default now).
        flow_run_name: the run's name (default a generated one).
        timeout: seconds to wait for the run to finish; 0 returns at once; None waits
            as long as it takes. On time-out the run is returned as it is.
        poll_interval: seconds between looks at the run while waiting.
        tags: tags added to the deployment's.
        idempotency_key: the same key returns the same run instead of a new one.
        work_queue_name: accepted; headwater has no work queues.
        as_subflow: inside a flow, link the run as a subflow of the calling run.
        job_variables: over the deployment's (checked against its work pool's template:
            `ParameterValidationError` naming the variable); the worker applies them.

    Returns:
        The `FlowRun` (`headwater.client.schemas.objects`).

    Raises:
        ObjectNotFound: no such deployment (the message names it).
        ParameterValidationError: the parameters fail the deployment's schema.
        ValueError: a negative timeout.
    """
    _check(timeout)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return arun_deployment(name, client, parameters, scheduled_time, flow_run_name, timeout, poll_interval,
                               tags, idempotency_key, work_queue_name, as_subflow, job_variables)
    from headwater.client.orchestration import SyncPrefectClient

    with SyncPrefectClient() as sync:
        deployment = _resolve(sync, name)
        parent = _parent_task_run(f"{deployment.flow_name}/{deployment.name}") if as_subflow else None
        return _create_and_wait(sync, deployment, parent, parameters, scheduled_time, flow_run_name, timeout,
                                poll_interval, tags, idempotency_key, job_variables)


async def arun_deployment(
    name: str | UUID,
    client: Any = None,
    parameters: dict[str, Any] | None = None,
    scheduled_time: datetime | None = None,
    flow_run_name: str | None = None,
    timeout: float | None = None,
    poll_interval: float | None = 5,
    tags: Iterable[str] | None = None,
    idempotency_key: str | None = None,
    work_queue_name: str | None = None,
    as_subflow: bool | None = True,
    job_variables: dict[str, Any] | None = None,
) -> FlowRun:
    """`run_deployment` as a coroutine: the waiting happens in a worker thread."""
    _check(timeout)
    from headwater.client.orchestration import SyncPrefectClient

    with SyncPrefectClient() as sync:
        deployment = await asyncio.to_thread(_resolve, sync, name)
        # The calling run's context lives in this thread: record the parent task run here.
        parent = _parent_task_run(f"{deployment.flow_name}/{deployment.name}") if as_subflow else None
        return await asyncio.to_thread(_create_and_wait, sync, deployment, parent, parameters, scheduled_time,
                                       flow_run_name, timeout, poll_interval, tags, idempotency_key, job_variables)
