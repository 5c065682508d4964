"""Task runs, on Prefect's paths: `POST /api/task_runs/` (create), `GET` and `PATCH
/api/task_runs/{id}`, `POST /api/task_runs/filter`, `POST /api/task_runs/count`, and the
state history at `GET /api/task_run_states/`."""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from fastapi import APIRouter, Response

from headwater.core.api_schemas import TaskRunFilterRequest
from headwater.core.run_updates import TaskRunCreate, TaskRunUpdate
from headwater.core.schemas import StateInfo, TaskRunInfo
from headwater.server.api._deps import OpsDep

__all__ = ["router", "states_router"]

router = APIRouter(prefix="/task_runs", tags=["task runs"])
states_router = APIRouter(prefix="/task_run_states", tags=["task runs"])


@router.post("/", status_code=201, summary="Create a task run")
def create_task_run(body: TaskRunCreate, ops: OpsDep) -> TaskRunInfo:
    """Create a task run (PENDING unless `state` says); an `id` that exists returns that run."""
    return ops.create_task_run(body)


@router.post("/filter", summary="List task runs")
def filter_task_runs(ops: OpsDep, body: Optional[TaskRunFilterRequest] = None) -> list[TaskRunInfo]:
    """One page of the task runs matching the filters, each with its upstream task run ids."""
    return ops.filter_task_runs(body or TaskRunFilterRequest())


@router.post("/count", summary="Count task runs")
def count_task_runs(ops: OpsDep, body: Optional[TaskRunFilterRequest] = None) -> int:
    """How many task runs match the filters."""
    return ops.count_task_runs(body or TaskRunFilterRequest())


@router.get("/{id}", summary="Read a task run")
def read_task_run(id: UUID, ops: OpsDep) -> TaskRunInfo:
    """The task run with this id; 404 if there is none."""
    return ops.read_task_run(str(id))


@router.patch("/{id}", status_code=204, summary="Rename a task run")
def update_task_run(id: UUID, body: TaskRunUpdate, ops: OpsDep) -> Response:
    """Change the task run's name."""
    ops.update_task_run(str(id), body)
    return Response(status_code=204)


@states_router.get("/", summary="The states a task run went through")
def read_task_run_states(ops: OpsDep, task_run_id: UUID) -> list[StateInfo]:
    """Every state of the task run, oldest first; 404 if there is no such run."""
    return ops.read_task_run_states(str(task_run_id))
