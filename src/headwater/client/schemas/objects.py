"""What the client's read methods return, named and shaped as `prefect.client.schemas.objects`.

Ids are `uuid.UUID`: headwater's ids are UUID strings (time-ordered, version 7 layout),
so they convert without loss and compare with the ids Prefect code passes around.
A run's `state` is a `headwater.states.State` (type, name, message, timestamp); it
carries no result data: read results where the run ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from headwater.core.states import State, StateType

__all__ = [
    "ConcurrencyLimit", "Deployment", "DeploymentSchedule", "Flow", "FlowRun", "GlobalConcurrencyLimit", "Log",
    "State", "StateType", "TaskRun", "WorkPool", "Worker",
]


class _Object(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="ignore")


class Flow(_Object):
    """A flow: the name its runs are grouped by."""

    id: UUID
    name: str
    tags: list[str] = []
    labels: dict[str, Any] = {}
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class FlowRun(_Object):
    """A flow run with its current state."""

    id: UUID
    name: str
    flow_id: Optional[UUID] = None
    flow_name: Optional[str] = Field(default=None, description="headwater: the flow's name (not in Prefect).")
    deployment_id: Optional[UUID] = None
    parameters: dict[str, Any] = {}
    tags: list[str] = []
    labels: dict[str, Any] = {}
    parent_task_run_id: Optional[UUID] = None
    state: Optional[State[Any]] = None
    state_type: Optional[StateType] = None
    state_name: Optional[str] = None
    run_count: int = 0
    expected_start_time: Optional[datetime] = None
    next_scheduled_start_time: Optional[datetime] = None
    start_time: Optional[datetime] = None
    end_time: Optional[datetime] = None
    total_run_time: timedelta = timedelta(0)
    estimated_run_time: timedelta = timedelta(0)
    auto_scheduled: bool = False
    work_pool_name: Optional[str] = None
    work_queue_name: Optional[str] = None
    idempotency_key: Optional[str] = None
    flow_version: Optional[str] = None
    context: dict[str, Any] = {}
    job_variables: dict[str, Any] = {}
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class TaskRun(_Object):
    """A task run with its current state."""

    id: UUID
    name: str
    flow_run_id: Optional[UUID] = None
    task_key: str
    dynamic_key: str = "0"
    task_name: Optional[str] = Field(default=None, description="headwater: the task's name (not in Prefect).")
    tags: list[str] = []
    labels: dict[str, Any] = {}
    state: Optional[State[Any]] = None
    state_type: Optional[StateType] = None
    state_name: Optional[str] = None
    run_count: int = 0
    start_time: Optional[datetime] = None
    end_time: Optional[datetime] = None
    total_run_time: timedelta = timedelta(0)
    expected_start_time: Optional[datetime] = None
    task_inputs: dict[str, list[Any]] = {}
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class Log(_Object):
    """One log line."""

    name: str
    level: int
    message: str
    timestamp: datetime
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None


class DeploymentSchedule(_Object):
    """One schedule of a deployment."""

    id: UUID
    deployment_id: Optional[UUID] = None
    schedule: dict[str, Any]
    active: bool = True


class Deployment(_Object):
    """A deployment: a flow made runnable by name, on schedules or on demand."""

    id: UUID
    name: str
    flow_id: Optional[UUID] = None
    flow_name: Optional[str] = Field(default=None, description="headwater: the flow's name (not in Prefect).")
    version: Optional[str] = None
    description: Optional[str] = None
    paused: bool = False
    parameters: dict[str, Any] = {}
    parameter_openapi_schema: Optional[dict[str, Any]] = None
    tags: list[str] = []
    labels: dict[str, Any] = {}
    schedules: list[DeploymentSchedule] = []
    concurrency_limit: Optional[int] = None
    entrypoint: Optional[str] = None
    work_pool_name: Optional[str] = None
    work_queue_name: Optional[str] = None
    status: Optional[str] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class WorkPool(_Object):
    """A work pool: where workers take the runs of its deployments."""

    id: UUID
    name: str
    type: str
    description: Optional[str] = None
    is_paused: bool = False
    concurrency_limit: Optional[int] = None
    status: Optional[str] = None
    created: Optional[datetime] = None


class Worker(_Object):
    """A worker polling a work pool."""

    id: Optional[UUID] = None
    name: str
    work_pool_id: Optional[UUID] = None
    work_pool_name: Optional[str] = Field(default=None, description="headwater: the pool's name (not in Prefect).")
    last_heartbeat_time: Optional[datetime] = None
    status: str = "OFFLINE"


class GlobalConcurrencyLimit(_Object):
    """A global concurrency (or rate) limit."""

    id: UUID
    name: str
    limit: int
    active: bool = True
    active_slots: int = 0
    slot_decay_per_second: float = 0.0
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class ConcurrencyLimit(_Object):
    """A tag concurrency limit: task runs with the tag run while it has a free slot."""

    id: UUID
    tag: str
    concurrency_limit: int
    active_slots: list[UUID] = []
    created: Optional[datetime] = None


# -- variables (issue 16) -------------------------------------------------------------
class Variable(_Object):
    """A variable: a named JSON value with tags."""

    id: UUID
    name: str
    value: Any = None
    tags: list[str] = []
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


__all__ += ["Variable"]


# -- artifacts (issue 16) -------------------------------------------------------------
class Artifact(_Object):
    """An artifact: one version of its key (if it has one), shaped as Prefect's."""

    id: UUID
    key: Optional[str] = None
    type: Optional[str] = None
    description: Optional[str] = None
    data: Any = None
    metadata_: Optional[dict[str, str]] = None
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class ArtifactCollection(_Object):
    """The latest version of one key: `id` is the collection's, `latest_id` the artifact's."""

    id: UUID
    key: str
    latest_id: UUID
    type: Optional[str] = None
    description: Optional[str] = None
    data: Any = None
    metadata_: Optional[dict[str, str]] = None
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None


__all__ += ["Artifact", "ArtifactCollection"]


# -- status enums, constants and block models at Prefect's names ------------------------
import enum  # noqa: E402

from headwater.core.block_schemas import BlockDocument, BlockSchema, BlockType  # noqa: E402


class RunType(str, enum.Enum):
    """Whether a run is a flow run or a task run."""

    FLOW_RUN = "flow_run"
    TASK_RUN = "task_run"


class DeploymentStatus(str, enum.Enum):
    """`Deployment.status`: READY while a worker (or `serve`) can take its runs."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    DISABLED = "DISABLED"


class WorkPoolStatus(str, enum.Enum):
    """`WorkPool.status`: READY with a live worker, NOT_READY without, PAUSED when paused."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    PAUSED = "PAUSED"


class WorkerStatus(str, enum.Enum):
    """`Worker.status`: ONLINE while its heartbeats arrive."""

    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


TERMINAL_STATES = {StateType.COMPLETED, StateType.CANCELLED, StateType.FAILED, StateType.CRASHED}
"""The state types a run does not leave by itself."""

DEFAULT_BLOCK_SCHEMA_VERSION = "non-versioned"
"""The version of a block schema registered without one."""

__all__ += [
    "DEFAULT_BLOCK_SCHEMA_VERSION", "TERMINAL_STATES", "BlockDocument", "BlockSchema", "BlockType",
    "DeploymentStatus", "RunType", "WorkPoolStatus", "WorkerStatus",
]
