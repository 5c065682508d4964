"""Flow runs: read with filters, count, create (also from a deployment), set state, delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase, refuse_unsupported
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
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
                        parent_task_run_id: UUID | None = None, state: State[Any] | None = None,
                        **unsupported: Any) -> o.FlowRun:
        """A flow run of `flow` (a flow object, or its name), in `state` (default Pending)."""
        from headwater.core.api_schemas import FlowRunCreate, StateCreate

        unsupported.pop("work_pool_name", None)
        refuse_unsupported(unsupported)
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

        job_variables = unsupported.pop("job_variables", None) or {}
        for ignored in ("work_queue_name", "labels"):
            unsupported.pop(ignored, None)
        refuse_unsupported(unsupported)
        scheduled = None
        if state is not None and state.details and state.details.get("scheduled_time") is not None:
            scheduled = state.details["scheduled_time"]
        body = DeploymentRunCreate(parameters=c.jsonable(parameters or {}), name=name, tags=list(tags or ()),
                                   scheduled_time=scheduled, id=c.idempotent_id(deployment_id, idempotency_key),
                                   parent_task_run_id=str(parent_task_run_id) if parent_task_run_id else None,
                                   job_variables=c.jsonable(job_variables))
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
        return OrchestrationResult(state=c.to_state(result.state, flow_run_id=str(flow_run_id)),
                                   status=SetStateStatus(result.status), details=result.details)

    def delete_flow_run(self, flow_run_id: UUID | str) -> None:
        """Delete a flow run with its task runs, states and logs. Raises `ObjectNotFound`."""
        self._ops().delete_flow_run(str(flow_run_id))

    def read_flow_run_states(self, flow_run_id: UUID | str) -> list[State[Any]]:
        """Every state of the run, oldest first."""
        states = (c.to_state(s, flow_run_id=str(flow_run_id)) for s in self._ops().read_flow_run_states(str(flow_run_id)))
        return [s for s in states if s is not None]
