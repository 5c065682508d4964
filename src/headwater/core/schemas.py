"""Read models shared by the store, the CLI, the server and the UI.

These are what a query returns and what `--output json` prints; the field names are
a contract for scripts (see docs/cli.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

__all__ = ["FlowRunInfo", "LogInfo", "StateInfo", "StoredLog", "TaskRunInfo"]


class StateInfo(BaseModel):
    """A state as stored: type, display name, message and when it was entered."""

    model_config = ConfigDict(frozen=True)

    type: str
    name: str
    message: str | None = None
    timestamp: datetime
    details: dict[str, Any] | None = None


class TaskRunInfo(BaseModel):
    """A task run and the upstream task runs that fed it."""

    id: str
    name: str
    task_name: str
    task_key: str
    flow_run_id: str | None
    dynamic_key: int = 0
    state: StateInfo | None
    tags: list[str] = []
    run_count: int = 0
    created: datetime
    start_time: datetime | None = None
    end_time: datetime | None = None
    upstream: list[str] = []

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form
    @property
    def duration_s(self) -> float | None:
        if self.start_time is None or self.end_time is None:
            return None
        return (self.end_time - self.start_time).total_seconds()


class FlowRunInfo(BaseModel):
    """A flow run with its current state."""

    id: str
    name: str
    flow_name: str
    state: StateInfo | None
    flow_id: str | None = None
    deployment_id: str | None = None
    expected_start_time: datetime | None = None
    parameters: dict[str, Any] = {}
    tags: list[str] = []
    parent_task_run_id: str | None = None
    run_count: int = 0
    created: datetime
    start_time: datetime | None = None
    end_time: datetime | None = None
    heartbeat: datetime | None = None
    job_variables: dict[str, Any] = {}

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form
    @property
    def duration_s(self) -> float | None:
        if self.start_time is None or self.end_time is None:
            return None
        return (self.end_time - self.start_time).total_seconds()


class LogInfo(BaseModel):
    """One stored log line."""

    flow_run_id: str | None
    task_run_id: str | None
    level: int
    logger: str
    message: str
    timestamp: datetime


class StoredLog(BaseModel):
    """A log line with its sequence number in the store (the order lines were stored)."""

    seq: int
    log: LogInfo
