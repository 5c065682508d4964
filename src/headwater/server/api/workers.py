"""Workers: heartbeats, claiming due runs, and their status.

- `POST /api/workers/heartbeat`: a worker (or a `flow.serve()` process) is alive; the
  reply lists which of its running flow runs were cancelled.
- `POST /api/workers/claim`: atomically claim due runs of a pool or of deployments.
- `POST /api/workers/crashed`: the process of a claimed run died; the run ends Crashed
  and, while its deployment's retries last, is scheduled again.
- `GET /api/workers/`: every worker with its status (ONLINE / OFFLINE) and runs.
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter

from headwater.core.deployment_schemas import (
    ClaimedRun,
    ClaimRequest,
    CrashReport,
    WorkerHeartbeat,
    WorkerHeartbeatReply,
    WorkerInfo,
)
from headwater.core.schemas import StateInfo
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/workers", tags=["workers"])


@router.post("/heartbeat", summary="A worker is alive")
def heartbeat(body: WorkerHeartbeat, ops: OpsDep) -> WorkerHeartbeatReply:
    """Record the worker; 404 if its pool does not exist (the `default` pool is created)."""
    return ops.worker_heartbeat(body)


@router.post("/claim", summary="Claim due flow runs")
def claim(body: ClaimRequest, ops: OpsDep) -> list[ClaimedRun]:
    """Move up to `limit` due runs to PENDING for this worker and return them; a run is
    claimed by one worker only, on SQLite and PostgreSQL alike."""
    return ops.claim_runs(body)


@router.post("/crashed", summary="Report a flow run whose process died")
def crashed(body: CrashReport, ops: OpsDep) -> StateInfo:
    """Mark the run Crashed (unless its engine recorded another end) and, while its
    deployment's retries last, schedule it again (AwaitingRetry); return its state.
    A report about an older claim changes nothing. 404 if there is no such run."""
    return ops.crash_flow_run(body)


@router.get("/", summary="List workers")
def list_workers(ops: OpsDep, work_pool_name: Optional[str] = None) -> list[WorkerInfo]:
    """Workers by pool and name, with status and running flow runs."""
    return ops.list_workers(work_pool_name=work_pool_name)
