"""Prefect 1's `Client` (`prefect.Client`, `prefect.client.Client`) over headwater's one client.

The methods a Prefect 1 program calls on a Prefect Server backend map to the control
plane of `get_client(sync_client=True)`: projects, flow runs of registered flows (a
flow registered with `flow.register(project_name=...)` is a deployment; its id is the
flow id and the version group id), their states and task runs, and registering.
States come and go as Prefect 1 state objects (`headwater.engine.state`).

What only Prefect Cloud had (tenants, API keys, server-side secrets, artifacts of the
Prefect 1 API, agent registration, raw GraphQL) raises `Prefect1ClientUnsupported`
naming headwater's way to do it.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.exceptions import HeadwaterError

if TYPE_CHECKING:
    from headwater.client.sync_client import SyncPrefectClient

__all__ = ["Client", "FlowRunInfoResult", "Prefect1ClientUnsupported", "ProjectInfo", "TaskRunInfoResult"]


class Prefect1ClientUnsupported(HeadwaterError):
    """A Prefect 1 `Client` method with no headwater counterpart (Prefect Cloud only, mostly)."""


class ProjectInfo(NamedTuple):
    """A project's id and name."""

    id: str
    name: str


class TaskRunInfoResult(NamedTuple):
    """A task run as `Client.get_task_run_info` returns it."""

    id: str
    task_id: str
    task_slug: str
    version: int
    state: Any


class FlowRunInfoResult(NamedTuple):
    """A flow run as `Client.get_flow_run_info` returns it."""

    id: str
    name: str
    flow_id: str
    project: ProjectInfo | None
    parameters: dict[str, Any]
    context: dict[str, Any]
    version: int
    scheduled_start_time: datetime.datetime | None
    state: Any
    task_runs: list[TaskRunInfoResult]


# Prefect 1 methods with no counterpart, and what to use instead.
_UNSUPPORTED = {
    "create_tenant": "tenants are Prefect Cloud's; headwater has one namespace per server or database",
    "switch_tenant": "tenants are Prefect Cloud's; point HEADWATER_API_URL at another server instead",
    "get_available_tenants": "tenants are Prefect Cloud's",
    "get_default_tenant_slug": "tenants are Prefect Cloud's",
    "tenant_id": "tenants are Prefect Cloud's",
    "save_auth_to_disk": "API keys are Prefect Cloud's; headwater's client reaches HEADWATER_API_URL",
    "load_auth_from_disk": "API keys are Prefect Cloud's; headwater's client reaches HEADWATER_API_URL",
    "attach_headers": "the client's requests are headwater's own; set HEADWATER_API_URL",
    "set_secret": "server-side secrets are Prefect Cloud's; save a headwater Secret block "
                  "(`from headwater.blocks.system import Secret; Secret(value=...).save(name)`)",
    "create_task_run_artifact": "use headwater.artifacts.create_markdown_artifact / create_link_artifact",
    "update_task_run_artifact": "use headwater.artifacts (create a new artifact with the same key)",
    "delete_task_run_artifact": "use `headwater artifact delete KEY`",
    "register_agent": "workers register themselves: `headwater agent local start`",
    "get_agent_config": "agent configs are Prefect Cloud's; a worker reads its work pool",
    "graphql": "headwater's API is REST, not GraphQL; use headwater.get_client(sync_client=True)",
    "get": "headwater's API is REST; use headwater.get_client(sync_client=True)",
    "post": "headwater's API is REST; use headwater.get_client(sync_client=True)",
    "update_flow_run_heartbeat": "the engine and the worker send heartbeats themselves",
    "write_run_logs": "log through the run's logger (headwater.get_run_logger() or prefect.context.logger)",
    "get_latest_cached_states": "Prefect 1's cached states are read by the engine; use cache_for= on the task",
    "set_flow_run_name": "a flow run's name is chosen when it is created (run_name=)",
    "set_task_run_name": "a task run's name is chosen when it runs (task_run_name= on the task)",
    "delete_project": "projects are kept; delete their deployments with `headwater deployment delete`",
    "set_task_run_state": "task run states are recorded by the engine running the task",
    "get_task_tag_limit": "use `headwater concurrency-limit inspect TAG` or headwater.concurrency",
    "update_task_tag_limit": "use `headwater concurrency-limit create TAG N`",
    "delete_task_tag_limit": "use `headwater concurrency-limit delete TAG`",
}


