"""Flow runs: read with filters, count, create (also from a deployment), update, set state, delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase, refuse_unsupported
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a
    from headwater.client.schemas import filters as f
    from headwater.client.schemas.responses import OrchestrationResult
    from headwater.core.states import State

__all__ = ["FlowRunMethods"]


class FlowRunMethods(ClientBase):
    """The client's flow run methods (`read_flow_runs`, `create_flow_run`, `set_flow_run_state`, ...)."""

    def read_flow_runs(self, *, flow_filter: f.FlowFilter | None = None,
                       flow_run_filter: f.FlowRunFilter | None = None,
                       task_run_filter: f.TaskRunFilter | None = None,
                       deployment_filter: f.DeploymentFilter | None = None, sort: Any = None,
                       limit: int | None = None, offset: int = 0, **unsupported: Any) -> list[o.FlowRun]:
        """Flow runs matching every filter given, in `sort` order (newest first by default)."""
        refuse_unsupported(unsupported)
        request = c.flow_run_request(flow_filter, flow_run_filter, task_run_filter,
                                     self._deployment_ids(deployment_filter), sort, limit, offset)
        return [c.to_flow_run(run) for run in self._ops().filter_flow_runs(request)]

    def count_flow_runs(self, *, flow_filter: f.FlowFilter | None = None,
                        flow_run_filter: f.FlowRunFilter | None = None,
                        task_run_filter: f.TaskRunFilter | None = None,
                        deployment_filter: f.DeploymentFilter | None = None, **unsupported: Any) -> int:
        """How many flow runs match every filter given."""
        refuse_unsupported(unsupported)
        request = c.flow_run_request(flow_filter, flow_run_filter, task_run_filter,
                                     self._deployment_ids(deployment_filter), None, None, 0)
        return self._ops().count_flow_runs(request)

    def read_flow_run(self, flow_run_id: UUID | str) -> o.FlowRun:
        """The flow run with this id. Raises `ObjectNotFound`.

        A paused run's state carries its pause in `state_details` (`pause_key`,
        `pause_timeout`, `run_input_keyset`), as on Prefect, read from its last state."""
        info = self._ops().read_flow_run(str(flow_run_id))
        if info.state is not None and info.state.type == "PAUSED" and info.state.details is None:
            states = self._ops().read_flow_run_states(str(flow_run_id))
            if states and states[-1].type == "PAUSED":
                info = info.model_copy(update={"state": states[-1]})
        return c.to_flow_run(info)

    def create_flow_run(self, flow: Any, name: str | None = None, parameters: dict[str, Any] | None = None,
                        context: dict[str, Any] | None = None, tags: Iterable[str] | None = None,
                        parent_task_run_id: UUID | None = None, state: State[Any] | a.StateCreate | None = None,
                        **unsupported: Any) -> o.FlowRun:
        """A flow run of `flow` (a flow object, or its name), in `state` (default Pending).

        As Prefect's client, it makes sure the flow exists (`FlowCreate`), then sends a
        `FlowRunCreate`; `context` and the work pool fields are not kept.
        """
        from headwater.client.schemas.run_actions import FlowRunCreate, headwater_state, state_create
        from headwater.core import api_schemas as api

        work = {k: unsupported.pop(k, None) for k in ("work_pool_name", "work_queue_name", "job_variables")}
        refuse_unsupported(unsupported)
        flow_name = flow if isinstance(flow, str) else getattr(flow, "name", None)
        if not flow_name:
            raise TypeError(f"create_flow_run: expected a flow or a flow name, got {type(flow).__name__}")
        version = getattr(flow, "version", None)
        body = FlowRunCreate(
            flow_id=self._flow_id(flow_name), flow_version=version if isinstance(version, str) else None,
            name=name, parameters=parameters or {}, context=context or {}, tags=list(tags or ()),
            parent_task_run_id=parent_task_run_id, state=state_create(state) if state is not None else None,
            **{k: v for k, v in work.items() if v is not None})
        return c.to_flow_run(self._ops().create_flow_run(api.FlowRunCreate(
            flow_id=body.flow_id, name=body.name, parameters=c.jsonable(body.parameters), tags=body.tags,
            parent_task_run_id=body.parent_task_run_id,
            state=headwater_state(state) if state is not None else None)))

    def _flow_id(self, flow_name: str) -> UUID:
        from headwater.client.schemas.actions import FlowCreate

        return UUID(self._ops().ensure_flow(FlowCreate(name=flow_name).name).id)

    def update_flow_run(self, flow_run_id: UUID | str, flow_version: str | None = None,
                        parameters: dict[str, Any] | None = None, name: str | None = None,
                        tags: Iterable[str] | None = None, empirical_policy: o.FlowRunPolicy | None = None,
                        infrastructure_pid: str | None = None, job_variables: dict[str, Any] | None = None) -> None:
        """Replace a flow run's name, parameters or tags (those given; not merged).

        headwater does not keep a run's `flow_version`, `empirical_policy`,
        `infrastructure_pid` or `job_variables`: giving one is refused. Returns None
        (Prefect returns the HTTP response).

        Raises:
            ObjectNotFound: no such flow run.
            ValueError: a field headwater does not keep was given, named.
        """
        from headwater.client.schemas.run_actions import FlowRunUpdate, refuse_fields
        from headwater.core.run_updates import FlowRunUpdate as Changes

        given = dict(flow_version=flow_version, parameters=parameters, name=name,
                     tags=list(tags) if tags is not None else None, empirical_policy=empirical_policy,
                     infrastructure_pid=infrastructure_pid or None, job_variables=job_variables)
        body = FlowRunUpdate(**{k: v for k, v in given.items() if v is not None})
        refuse_fields(body, {"name", "parameters", "tags"}, "flow run")
        changes = Changes(name=body.name, tags=body.tags if "tags" in body.model_fields_set else None,
                          parameters=c.jsonable(body.parameters) if "parameters" in body.model_fields_set else None)
        self._ops().update_flow_run(str(flow_run_id), changes)

    def create_flow_run_from_deployment(self, deployment_id: UUID | str, *, parameters: dict[str, Any] | None = None,
                                        context: dict[str, Any] | None = None,
                                        state: State[Any] | a.StateCreate | None = None,
                                        name: str | None = None, tags: Iterable[str] | None = None,
                                        idempotency_key: str | None = None,
                                        parent_task_run_id: UUID | None = None,
                                        **unsupported: Any) -> o.FlowRun:
        """A SCHEDULED run of the deployment (due now, or at `state`'s scheduled time),
        its parameters merged over the deployment's (sent as Prefect's
        `DeploymentFlowRunCreate`; its job variables go over the deployment's; the work queue
        and labels are not kept).

        Raises:
            ObjectNotFound: no such deployment.
            ParameterValidationError: naming each bad parameter.
        """
        from headwater.client.schemas.run_actions import DeploymentFlowRunCreate, headwater_state, state_create
        from headwater.core.deployment_schemas import DeploymentRunCreate

        work = {k: unsupported.pop(k, None) for k in ("work_queue_name", "job_variables", "labels")}
        refuse_unsupported(unsupported)
        body = DeploymentFlowRunCreate(
            parameters=parameters or {}, context=context or {},
            state=state_create(state) if state is not None else None, name=name, tags=list(tags or ()),
            idempotency_key=idempotency_key, parent_task_run_id=parent_task_run_id,
            **{k: v for k, v in work.items() if v is not None})
        details = headwater_state(state).details if state is not None else None
        scheduled = (details or {}).get("scheduled_time")
        run = DeploymentRunCreate(parameters=c.jsonable(body.parameters), name=body.name, tags=body.tags,
                                  job_variables=c.jsonable(body.job_variables or {}),
                                  scheduled_time=scheduled, id=c.idempotent_id(deployment_id, body.idempotency_key),
                                  parent_task_run_id=str(body.parent_task_run_id) if body.parent_task_run_id else None)
        return c.to_flow_run(self._ops().create_deployment_run(str(deployment_id), run))

    def set_flow_run_state(self, flow_run_id: UUID | str, state: State[Any] | a.StateCreate,
                           force: bool = False) -> OrchestrationResult:
        """Propose `state` (a `State` or a `StateCreate`) for the run; the transition
        table decides (ACCEPT or REJECT)."""
        from headwater.client.schemas.responses import OrchestrationResult, SetStateStatus
        from headwater.client.schemas.run_actions import headwater_state
        from headwater.exceptions import InvalidStateTransition

        proposed = headwater_state(state)
        try:
            result = self._ops().set_flow_run_state(str(flow_run_id), proposed, force=force)
        except InvalidStateTransition as exc:
            current = self.read_flow_run(flow_run_id).state
            return OrchestrationResult(state=current, status=SetStateStatus.REJECT, details={"reason": str(exc)})
        return OrchestrationResult(state=c.to_state(result.state, flow_run_id=str(flow_run_id)),
                                   status=SetStateStatus(result.status), details=result.details)

    def delete_flow_run(self, flow_run_id: UUID | str) -> None:
        """Delete a flow run with its task runs, states and logs. Raises `ObjectNotFound`."""
        self._ops().delete_flow_run(str(flow_run_id))

    def read_flow_run_states(self, flow_run_id: UUID | str) -> list[State[Any]]:
        """Every state of the run, oldest first."""
        states = (c.to_state(s, flow_run_id=str(flow_run_id)) for s in self._ops().read_flow_run_states(str(flow_run_id)))
        return [s for s in states if s is not None]
