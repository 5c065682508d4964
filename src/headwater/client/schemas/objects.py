"""What the client's read methods return, named and shaped as `prefect.client.schemas.objects`.

Ids are `uuid.UUID`: headwater's ids are UUID strings (time-ordered, version 7 layout),
so they convert without loss and compare with the ids Prefect code passes around.
A run's `state` is a `headwater.states.State` (type, name, message, timestamp); it
carries no result data: read results where the run ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal, Optional, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from headwater.core.deployment_schemas import ConcurrencyLimitConfig, ConcurrencyLimitStrategy, ConcurrencyOptions
from headwater.core.states import State, StateType

__all__ = [
    "ConcurrencyLimit", "Deployment", "DeploymentSchedule", "Flow", "FlowRun", "GlobalConcurrencyLimit", "Log",
    "State", "StateType", "TaskRun", "WorkPool", "WorkPoolStorageConfiguration", "Worker",
]


class _Object(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="ignore")


# -- what a run's inputs, states and retries carry (issue 15) ---------------------------
class RunInput(_Object):
    """Where one input of a task run came from; `input_type` tells the kinds apart."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    input_type: str


class TaskRunResult(RunInput):
    """An input that is another task run's result (or a run it waited for)."""

    input_type: Literal["task_run"] = "task_run"
    id: UUID


class FlowRunResult(RunInput):
    """An input that is a flow run's result."""

    input_type: Literal["flow_run"] = "flow_run"
    id: UUID


class Parameter(RunInput):
    """An input that is a parameter of the flow run."""

    input_type: Literal["parameter"] = "parameter"
    name: str


class Constant(RunInput):
    """An input that is a constant value, named by its type."""

    input_type: Literal["constant"] = "constant"
    type: str


TaskRunInput = Union[TaskRunResult, FlowRunResult, Parameter, Constant]


class StateDetails(_Object):
    """The facts that go with a state: its run, when it is due, its cache key, ...

    headwater fills the ones it records (the run ids, `scheduled_time` of a retry or
    a scheduled run, `cache_key` and `cache_expiration` of a cached result, `pause_key`);
    the rest keep Prefect's defaults.
    """

    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None
    child_flow_run_id: Optional[UUID] = None
    scheduled_time: Optional[datetime] = None
    cache_key: Optional[str] = None
    cache_expiration: Optional[datetime] = None
    deferred: Optional[bool] = None
    untrackable_result: bool = False
    pause_timeout: Optional[datetime] = None
    pause_reschedule: bool = False
    pause_key: Optional[str] = None
    run_input_keyset: Optional[dict[str, str]] = None
    refresh_cache: Optional[bool] = None
    retriable: Optional[bool] = None
    transition_id: Optional[UUID] = None
    task_parameters_id: Optional[UUID] = None
    traceparent: Optional[str] = None
    deployment_concurrency_lease_id: Optional[UUID] = None

    def to_run_result(self, run_type: Any) -> Optional[Union[FlowRunResult, TaskRunResult]]:
        """This state's run as a run input (`RunType.FLOW_RUN` or `TASK_RUN`), or None."""
        kind = getattr(run_type, "value", run_type)
        if kind == "flow_run" and self.flow_run_id:
            return FlowRunResult(id=self.flow_run_id)
        if kind == "task_run" and self.task_run_id:
            return TaskRunResult(id=self.task_run_id)
        return None


class RecordedState(State[Any]):
    """A stored state as the client returns it: a `State` with Prefect's `state_details`."""

    __slots__ = ("state_details",)

    def __init__(self, *args: Any, state_details: StateDetails | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state_details = state_details if state_details is not None else StateDetails()


class _RetryPolicy(_Object):
    max_retries: int = Field(default=0, description="Deprecated in Prefect: use `retries`.")
    retry_delay_seconds: float = Field(default=0, description="Deprecated in Prefect: use `retry_delay`.")
    retries: Optional[int] = None

    @model_validator(mode="after")
    def _fill_from_deprecated(self) -> _RetryPolicy:
        # Prefect's older names still set the current ones when those are unset.
        if not self.retries and self.max_retries:
            self.retries = self.max_retries
        if not getattr(self, "retry_delay") and self.retry_delay_seconds:
            setattr(self, "retry_delay", int(self.retry_delay_seconds))  # noqa: B010  # each subclass types it
        return self


class FlowRunPolicy(_RetryPolicy):
    """How a flow run retries. headwater does not record a run's retry options:
    the client's runs carry these defaults (as Prefect's for a run created without them)."""

    retry_delay: Optional[int] = None
    pause_keys: Optional[set[str]] = Field(default_factory=set)
    resuming: Optional[bool] = False
    retry_type: Optional[Literal["in_process", "reschedule"]] = None


class TaskRunPolicy(_RetryPolicy):
    """How a task run retries. headwater does not record a run's retry options:
    the client's runs carry these defaults (as Prefect's for a run created without them)."""

    retry_delay: Union[None, int, float, list[int], list[float]] = None
    retry_jitter_factor: Optional[float] = None


__all__ += ["Constant", "FlowRunPolicy", "FlowRunResult", "Parameter", "RecordedState", "RunInput", "StateDetails",
            "TaskRunInput", "TaskRunPolicy", "TaskRunResult"]


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
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
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
    task_inputs: dict[str, list[TaskRunInput]] = Field(
        default_factory=dict,
        description="The task runs that fed each parameter (`wait_for`: those it waited for).")
    empirical_policy: TaskRunPolicy = Field(default_factory=TaskRunPolicy)
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
    concurrency_options: Optional[ConcurrencyOptions] = None
    entrypoint: Optional[str] = None
    work_pool_name: Optional[str] = None
    work_queue_name: Optional[str] = None
    status: Optional[str] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None
    job_variables: dict[str, Any] = {}
    pull_steps: Optional[list[dict[str, Any]]] = None


class WorkPoolStorageConfiguration(_Object):
    """Where a work pool keeps flow code bundles and results (`WorkPool.storage_configuration`).

    `bundle_upload_step` / `bundle_execution_step`: `{"module.function": {argument: value}}`;
    `default_result_storage_block_id`: a block document to keep results in. headwater stores
    and shows them; it submits no bundles (see `headwater.core.deployment_schemas.WorkPoolStorage`).
    """

    bundle_upload_step: Optional[dict[str, Any]] = None
    bundle_execution_step: Optional[dict[str, Any]] = None
    default_result_storage_block_id: Optional[UUID] = None


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
    base_job_template: dict[str, Any] = {}
    storage_configuration: WorkPoolStorageConfiguration = Field(default_factory=WorkPoolStorageConfiguration)


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


# -- flow run input (issue 17) ----------------------------------------------------------
class FlowRunInput(_Object):
    """One input of a flow run, as Prefect's `FlowRunInput`: `value` is JSON text."""

    id: Optional[UUID] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None
    flow_run_id: UUID
    key: str
    value: str
    sender: Optional[str] = None

    @property
    def decoded_value(self) -> Any:
        """The value, decoded from JSON."""
        import json

        return json.loads(self.value)


__all__ += ["FlowRunInput"]


# -- deployment concurrency and lease holders (issue 15) --------------------------------
class ConcurrencyLeaseHolder(BaseModel):
    """Who holds the slots taken by `concurrency(..., holder=...)`: a flow run, a task run
    or a deployment, by id (shown by `headwater gcl inspect`)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["flow_run", "task_run", "deployment"]
    id: UUID


__all__ += ["ConcurrencyLeaseHolder", "ConcurrencyLimitConfig", "ConcurrencyLimitStrategy", "ConcurrencyOptions"]

