"""Flow run input and resuming, on Prefect's paths: `POST /api/flow_runs/{id}/resume`,
`POST /api/flow_runs/{id}/input`, `POST /api/flow_runs/{id}/input/filter`,
`GET|DELETE /api/flow_runs/{id}/input/{key}`.

Pausing has no route of its own: a client proposes a Paused state through
`POST /api/flow_runs/{id}/set_state`, which follows the pause rules. A resume that is
refused answers 200 with `status` REJECT or ABORT and the reason (as Prefect does);
invalid input leaves the run paused and lists the field errors in `details.errors`.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Body, Response
from fastapi.responses import PlainTextResponse

from headwater.core.api_schemas import OrchestrationResult
from headwater.core.flow_run_input_schemas import (
    FlowRunInputCreate,
    FlowRunInputFilter,
    FlowRunInputInfo,
    ResumeRequest,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/flow_runs", tags=["flow runs"])


@router.post("/{id}/resume", summary="Resume a paused flow run")
def resume_flow_run(id: UUID, ops: OpsDep,
                    body: ResumeRequest = Body(default_factory=ResumeRequest)) -> OrchestrationResult:
    """Resume the run (RUNNING again, or scheduled again if it was suspended), with the
    input it waits for; REJECT with the field errors when the input is invalid."""
    return ops.resume_flow_run(str(id), body)


@router.post("/{id}/input", status_code=201, summary="Create a flow run input")
def create_flow_run_input(id: UUID, body: FlowRunInputCreate, ops: OpsDep) -> Response:
    """Store a key/value input of the run; 409 if the key is taken, 404 without the run."""
    ops.create_flow_run_input(str(id), body)
    return Response(status_code=201)


@router.post("/{id}/input/filter", summary="Filter flow run inputs")
def filter_flow_run_input(id: UUID, ops: OpsDep, body: FlowRunInputFilter) -> list[FlowRunInputInfo]:
    """The oldest inputs of the run whose key starts with `prefix`."""
    return ops.filter_flow_run_input(str(id), body)


@router.get("/{id}/input/{key}", summary="Read a flow run input", response_class=PlainTextResponse)
def read_flow_run_input(id: UUID, key: str, ops: OpsDep) -> PlainTextResponse:
    """The input's value (JSON text); 404 if there is none."""
    return PlainTextResponse(ops.read_flow_run_input(str(id), key).value)


@router.delete("/{id}/input/{key}", status_code=204, summary="Delete a flow run input")
def delete_flow_run_input(id: UUID, key: str, ops: OpsDep) -> Response:
    """Delete the input; 404 if there is none."""
    ops.delete_flow_run_input(str(id), key)
    return Response(status_code=204)
