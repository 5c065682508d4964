"""Request bodies that change runs and schedules, or create a task run from a client.

Shared by the store, the operations, the REST API (`PATCH /flow_runs/{id}`,
`POST /task_runs/`, `PATCH /task_runs/{id}`,
`PATCH /deployments/{id}/schedules/{schedule_id}`) and the client's transports.
Unknown fields are refused (a 422 naming them); only the fields given change.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from headwater.core.api_schemas import Name, StateCreate
from headwater.core.deployment_schemas import ScheduleSpec

__all__ = ["FlowRunUpdate", "ScheduleUpdate", "TaskRunCreate", "TaskRunUpdate"]

Tags = Annotated[list[Name], Field(max_length=100)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FlowRunUpdate(_Model):
    """Body of `PATCH /flow_runs/{id}`: the run's name, parameters or tags (replaced, not merged)."""

    name: Optional[Name] = None
    parameters: Optional[dict[str, Any]] = None
    tags: Optional[Tags] = None


class TaskRunCreate(_Model):
    """Body of `POST /task_runs/`: a task run of `flow_run_id` (or of no flow run), in
    `state` (default PENDING). A client-chosen `id` makes a re-sent create harmless."""

    id: Optional[UUID] = None
    flow_run_id: Optional[UUID] = None
    name: Name
    task_name: Name
    task_key: Name
    dynamic_key: Annotated[int, Field(ge=0, le=2**62)] = 0
    tags: Tags = []
    state: Optional[StateCreate] = None
    upstream: Annotated[list[tuple[Name, UUID]], Field(max_length=1000)] = Field(
        default=[], description="(parameter, upstream task run id): the task runs whose results it received.")


class TaskRunUpdate(_Model):
    """Body of `PATCH /task_runs/{id}`: the task run's name."""

    name: Optional[Name] = None


class ScheduleUpdate(_Model):
    """Body of `PATCH /deployments/{id}/schedules/{schedule_id}`: switch the schedule on or
    off, or replace what it says (`schedule`: cron, interval or rrule, with its time zone)."""

    active: Optional[bool] = None
    schedule: Optional[ScheduleSpec] = None