class Client:
    """Prefect 1's API client, over the control plane headwater's client reaches.

    Args:
        api_server: a headwater server's API URL (default: `HEADWATER_API_URL`, or the
            embedded database when unset).
        api_key: Prefect Cloud's; refused when given.
        tenant_id: Prefect Cloud's; refused when given.
    """

    def __init__(self, api_server: str | None = None, api_key: str | None = None,
                 tenant_id: str | None = None, **ignored: Any) -> None:
        if api_key is not None or tenant_id is not None:
            raise Prefect1ClientUnsupported(
                "Client(api_key=, tenant_id=): API keys and tenants are Prefect Cloud's; headwater's client reaches "
                "the server of HEADWATER_API_URL (or api_server=) without them")
        from headwater.core.settings import get_settings

        settings = get_settings()
        if api_server is not None:
            settings = settings.model_copy(update={"api_url": api_server.rstrip("/")})
        self._settings = settings
        self.api_server = settings.api_url

    def __getattr__(self, name: str) -> Any:
        if name in _UNSUPPORTED:
            raise Prefect1ClientUnsupported(f"Client.{name} has no headwater counterpart: {_UNSUPPORTED[name]}")
        raise AttributeError(f"'Client' object has no attribute {name!r}")

    def _client(self) -> SyncPrefectClient:
        from headwater.client.sync_client import SyncPrefectClient

        return SyncPrefectClient(self._settings)

    # -- projects and registering ------------------------------------------------------------
    def create_project(self, project_name: str, project_description: str | None = None) -> str:
        """Create a project (or find it, as Prefect Server's create is idempotent by name); its id."""
        from headwater.exceptions import ObjectNotFound

        with self._client() as client:
            try:
                return str(client.transport.read_project(project_name).id)
            except ObjectNotFound:
                return str(client.create_project(project_name, project_description).id)

    def register(self, flow: Any, project_name: str | None = None, build: bool = True,
                 set_schedule_active: bool = True, version_group_id: str | None = None,
                 compressed: bool = True, no_url: bool = False, idempotency_key: str | None = None,
                 labels: Iterable[str] | None = None, **ignored: Any) -> str:
        """Register a static flow (`flow.register(project_name=...)`); the deployment's id (the flow id)."""
        from headwater.engine.deployments import register_static

        if project_name is None:
            raise ValueError("Client.register: project_name= is required (the project to register the flow in)")
        if getattr(flow, "storage", None) is not None:
            return str(flow.register(project_name=project_name, build=build, labels=list(labels or ())))
        caller = sys._getframe(1).f_globals  # where the flow is a module-level name: the deployment's entrypoint
        return register_static(flow, project_name, create_project=False, caller_globals=caller,
                               labels=sorted(labels) if labels else None, settings=self._settings)

    # -- flow runs ---------------------------------------------------------------------------
    def create_flow_run(self, flow_id: str | None = None, context: dict[str, Any] | None = None,
                        parameters: dict[str, Any] | None = None, run_config: Any = None,
                        labels: Iterable[str] | None = None,
                        scheduled_start_time: datetime.datetime | None = None,
                        idempotency_key: str | None = None, run_name: str | None = None,
                        version_group_id: str | None = None) -> str:
        """A flow run of the registered flow `flow_id` (or `version_group_id`: the same id here); its id.

        The run is Scheduled for now (or `scheduled_start_time`); a worker of the flow's
        pool runs it (`headwater agent local start`). The same `idempotency_key` returns
        the run it created first.

        Raises:
            ValueError: neither id given.
            ObjectNotFound: no registered flow with that id.
            ParameterValidationError: a parameter the flow does not take.
        """
        from headwater.states import Scheduled

        ref = flow_id or version_group_id
        if not ref:
            raise ValueError("One of flow_id or version_group_id must be provided")
        state = Scheduled(scheduled_time=scheduled_start_time) if scheduled_start_time is not None else None
        with self._client() as client:
            run = client.create_flow_run_from_deployment(
                ref, parameters=parameters, context=context, state=state, name=run_name,
                tags=list(labels or ()), idempotency_key=idempotency_key)
        return str(run.id)

    def get_flow_run_info(self, flow_run_id: str) -> FlowRunInfoResult:
        """The flow run with its project, parameters, Prefect 1 state and task runs. Raises `ObjectNotFound`."""
        from headwater.backend.flow_run import FlowRunView

        view = FlowRunView.from_flow_run_id(flow_run_id)
        project = None
        if view.flow_run.deployment_id is not None:
            with self._client() as client:
                deployment = client.transport.read_deployment(str(view.flow_run.deployment_id))
                project = ProjectInfo(id=str(client.transport.read_project(deployment.project).id),
                                      name=deployment.project)
        task_runs = [TaskRunInfoResult(t.task_run_id, t.task_id, t.task_slug, t.task_run.run_count, t.state)
                     for t in view.get_all_task_runs()]
        return FlowRunInfoResult(id=view.flow_run_id, name=view.name, flow_id=view.flow_id, project=project,
                                 parameters=view.parameters, context=view.context, version=view.flow_run.run_count,
                                 scheduled_start_time=view.flow_run.expected_start_time, state=view.state,
                                 task_runs=task_runs)

    def get_flow_run_state(self, flow_run_id: str) -> Any:
        """The flow run's state as a Prefect 1 state object. Raises `ObjectNotFound`."""
        from headwater.backend.states import to_prefect1_state

        with self._client() as client:
            return to_prefect1_state(client.read_flow_run(flow_run_id).state)

    def set_flow_run_state(self, flow_run_id: str, state: Any, version: int | None = None) -> Any:
        """Set the flow run's state (a Prefect 1 state object); the state the run is in afterwards.

        A transition the run's state does not allow (a finished run back to Running,
        say) is refused by the orchestrator, and the current state is returned.
        """
        from headwater.backend.states import to_headwater_state, to_prefect1_state

        with self._client() as client:
            result = client.set_flow_run_state(flow_run_id, to_headwater_state(state))
        return state if result.status.value == "ACCEPT" else to_prefect1_state(result.state)

    def cancel_flow_run(self, flow_run_id: str) -> bool:
        """Cancel the flow run (a worker running it stops it). Raises `ObjectNotFound`."""
        with self._client() as client:
            client.transport.cancel_flow_run(str(flow_run_id))
        return True

    # -- task runs ---------------------------------------------------------------------------
    def get_task_run_info(self, flow_run_id: str, task_id: str, map_index: int | None = None) -> TaskRunInfoResult:
        """A task run of the flow run, by task id (its task key, or Prefect 1 slug). Raises `ValueError` if none."""
        from headwater.backend.flow_run import FlowRunView

        view = FlowRunView.from_flow_run_id(flow_run_id).get_task_run(
            task_slug=task_id, map_index=-1 if map_index is None else map_index)
        return TaskRunInfoResult(view.task_run_id, view.task_id, view.task_slug, view.task_run.run_count, view.state)

    def get_task_run_state(self, task_run_id: str) -> Any:
        """The task run's state as a Prefect 1 state object. Raises `ObjectNotFound`."""
        from headwater.backend.states import to_prefect1_state

        with self._client() as client:
            return to_prefect1_state(client.read_task_run(task_run_id).state)

    def get_cloud_url(self, subdirectory: str, id: str, as_user: bool = True) -> str:
        """Where the web UI shows the object (`flow-run`, `flow`), or the command that prints it without a server."""
        kinds = {"flow-run": "flow-runs", "flow": "deployments", "task-run": "task-runs"}
        if not self._settings.api_url:
            command = {"flow": "deployment inspect"}.get(subdirectory, f"{subdirectory} inspect")
            return f"headwater {command} {id}"
        base = self._settings.api_url.rstrip("/").removesuffix("/api")
        return f"{base}/{kinds.get(subdirectory, subdirectory)}/{id}"
