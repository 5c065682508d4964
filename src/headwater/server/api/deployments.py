"""Deployments: create or update (re-deploy), read, list, change, delete, run, backfill.

- `POST /api/deployments/`: create `flow_name/name`, or update it in place.
- `GET /api/deployments/` (`?project=&work_pool_name=&flow_name=`), `GET /api/deployments/{id}`,
  `GET /api/deployments/name/{flow_name}/{name}`.
- `PATCH /api/deployments/{id}`: pause / resume, description, limit, catch-up, parameters.
- `DELETE /api/deployments/{id}`: the deployment and its runs not started yet.
- `POST /api/deployments/{id}/create_flow_run`: a run with parameters merged over the
  deployment's, checked against its schema first: 422 naming the parameter.
- `POST /api/deployments/{id}/backfill`: the runs the schedules had in a time range.
"""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from fastapi import APIRouter, HTTPException, Response

from headwater.core.deployment_schemas import (
    BackfillRequest,
    BackfillResult,
    DeploymentCreate,
    DeploymentInfo,
    DeploymentRunCreate,
    DeploymentUpdate,
)
from headwater.core.run_updates import ScheduleUpdate
from headwater.core.schemas import FlowRunInfo
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/deployments", tags=["deployments"])


@router.post("/", status_code=201, summary="Create or update a deployment")
def upsert_deployment(body: DeploymentCreate, ops: OpsDep) -> DeploymentInfo:
    """Create the deployment, or update the one with the same flow and name; runs are
    scheduled ahead at once. 404 when its project (unless `create_project`) or work pool
    does not exist."""
    return ops.upsert_deployment(body)


@router.get("/", summary="List deployments")
def list_deployments(ops: OpsDep, project: Optional[str] = None, work_pool_name: Optional[str] = None,
                     flow_name: Optional[str] = None) -> list[DeploymentInfo]:
    """Deployments by flow and name, optionally of one project, pool or flow."""
    return ops.list_deployments(project=project, work_pool_name=work_pool_name, flow_name=flow_name)


@router.get("/name/{flow_name}/{name}", summary="Read a deployment by name")
def read_deployment_by_name(flow_name: str, name: str, ops: OpsDep) -> DeploymentInfo:
    """The deployment `flow_name/name`; 404 if there is none."""
    return ops.read_deployment(f"{flow_name}/{name}")


@router.get("/of_flow_run/{flow_run_id}", summary="The deployment a flow run came from")
def deployment_of_flow_run(flow_run_id: str, ops: OpsDep) -> Optional[DeploymentInfo]:
    """The deployment the flow run was created from, or null; 404 if there is no such run."""
    return ops.deployment_of_flow_run(flow_run_id)


@router.get("/{id}", summary="Read a deployment")
def read_deployment(id: str, ops: OpsDep) -> DeploymentInfo:
    """The deployment with this id; 404 if there is none."""
    return ops.read_deployment(id)


@router.patch("/{id}", summary="Change a deployment")
def update_deployment(id: str, body: DeploymentUpdate, ops: OpsDep) -> DeploymentInfo:
    """Pause or resume it (pausing deletes the runs scheduled ahead), or change fields."""
    return ops.update_deployment(id, body)


@router.patch("/{id}/schedules/{schedule_id}", status_code=204, summary="Change one schedule of a deployment")
def update_deployment_schedule(id: str, schedule_id: UUID, body: ScheduleUpdate, ops: OpsDep) -> Response:
    """Switch the schedule on or off, or change it; the runs it created ahead are
    replaced by runs of what it says now."""
    ops.update_deployment_schedule(id, str(schedule_id), body)
    return Response(status_code=204)


@router.delete("/{id}", status_code=204, summary="Delete a deployment")
def delete_deployment(id: str, ops: OpsDep) -> Response:
    """Delete it with its schedules and its runs not started yet; history stays."""
    ops.delete_deployment(id)
    return Response(status_code=204)


@router.post("/{id}/create_flow_run", status_code=201, summary="Run a deployment")
def create_flow_run(id: str, ops: OpsDep, body: Optional[DeploymentRunCreate] = None) -> FlowRunInfo:
    """Create a SCHEDULED run (due now, or at `scheduled_time`) for a worker to pick up.
    Parameters failing the deployment's schema: 422 naming each bad parameter."""
    return ops.create_deployment_run(id, body or DeploymentRunCreate())


@router.post("/{id}/backfill", status_code=201, summary="Create missed scheduled runs")
def backfill(id: str, body: BackfillRequest, ops: OpsDep) -> BackfillResult:
    """Create the runs the deployment's active schedules had due from `start` to `end`
    (existing ones are kept, not duplicated)."""
    if body.end < body.start:
        raise HTTPException(status_code=422, detail="body.end: the end is before the start")
    return ops.backfill(id, body)

