"""Flow runs, on Prefect's paths: create, read, filter, count, set_state, delete, graph;
plus `cancel`, `retry` and `lookup` (id prefix or name, for the CLI), and the state
history at `GET /api/flow_run_states/?flow_run_id=...`.

Every state change goes through the transition table of `headwater.core.states`; a
change it forbids is 409 and leaves the run as it was (`force: true` overrides).
"""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from fastapi import APIRouter, Query, Response

from headwater.core.api_schemas import (
    FlowRunCreate,
    FlowRunFilterRequest,
    OrchestrationResult,
    SetStateRequest,
    TaskRunDependencies,
)
from headwater.core.run_updates import FlowRunUpdate
from headwater.core.schemas import FlowRunInfo, StateInfo
from headwater.server.api._deps import OpsDep, scheduled_time

__all__ = ["router", "states_router"]

router = APIRouter(prefix="/flow_runs", tags=["flow runs"])
states_router = APIRouter(prefix="/flow_run_states", tags=["flow runs"])


@router.post("/", status_code=201, summary="Create a flow run")
def create_flow_run(body: FlowRunCreate, ops: OpsDep) -> FlowRunInfo:
    """Create a flow run of the flow named `flow_name` (created if new) or `flow_id`."""
    if body.state is not None:
        scheduled_time(body.state.details, "body.state")  # a bad time is 422 naming the field
    return ops.create_flow_run(body)


@router.post("/filter", summary="List flow runs")
def filter_flow_runs(ops: OpsDep, body: Optional[FlowRunFilterRequest] = None) -> list[FlowRunInfo]:
    """One page (`limit`, `offset`) of the flow runs matching the filters, in `sort` order."""
    return ops.filter_flow_runs(body or FlowRunFilterRequest())


@router.post("/count", summary="Count flow runs")
def count_flow_runs(ops: OpsDep, body: Optional[FlowRunFilterRequest] = None) -> int:
    """How many flow runs match the filters."""
    return ops.count_flow_runs(body or FlowRunFilterRequest())


@router.get("/lookup", summary="Find a flow run by id, id prefix or name")
def lookup_flow_run(ops: OpsDep, ref: str = Query(min_length=1, max_length=255)) -> FlowRunInfo:
    """The flow run with this id, the one whose id starts with `ref` (4+ characters),
    or the newest one with this name; 404 when none or several match."""
    return ops.lookup_flow_run(ref)


@router.get("/{id}", summary="Read a flow run")
def read_flow_run(id: UUID, ops: OpsDep) -> FlowRunInfo:
    """The flow run with this id; 404 if there is none."""
    return ops.read_flow_run(str(id))


@router.patch("/{id}", status_code=204, summary="Change a flow run's name, parameters or tags")
def update_flow_run(id: UUID, body: FlowRunUpdate, ops: OpsDep) -> Response:
    """Replace the fields given (parameters and tags are replaced, not merged)."""
    ops.update_flow_run(str(id), body)
    return Response(status_code=204)


@router.delete("/{id}", status_code=204, summary="Delete a flow run")
def delete_flow_run(id: UUID, ops: OpsDep) -> Response:
    """Delete a flow run with its task runs, states and logs."""
    ops.delete_flow_run(str(id))
    return Response(status_code=204)


@router.post("/{id}/set_state", status_code=201, summary="Move a flow run into a state")
def set_flow_run_state(id: UUID, body: SetStateRequest, ops: OpsDep) -> OrchestrationResult:
    """Set the run's state if the transition table allows it (409 otherwise)."""
    scheduled_time(body.state.details, "body.state")
    return ops.set_flow_run_state(str(id), body.state, force=body.force)


@router.post("/{id}/cancel", status_code=201, summary="Cancel a flow run")
def cancel_flow_run(id: UUID, ops: OpsDep) -> OrchestrationResult:
    """Cancel a run: one that has not started is Cancelled at once; a running one is
    Cancelling until its process stops it. A finished run cannot be cancelled (409)."""
    return OrchestrationResult(status="ACCEPT", state=ops.cancel_flow_run(str(id)))


@router.post("/{id}/retry", status_code=201, summary="Retry a finished flow run")
def retry_flow_run(id: UUID, ops: OpsDep) -> OrchestrationResult:
    """Schedule a finished run again (AwaitingRetry, due now); 409 if it has not finished."""
    return OrchestrationResult(status="ACCEPT", state=ops.retry_flow_run(str(id)))


@router.get("/{id}/graph", summary="The task runs of a flow run and their inputs")
def flow_run_graph(id: UUID, ops: OpsDep) -> list[TaskRunDependencies]:
    """Each task run of the flow run with the upstream task runs that fed it."""
    return ops.flow_run_graph(str(id))


@states_router.get("/", summary="The states a flow run went through")
def read_flow_run_states(ops: OpsDep, flow_run_id: UUID) -> list[StateInfo]:
    """Every state of the flow run, oldest first; 404 if there is no such run."""
    return ops.read_flow_run_states(str(flow_run_id))
