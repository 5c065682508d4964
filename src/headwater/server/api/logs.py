"""Logs, on Prefect's paths: `POST /api/logs/` writes lines, `POST /api/logs/filter` reads."""

from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Body

from headwater.core.api_schemas import LogCreate, LogFilterRequest, LogsAfterRequest
from headwater.core.schemas import LogInfo, StoredLog
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/logs", tags=["logs"])

MAX_LINES = 10_000


@router.post("/", status_code=201, summary="Write log lines")
def create_logs(ops: OpsDep, body: Annotated[list[LogCreate], Body(max_length=MAX_LINES)]) -> int:
    """Store a batch of log lines (at most 10,000 per request); returns how many."""
    return ops.write_logs(body)


@router.post("/filter", summary="Read log lines")
def filter_logs(ops: OpsDep, body: Optional[LogFilterRequest] = None) -> list[LogInfo]:
    """One page of the log lines matching the filter, oldest first unless sorted otherwise."""
    return ops.filter_logs(body or LogFilterRequest())


@router.post("/after", summary="Read log lines in stored order")
def logs_after(ops: OpsDep, body: LogsAfterRequest) -> list[StoredLog]:
    """One flow run's log lines in the order they were stored, after the sequence number
    `after` (headwater's: how the flow run subscriber sees a line stored late)."""
    return ops.logs_after(body)
