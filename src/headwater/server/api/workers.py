"""Workers: heartbeats, claiming due runs, and their status.

- `POST /api/workers/heartbeat`: a worker (or a `flow.serve()` process) is alive; the
  reply lists which of its running flow runs were cancelled.
- `POST /api/workers/claim`: atomically claim due runs of a pool or of deployments.
- `GET /api/workers/`: every worker with its status (ONLINE / OFFLINE) and runs.
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter

from headwater.core.deployment_schemas import ClaimedRun, ClaimRequest, WorkerHeartbeat, WorkerHeartbeatReply, WorkerInfo
from headwater.server.api._deps import StoreDep

__all__ = ["router"]

router = APIRouter(prefix="/workers", tags=["workers"])


@router.post("/heartbeat", summary="A worker is alive")
def heartbeat(body: WorkerHeartbeat, store: StoreDep) -> WorkerHeartbeatReply:
    """Record the worker; 404 if its pool does not exist (the `default` pool is created)."""
    return store.worker_heartbeat(body)


@router.post("/claim", summary="Claim due flow runs")
def claim(body: ClaimRequest, store: StoreDep) -> list[ClaimedRun]:
    """Move up to `limit` due runs to PENDING for this worker and return them; a run is
    claimed by one worker only, on SQLite and PostgreSQL alike."""
    return store.claim_runs(body)


@router.get("/", summary="List workers")
def list_workers(store: StoreDep, work_pool_name: Optional[str] = None) -> list[WorkerInfo]:
    """Workers by pool and name, with status and running flow runs."""
    return store.list_workers(work_pool_name=work_pool_name)
