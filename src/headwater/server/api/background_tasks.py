"""Background task runs: queued by `task.delay()`, claimed and finished by task workers.

- `POST /api/background_task_runs/`: queue a run (SCHEDULED); the same id again does nothing.
- `POST /api/background_task_runs/claim`: claim runs of some tasks under a lease,
  waiting up to `wait_seconds` for one to arrive.
- `POST /api/background_task_runs/finish`: how claimed runs ended.
- `POST /api/background_task_runs/status`: where runs stand, waiting up to
  `wait_seconds` for one to end.
- `POST /api/background_task_runs/workers/heartbeat`: a task worker is alive; renews
  the leases of the runs it names.
- `GET /api/background_task_runs/workers`: the task workers.
"""

from __future__ import annotations

from fastapi import APIRouter

from headwater.core.background_schemas import (
    BackgroundClaimRequest,
    BackgroundFinish,
    BackgroundRunCreate,
    BackgroundRunStatus,
    BackgroundStatusRequest,
    ClaimedBackgroundRun,
    TaskWorkerHeartbeat,
    TaskWorkerInfo,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/background_task_runs", tags=["background task runs"])

# Runs queued or finished through this server wake its waiting requests at once; this
# only bounds how late a run written by another server on the same database is seen.
_SERVER_POLL_SECONDS = 0.25


@router.post("/", status_code=201, summary="Queue a background task run")
def create(body: BackgroundRunCreate, ops: OpsDep) -> None:
    """Queue a task run for a task worker; its arguments are in `storage` already."""
    ops.create_background_task_run(body)


@router.post("/claim", summary="Claim background task runs")
def claim(body: BackgroundClaimRequest, ops: OpsDep) -> list[ClaimedBackgroundRun]:
    """Claim up to `limit` runs of `task_keys` for `worker`; each run is claimed by one
    worker at a time, on SQLite and PostgreSQL alike."""
    return ops.claim_background_task_runs(body, poll_seconds=_SERVER_POLL_SECONDS)


@router.post("/finish", summary="Report finished background task runs")
def finish(body: BackgroundFinish, ops: OpsDep) -> int:
    """Record the final states; returns how many runs were still the worker's."""
    return ops.finish_background_task_runs(body)


@router.post("/status", summary="Where background task runs stand")
def status(body: BackgroundStatusRequest, ops: OpsDep) -> list[BackgroundRunStatus]:
    """The runs' status (SCHEDULED, CLAIMED, DONE with the final state)."""
    return ops.read_background_task_runs(body, poll_seconds=_SERVER_POLL_SECONDS)


@router.post("/workers/heartbeat", summary="A task worker is alive")
def heartbeat(body: TaskWorkerHeartbeat, ops: OpsDep) -> None:
    """Record the task worker and renew the leases of its running runs."""
    ops.task_worker_heartbeat(body)


@router.get("/workers", summary="List task workers")
def list_task_workers(ops: OpsDep) -> list[TaskWorkerInfo]:
    """Task workers by name, ONLINE or OFFLINE."""
    return ops.list_task_workers()
