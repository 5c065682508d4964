"""`FlowRunOperations`: flows and flow runs, read, created and changed (`Operations` inherits it).

Creating a run and setting its state take a `scheduled_time` from the state's details
(an ISO 8601 time or epoch seconds) as the time it is due; a Paused state goes through
Prefect's pause rules (`operations/flow_run_input.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.api_schemas import (
        FlowFilterRequest,
        FlowInfo,
        FlowRunCreate,
        FlowRunFilterRequest,
        OrchestrationResult,
        StateCreate,
    )
    from headwater.core.run_updates import FlowRunUpdate
    from headwater.core.schemas import FlowRunInfo, StateInfo
    from headwater.store import Store

__all__ = ["FlowRunOperations"]


def _scheduled_time(details: dict[str, Any] | None) -> float | None:
    """The `scheduled_time` of a state's details as epoch seconds (None if absent)."""
    from datetime import datetime

    from headwater.exceptions import ParameterValidationError

    value = (details or {}).get("scheduled_time")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError, OverflowError, OSError):
        raise ParameterValidationError(
            f"state.details.scheduled_time: expected an ISO 8601 time or epoch seconds, got {value!r}"[:300]
        ) from None



class FlowRunOperations:
    """Flows and flow runs: create, read, filter, count, change state, update, delete,
    cancel, retry."""

    if TYPE_CHECKING:
        store: Store

        def pause_flow_run(self, flow_run_id: str, state: StateCreate) -> OrchestrationResult: ...

    # -- flows -----------------------------------------------------------------------
    def ensure_flow(self, name: str) -> FlowInfo:
        """The flow called `name`, created if new."""
        return self.store.flow_runs.ensure_flow(name)

    def read_flow(self, *, flow_id: str | None = None, name: str | None = None) -> FlowInfo:
        """A flow by id or name. Raises `ObjectNotFound`."""
        return self.store.flow_runs.read_flow(flow_id=flow_id, name=name)

    def filter_flows(self, request: FlowFilterRequest) -> list[FlowInfo]:
        """One page of the flows matching the request's filter, in its order."""
        spec = request.flows
        return self.store.flow_runs.filter_flows(
            names=spec.name.any_ if spec and spec.name else None,
            like=spec.name.like_ if spec and spec.name else None,
            ids=[str(i) for i in spec.id.any_] if spec and spec.id and spec.id.any_ is not None else None,
            sort=request.sort,
            limit=request.limit,
            offset=request.offset,
        )

    # -- flow runs -------------------------------------------------------------------
    def create_flow_run(self, body: FlowRunCreate) -> FlowRunInfo:
        """Create a flow run (its flow created if new)."""
        expected = _scheduled_time(body.state.details) if body.state is not None else None
        return self.store.flow_runs.create_flow_run(body, expected_start=expected)

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo:
        """A flow run by id. Raises `ObjectNotFound`."""
        return self.store.flow_runs.read_flow_run_by_id(flow_run_id)

    def lookup_flow_run(self, ref: str) -> FlowRunInfo:
        """A flow run by id, unique id prefix or name (newest wins)."""
        return self.store.flow_runs.read_flow_run(ref)

    def filter_flow_runs(self, request: FlowRunFilterRequest) -> list[FlowRunInfo]:
        """One page of the flow runs matching the request, in its order."""
        return self.store.flow_runs.filter_flow_runs(request)

    def count_flow_runs(self, request: FlowRunFilterRequest) -> int:
        """How many flow runs match the request's filters."""
        return self.store.flow_runs.count_flow_runs(request)

    def set_flow_run_state(self, flow_run_id: str, state: StateCreate, *, force: bool = False) -> OrchestrationResult:
        """Move a run into `state` if the transition table allows it (`force` skips it).

        Raises:
            ObjectNotFound: no such run.
            InvalidStateTransition: the table forbids the change (nothing changed).
        """
        from headwater.core.api_schemas import OrchestrationResult
        from headwater.core.states import StateType

        if state.type is StateType.PAUSED and not force:
            return self.pause_flow_run(flow_run_id, state)  # Prefect's pause rules (operations/flow_run_input.py)
        info = self.store.flow_runs.set_flow_run_state(
            flow_run_id, state.type, name=state.name, message=state.message, details=state.details,
            expected_start=_scheduled_time(state.details), force=force)
        return OrchestrationResult(status="ACCEPT", state=info)

    def update_flow_run(self, flow_run_id: str, body: FlowRunUpdate) -> FlowRunInfo:
        """Replace a run's name, parameters or tags (those given). Raises `ObjectNotFound`."""
        return self.store.flow_runs.update_flow_run(flow_run_id, body)

    def delete_flow_run(self, flow_run_id: str) -> None:
        """Delete a flow run with its task runs, states and logs. Raises `ObjectNotFound`."""
        self.store.flow_runs.delete_flow_run(flow_run_id)

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        """Cancel a run (Cancelled if not started, Cancelling while it runs)."""
        return self.store.flow_runs.cancel_flow_run(flow_run_id)

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        """Schedule a finished run again, due now (AwaitingRetry)."""
        return self.store.flow_runs.retry_flow_run(flow_run_id)

    def read_flow_run_states(self, flow_run_id: str) -> list[StateInfo]:
        """Every state of the run, oldest first. Raises `ObjectNotFound`."""
        self.store.flow_runs.read_flow_run_by_id(flow_run_id)
        return self.store.history.read_states(flow_run_id)
