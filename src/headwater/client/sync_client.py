"""`SyncPrefectClient`: the control plane in Prefect's client shape, synchronous.

Every method is one operation of the transport (`headwater.client.transport`), with
Prefect's argument names, returning the models of `headwater.client.schemas`.
Before each call, history this process has emitted and not yet stored is flushed,
so a run that just finished is visible, as it is on Prefect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.blocks import BlockMethods
from headwater.client.methods.variables import VariableMethods
from headwater.client.schemas import objects as o
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a
    from headwater.client.schemas import filters as f
    from headwater.client.schemas.responses import OrchestrationResult
    from headwater.client.transport import Transport
    from headwater.core.settings import Settings
    from headwater.core.states import State

__all__ = ["SyncPrefectClient"]


def _flush_history() -> None:
    from headwater.orchestrator import current_orchestrator

    orchestrator = current_orchestrator()
    if orchestrator is not None:
        orchestrator.flush(timeout=30)


class SyncPrefectClient(VariableMethods, BlockMethods):
    """The control plane, synchronously (`get_client(sync_client=True)`).

    Use it as a context manager, or call `close()`.
    """

    def __init__(self, settings: Settings | None = None, *, transport: Transport | None = None) -> None:
        if settings is None:
            from headwater.core.settings import get_settings

            settings = get_settings()
        self._settings = settings
        self._transport = transport
        self._own = transport is None

    @property
    def transport(self) -> Transport:
        """The transport, opened on first use."""
        if self._transport is None:
            from headwater.client.transport import open_transport

            self._transport = open_transport(self._settings)
        return self._transport

    @property
    def api_url(self) -> str | None:
        """The server's API URL, or None in-process."""
        return self._settings.api_url

    def __enter__(self) -> SyncPrefectClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection (or the database) if this client opened it."""
        if self._own and self._transport is not None:
            self._transport.close()
            self._transport = None

    def _ops(self) -> Transport:
        _flush_history()
        return self.transport

    def hello(self) -> str:
        """Check the control plane answers; returns where it is."""
        return self.transport.url

    # -- flows -----------------------------------------------------------------------
    def read_flow(self, flow_id: UUID | str) -> o.Flow:
        """The flow with this id. Raises `ObjectNotFound`."""
        return c.to_flow(self._ops().read_flow(flow_id=str(flow_id)))

    def read_flow_by_name(self, flow_name: str) -> o.Flow:
        """The flow called `flow_name`. Raises `ObjectNotFound`."""
        return c.to_flow(self._ops().read_flow(name=flow_name))

    def read_flows(self, *, flow_filter: f.FlowFilter | None = None, flow_run_filter: f.FlowRunFilter | None = None,
                   task_run_filter: f.TaskRunFilter | None = None, deployment_filter: f.DeploymentFilter | None = None,
                   sort: Any = None, limit: int | None = None, offset: int = 0, **unsupported: Any) -> list[o.Flow]:
        """Flows matching the filters (flows that have matching runs when run filters are given)."""
        _refuse(unsupported)
        ops = self._ops()
        if flow_run_filter is None and task_run_filter is None and deployment_filter is None:
            return [c.to_flow(x) for x in ops.filter_flows(c.flow_request(flow_filter, sort, limit, offset))]
        runs = self.read_flow_runs(flow_filter=flow_filter, flow_run_filter=flow_run_filter,
                                   task_run_filter=task_run_filter, deployment_filter=deployment_filter)
        ids = sorted({str(run.flow_id) for run in runs if run.flow_id is not None})
        if not ids:
            return []
        from headwater.client.schemas.filters import FlowFilter, FlowFilterId

        request = c.flow_request(FlowFilter(id=FlowFilterId(any_=[UUID(i) for i in ids])), sort, limit, offset)
        return [c.to_flow(x) for x in ops.filter_flows(request)]

    def create_flow_from_name(self, flow_name: str) -> UUID:
        """The id of the flow called `flow_name`, created if new."""
        return UUID(self._ops().ensure_flow(flow_name).id)

    # -- flow runs -------------------------------------------------------------------
    def _deployment_ids(self, deployment_filter: f.DeploymentFilter | None) -> list[str] | None:
        if deployment_filter is None:
            return None
        return [str(d.id) for d in self.read_deployments(deployment_filter=deployment_filter)]

    def read_flow_runs(self, *, flow_filter: f.FlowFilter | None = None,
                       flow_run_filter: f.FlowRunFilter | None = None,
                       task_run_filter: f.TaskRunFilter | None = None,
                       deployment_filter: f.DeploymentFilter | None = None, sort: Any = None,
                       limit: int | None = None, offset: int = 0, **unsupported: Any) -> list[o.FlowRun]:
        """Flow runs matching every filter given, in `sort` order (newest first by default)."""
        _refuse(unsupported)
        request = c.flow_run_request(flow_filter, flow_run_filter, task_run_filter,
                                     self._deployment_ids(deployment_filter), sort, limit, offset)
        return [c.to_flow_run(run) for run in self._ops().filter_flow_runs(request)]

    def count_flow_runs(self, *, flow_filter: f.FlowFilter | None = None,
                        flow_run_filter: f.FlowRunFilter | None = None,
                        task_run_filter: f.TaskRunFilter | None = None,
                        deployment_filter: f.DeploymentFilter | None = None, **unsupported: Any) -> int:
        """How many flow runs match every filter given."""
        _refuse(unsupported)
        request = c.flow_run_request(flow_filter, flow_run_filter, task_run_filter,
                                     self._deployment_ids(deployment_filter), None, None, 0)
        return self._ops().count_flow_runs(request)

    def read_flow_run(self, flow_run_id: UUID | str) -> o.FlowRun:
        """The flow run with this id. Raises `ObjectNotFound`."""
        return c.to_flow_run(self._ops().read_flow_run(str(flow_run_id)))

    def create_flow_run(self, flow: Any, name: str | None = None, parameters: dict[str, Any] | None = None,
                        context: dict[str, Any] | None = None, tags: Iterable[str] | None = None,
                        parent_task_run_id: UUID | None = None, state: State[Any] | None = None,
                        **unsupported: Any) -> o.FlowRun:
        """A flow run of `flow` (a flow object, or its name), in `state` (default Pending)."""
        from headwater.core.api_schemas import FlowRunCreate, StateCreate

        unsupported.pop("work_pool_name", None)
        _refuse(unsupported)
        flow_name = flow if isinstance(flow, str) else getattr(flow, "name", None)
        if not flow_name:
            raise TypeError(f"create_flow_run: expected a flow or a flow name, got {type(flow).__name__}")
        body = FlowRunCreate(
            flow_name=flow_name, name=name, parameters=c.jsonable(parameters or {}), tags=list(tags or ()),
            parent_task_run_id=parent_task_run_id,
            state=StateCreate(type=state.type, name=state.name, message=state.message,
                              details=c.jsonable(state.details)) if state is not None else None)
        return c.to_flow_run(self._ops().create_flow_run(body))

    def create_flow_run_from_deployment(self, deployment_id: UUID | str, *, parameters: dict[str, Any] | None = None,
                                        context: dict[str, Any] | None = None, state: State[Any] | None = None,
                                        name: str | None = None, tags: Iterable[str] | None = None,
                                        idempotency_key: str | None = None,
                                        parent_task_run_id: UUID | None = None,
                                        **unsupported: Any) -> o.FlowRun:
        """A SCHEDULED run of the deployment (due now, or at `state`'s scheduled time),
        its parameters merged over the deployment's. Raises `ObjectNotFound`,
        `ParameterValidationError` (naming each bad parameter)."""
        from headwater.core.deployment_schemas import DeploymentRunCreate

        for ignored in ("work_queue_name", "job_variables", "labels"):
            unsupported.pop(ignored, None)
        _refuse(unsupported)
        scheduled = None
        if state is not None and state.details and state.details.get("scheduled_time") is not None:
            scheduled = state.details["scheduled_time"]
        body = DeploymentRunCreate(parameters=c.jsonable(parameters or {}), name=name, tags=list(tags or ()),
                                   scheduled_time=scheduled, id=c.idempotent_id(deployment_id, idempotency_key),
                                   parent_task_run_id=str(parent_task_run_id) if parent_task_run_id else None)
        return c.to_flow_run(self._ops().create_deployment_run(str(deployment_id), body))

    def set_flow_run_state(self, flow_run_id: UUID | str, state: State[Any], force: bool = False) -> OrchestrationResult:
        """Propose `state` for the run; the transition table decides (ACCEPT or REJECT)."""
        from headwater.client.schemas.responses import OrchestrationResult, SetStateStatus
        from headwater.core.api_schemas import StateCreate
        from headwater.exceptions import InvalidStateTransition

        proposed = StateCreate(type=state.type, name=state.name, message=state.message,
                               details=c.jsonable(state.details))
        try:
            result = self._ops().set_flow_run_state(str(flow_run_id), proposed, force=force)
        except InvalidStateTransition as exc:
            current = self.read_flow_run(flow_run_id).state
            return OrchestrationResult(state=current, status=SetStateStatus.REJECT, details={"reason": str(exc)})
        return OrchestrationResult(state=c.to_state(result.state), status=SetStateStatus.ACCEPT)

    def delete_flow_run(self, flow_run_id: UUID | str) -> None:
        """Delete a flow run with its task runs, states and logs. Raises `ObjectNotFound`."""
        self._ops().delete_flow_run(str(flow_run_id))

    def read_flow_run_states(self, flow_run_id: UUID | str) -> list[State[Any]]:
        """Every state of the run, oldest first."""
        return [s for s in map(c.to_state, self._ops().read_flow_run_states(str(flow_run_id))) if s is not None]

    # -- task runs and logs ----------------------------------------------------------
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

    # -- deployments -----------------------------------------------------------------
    def _deployment(self, info: Any) -> o.Deployment:
        deployment = c.to_deployment(info)
        try:
            deployment.flow_id = UUID(self.transport.read_flow(name=info.flow_name).id)
        except ObjectNotFound:  # a deployment registered before its flow ever ran
            deployment.flow_id = UUID(self.transport.ensure_flow(info.flow_name).id)
        return deployment

    def create_deployment(self, flow_id: UUID | str, name: str, version: str | None = None,
                          concurrency_limit: int | None = None, parameters: dict[str, Any] | None = None,
                          description: str | None = None, work_pool_name: str | None = None,
                          tags: list[str] | None = None, entrypoint: str | None = None,
                          parameter_openapi_schema: dict[str, Any] | None = None, paused: bool | None = None,
                          **unsupported: Any) -> UUID:
        """Create the deployment `name` of a flow, or update the one with that name; its id.

        headwater runs a deployment with `flow.serve()` (no `work_pool_name`) or a worker
        of its pool; without an `entrypoint` it can be triggered but not run.
        """
        from headwater.core.deployment_schemas import DeploymentCreate

        for ignored in ("work_queue_name", "job_variables", "enforce_parameter_schema", "pull_steps", "path",
                        "storage_document_id", "infrastructure_document_id", "version_info",
                        "concurrency_options", "branch", "base", "root"):
            unsupported.pop(ignored, None)
        schedules = unsupported.pop("schedules", None)
        _refuse(unsupported)
        if schedules:
            raise ValueError("headwater's create_deployment takes no schedules yet; use flow.serve(cron=...) or "
                             "flow.deploy(...)")
        ops = self._ops()
        flow = ops.read_flow(flow_id=str(flow_id))
        info = ops.upsert_deployment(DeploymentCreate(
            name=name, flow_name=flow.name, entrypoint=entrypoint or "(no entrypoint)", version=version,
            concurrency_limit=concurrency_limit, parameters=c.jsonable(parameters or {}), description=description,
            work_pool_name=work_pool_name, tags=list(tags or ()), parameter_schema=parameter_openapi_schema,
            paused=bool(paused), create_project=True))
        return UUID(info.id)

    def read_deployment(self, deployment_id: UUID | str) -> o.Deployment:
        """The deployment with this id. Raises `ObjectNotFound`."""
        return self._deployment(self._ops().read_deployment(str(deployment_id)))

    def read_deployment_by_name(self, name: str) -> o.Deployment:
        """The deployment `flow-name/deployment-name`. Raises `ObjectNotFound`."""
        if "/" not in name:
            raise ValueError(f"expected a deployment name as 'flow-name/deployment-name', got {name!r}")
        return self._deployment(self._ops().read_deployment(name))

    def read_deployments(self, *, flow_filter: f.FlowFilter | None = None,
                         deployment_filter: f.DeploymentFilter | None = None, limit: int | None = None,
                         offset: int = 0, sort: Any = None, **unsupported: Any) -> list[o.Deployment]:
        """Deployments matching the filters, by flow name and name."""
        _refuse(unsupported)
        found = [self._deployment(d) for d in self._ops().list_deployments()]
        found = [d for d in found if c.deployment_matches(d, flow_filter, deployment_filter)]
        key = getattr(sort, "value", sort)
        if key == "NAME_DESC":
            found.sort(key=lambda d: d.name, reverse=True)
        elif key == "NAME_ASC":
            found.sort(key=lambda d: d.name)
        elif key in ("CREATED_DESC", "UPDATED_DESC"):
            found.sort(key=lambda d: (d.created if key == "CREATED_DESC" else d.updated) or 0, reverse=True)
        return found[offset:None if limit is None else offset + limit]

    def _update_deployment(self, deployment_id: UUID | str, **changes: Any) -> None:
        from headwater.core.deployment_schemas import DeploymentUpdate

        self._ops().update_deployment(str(deployment_id), DeploymentUpdate(**changes))

    def pause_deployment(self, deployment_id: UUID | str) -> None:
        """Pause a deployment: its schedules stop creating runs."""
        self._update_deployment(deployment_id, paused=True)

    def resume_deployment(self, deployment_id: UUID | str) -> None:
        """Resume a paused deployment."""
        self._update_deployment(deployment_id, paused=False)

    def delete_deployment(self, deployment_id: UUID | str) -> None:
        """Delete a deployment with its schedules and runs not started."""
        self._ops().delete_deployment(str(deployment_id))

    def read_deployment_schedules(self, deployment_id: UUID | str) -> list[o.DeploymentSchedule]:
        """The schedules of a deployment."""
        return self.read_deployment(deployment_id).schedules

    # -- work pools and workers ------------------------------------------------------
    def create_work_pool(self, work_pool: a.WorkPoolCreate, overwrite: bool = False) -> o.WorkPool:
        """Create a work pool (`overwrite`: update the one with this name). Raises `ObjectAlreadyExists`."""
        from headwater.core.deployment_schemas import WorkPoolCreate, WorkPoolUpdate

        ops = self._ops()
        try:
            return c.to_work_pool(ops.create_work_pool(WorkPoolCreate(
                name=work_pool.name, description=work_pool.description, paused=work_pool.is_paused,
                concurrency_limit=work_pool.concurrency_limit)))
        except ObjectAlreadyExists:
            if not overwrite:
                raise
        return c.to_work_pool(ops.update_work_pool(work_pool.name, WorkPoolUpdate(
            description=work_pool.description, paused=work_pool.is_paused,
            concurrency_limit=work_pool.concurrency_limit, clear_concurrency_limit=work_pool.concurrency_limit is None)))

    def read_work_pool(self, work_pool_name: str) -> o.WorkPool:
        """The work pool called `work_pool_name`. Raises `ObjectNotFound`."""
        return c.to_work_pool(self._ops().read_work_pool(work_pool_name))

    def read_work_pools(self, limit: int | None = None, offset: int = 0,
                        work_pool_filter: f.WorkPoolFilter | None = None) -> list[o.WorkPool]:
        """Work pools by name."""
        pools = [c.to_work_pool(p) for p in self._ops().list_work_pools()]
        if work_pool_filter is not None:
            pools = [p for p in pools if c.pool_matches(p, work_pool_filter)]
        return pools[offset:None if limit is None else offset + limit]

    def update_work_pool(self, work_pool_name: str, work_pool: a.WorkPoolUpdate) -> None:
        """Change a work pool's description, limit or paused flag."""
        from headwater.core.deployment_schemas import WorkPoolUpdate

        changes = work_pool.model_dump(exclude_unset=True)
        if "is_paused" in changes:
            changes["paused"] = changes.pop("is_paused")
        if "concurrency_limit" in changes and changes["concurrency_limit"] is None:
            changes.pop("concurrency_limit")
            changes["clear_concurrency_limit"] = True
        self._ops().update_work_pool(work_pool_name, WorkPoolUpdate(**changes))

    def read_workers_for_work_pool(self, work_pool_name: str, worker_filter: Any = None, offset: int | None = None,
                                   limit: int | None = None) -> list[o.Worker]:
        """The workers of a pool. Raises `ObjectNotFound`."""
        ops = self._ops()
        ops.read_work_pool(work_pool_name)
        workers = [c.to_worker(w) for w in ops.list_workers(work_pool_name)]
        start = offset or 0
        return workers[start:None if limit is None else start + limit]

    # -- concurrency limits ----------------------------------------------------------
    def create_global_concurrency_limit(self, concurrency_limit: a.GlobalConcurrencyLimitCreate) -> UUID:
        """Create a global limit; returns its id. Raises `ObjectAlreadyExists`."""
        from headwater.core.limits import ConcurrencyLimitError, limit_key

        key = limit_key(concurrency_limit.name)
        ops = self._ops()
        try:
            info = ops.create_concurrency_limit(key, concurrency_limit.limit,
                                                slot_decay_per_second=concurrency_limit.slot_decay_per_second,
                                                active=concurrency_limit.active)
        except ConcurrencyLimitError as refused:
            try:
                ops.read_concurrency_limit(key)
            except ObjectNotFound:
                raise refused from None  # not taken: the values themselves were refused
            raise ObjectAlreadyExists(f"a global concurrency limit named {concurrency_limit.name!r} "
                                      "already exists") from None
        return UUID(info.id)

    def read_global_concurrency_limit_by_name(self, name: str) -> o.GlobalConcurrencyLimit:
        """The global limit called `name`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        return c.to_global_limit(self._ops().read_concurrency_limit(limit_key(name)))

    def read_global_concurrency_limits(self, limit: int = 10, offset: int = 0) -> list[o.GlobalConcurrencyLimit]:
        """Global limits by name, one page."""
        infos = self._ops().list_concurrency_limits(kind="global", with_holders=False)
        return [c.to_global_limit(i) for i in infos[offset:offset + limit]]

    def update_global_concurrency_limit(self, name: str,
                                        concurrency_limit: a.GlobalConcurrencyLimitUpdate) -> None:
        """Change a global limit's size, decay or activity. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().update_concurrency_limit(limit_key(name), limit=concurrency_limit.limit,
                                             slot_decay_per_second=concurrency_limit.slot_decay_per_second,
                                             active=concurrency_limit.active)

    def upsert_global_concurrency_limit_by_name(self, name: str, limit: int) -> None:
        """Create the global limit `name`, or set its size if it exists."""
        from headwater.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate

        try:
            self.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=limit))
        except ObjectNotFound:
            self.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))

    def delete_global_concurrency_limit_by_name(self, name: str) -> None:
        """Delete a global limit. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().delete_concurrency_limit(limit_key(name))

    def create_concurrency_limit(self, tag: str, concurrency_limit: int) -> UUID:
        """Create (or resize) the limit on task runs tagged `tag`; returns its id."""
        from headwater.core.limits import ConcurrencyLimitError, limit_key

        key = limit_key(tag, "tag")
        ops = self._ops()
        try:
            return UUID(ops.create_concurrency_limit(key, concurrency_limit).id)
        except ConcurrencyLimitError as refused:
            try:  # taken: resize it, as Prefect does
                return UUID(ops.update_concurrency_limit(key, limit=concurrency_limit).id)
            except ObjectNotFound:
                raise refused from None  # not taken: the value itself was refused

    def read_concurrency_limit_by_tag(self, tag: str) -> o.ConcurrencyLimit:
        """The limit on `tag`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        return c.to_tag_limit(self._ops().read_concurrency_limit(limit_key(tag, "tag")))

    def read_concurrency_limits(self, limit: int, offset: int) -> list[o.ConcurrencyLimit]:
        """Tag limits by tag, one page."""
        infos = self._ops().list_concurrency_limits(kind="tag")
        return [c.to_tag_limit(i) for i in infos[offset:offset + limit]]

    def reset_concurrency_limit_by_tag(self, tag: str, slot_override: list[UUID] | None = None) -> None:
        """Free every slot held on `tag`'s limit."""
        from headwater.core.limits import limit_key

        if slot_override:
            raise ValueError("headwater cannot reset a tag limit to given slots (slot_override); omit it")
        self._ops().reset_concurrency_limit(limit_key(tag, "tag"))

    def delete_concurrency_limit_by_tag(self, tag: str) -> None:
        """Delete the limit on `tag`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().delete_concurrency_limit(limit_key(tag, "tag"))

    # -- projects (headwater's grouping of deployments) ------------------------------
    def create_project(self, name: str, description: str | None = None) -> Any:
        """Create a project. Raises `ObjectAlreadyExists`."""
        from headwater.core.deployment_schemas import ProjectCreate

        return self._ops().create_project(ProjectCreate(name=name, description=description))

    def read_projects(self) -> list[Any]:
        """Every project by name."""
        return self._ops().list_projects()

def _refuse(unsupported: dict[str, Any]) -> None:
    given = sorted(name for name, value in unsupported.items() if value is not None)
    if given:
        raise TypeError(f"headwater's client does not support the argument(s) {', '.join(given)} yet")
