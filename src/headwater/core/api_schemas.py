"""Request and response bodies of the REST API (server/api/), shared with its clients.

The shapes follow Prefect's REST API where it has one, so scripts written against it
keep working: filters are objects of operators (`any_`, `not_any_`, `like_`,
`before_`, `after_`, `ge_`, `le_`, `is_null_`, `all_`), a filter request carries
`sort`, `limit` and `offset`. What a query returns are the read models of
`headwater.core.schemas` (`FlowRunInfo`, `TaskRunInfo`, `LogInfo`, `StateInfo`).

Every model forbids unknown fields, so a misspelt filter is a 422 naming the field
instead of a filter silently ignored.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any, Literal, Optional, Union
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from headwater.core.schemas import StateInfo
from headwater.core.states import StateType

__all__ = [
    "FilterText",
    "MAX_PAGE",
    "BatchAccepted",
    "FlowCreate",
    "FlowFilter",
    "FlowFilterRequest",
    "FlowInfo",
    "FlowRunCreate",
    "FlowRunFilter",
    "FlowRunFilterRequest",
    "FlowRunSort",
    "LogCreate",
    "LogFilter",
    "LogFilterRequest",
    "LogSort",
    "LogsAfterRequest",
    "OrchestrationResult",
    "RecordBatch",
    "SetStateRequest",
    "StateCreate",
    "TaskRunDependencies",
    "TaskRunFilter",
    "TaskRunFilterRequest",
    "TaskRunSort",
    "UpstreamDependency",
]

MAX_PAGE = 1000
"""The most rows one filter request returns; page with `offset` for more."""

_TIMESTAMP_MAX = 253402300799.0  # 9999-12-31: beyond it datetimes cannot represent the value

# Text that the databases can store: PostgreSQL refuses NUL characters in text.
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00]*$")]
Text = Annotated[str, StringConstraints(max_length=100_000, pattern=r"^[^\x00]*$")]
FilterText = Annotated[str, StringConstraints(max_length=1_000, pattern=r"^[^\x00]*$")]
"""A value a filter matches against (a name, a key, an id, a tag): never NUL."""
Timestamp = Annotated[float, Field(ge=0, le=_TIMESTAMP_MAX, allow_inf_nan=False)]
Ids = Annotated[list[UUID], Field(max_length=MAX_PAGE)]
Names = Annotated[list[Name], Field(max_length=MAX_PAGE)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- states --------------------------------------------------------------------------


class StateCreate(_Model):
    """A state to move a run into. `name` defaults to the type's usual name."""

    type: StateType
    name: Optional[Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]] = None
    message: Optional[Text] = None
    details: Optional[dict[str, Any]] = Field(
        default=None, description="Small facts that go with the state; `scheduled_time` (ISO 8601) for SCHEDULED."
    )


class SetStateRequest(_Model):
    """Body of `POST /flow_runs/{id}/set_state`. `force` skips the transition rules."""

    state: StateCreate
    force: bool = False


class OrchestrationResult(BaseModel):
    """What `set_state` decided: ACCEPT (the run is now in `state`), REJECT (unchanged, `details.reason`
    says why) or ABORT (the change is not allowed at all, as a pause without a deployment)."""

    status: Literal["ACCEPT", "REJECT", "ABORT"]
    state: Optional[StateInfo]
    details: dict[str, Any] = {}


# -- flows ---------------------------------------------------------------------------


class FlowCreate(_Model):
    """Body of `POST /flows/`: returns the existing flow when the name is taken."""

    name: Name
    tags: Annotated[list[Name], Field(max_length=100)] = []


class FlowInfo(BaseModel):
    """A flow: the name runs are grouped by."""

    id: str
    name: str
    created: datetime


class _AnyIds(_Model):
    any_: Optional[Ids] = None
    not_any_: Optional[Ids] = None


class _AnyNames(_Model):
    any_: Optional[Names] = None
    like_: Optional[Name] = Field(default=None, description="Substring, case-insensitive.")


class FlowFilter(_Model):
    """Which flows: by id or name."""

    id: Optional[_AnyIds] = None
    name: Optional[_AnyNames] = None


class FlowFilterRequest(_Model):
    """Body of `POST /flows/filter`."""

    flows: Optional[FlowFilter] = None
    sort: Literal["NAME_ASC", "NAME_DESC", "CREATED_DESC"] = "NAME_ASC"
    limit: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 200
    offset: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


# -- flow runs -----------------------------------------------------------------------


class FlowRunCreate(_Model):
    """Body of `POST /flow_runs/`. Give `flow_name` (the flow is created if new) or
    `flow_id`; the initial state defaults to PENDING. A client-chosen `id` makes a
    re-sent create harmless."""

    flow_name: Optional[Name] = None
    flow_id: Optional[UUID] = None
    id: Optional[UUID] = None
    name: Optional[Name] = None
    parameters: dict[str, Any] = {}
    tags: Annotated[list[Name], Field(max_length=100)] = []
    parent_task_run_id: Optional[UUID] = None
    state: Optional[StateCreate] = None


class _StateTypes(_Model):
    any_: Optional[Annotated[list[StateType], Field(max_length=20)]] = None
    not_any_: Optional[Annotated[list[StateType], Field(max_length=20)]] = None


class _StateNames(_Model):
    any_: Optional[Names] = None
    not_any_: Optional[Names] = None


class _StateFilter(_Model):
    type: Optional[_StateTypes] = None
    name: Optional[_StateNames] = None


class _TimeRange(_Model):
    before_: Optional[datetime] = None
    after_: Optional[datetime] = None
    is_null_: Optional[bool] = None


class _Tags(_Model):
    all_: Optional[Annotated[list[Name], Field(max_length=50)]] = Field(
        default=None, description="Runs carrying every one of these tags."
    )
    is_null_: Optional[bool] = Field(default=None, description="true: runs without tags; false: with tags.")


class _ParentTaskRun(_Model):
    any_: Optional[Ids] = None
    is_null_: Optional[bool] = None


class FlowRunFilter(_Model):
    """Which flow runs. Every given criterion must hold."""

    id: Optional[_AnyIds] = None
    name: Optional[_AnyNames] = None
    tags: Optional[_Tags] = None
    state: Optional[_StateFilter] = None
    start_time: Optional[_TimeRange] = None
    end_time: Optional[_TimeRange] = None
    expected_start_time: Optional[_TimeRange] = None
    parent_task_run_id: Optional[_ParentTaskRun] = None
    deployment_id: Optional[_ParentTaskRun] = Field(default=None, description="Runs of these deployments (any_), "
                                                    "or with no deployment (is_null_).")


class FlowRunSort(str, enum.Enum):
    """Orders of `POST /flow_runs/filter`. Ids grow with time, so ID_DESC is newest first."""

    ID_DESC = "ID_DESC"
    CREATED_DESC = "CREATED_DESC"
    CREATED_ASC = "CREATED_ASC"
    START_TIME_ASC = "START_TIME_ASC"
    START_TIME_DESC = "START_TIME_DESC"
    EXPECTED_START_TIME_ASC = "EXPECTED_START_TIME_ASC"
    EXPECTED_START_TIME_DESC = "EXPECTED_START_TIME_DESC"
    END_TIME_DESC = "END_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class _Page(_Model):
    limit: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 200
    offset: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class FlowRunFilterRequest(_Page):
    """Body of `POST /flow_runs/filter` and `/flow_runs/count`."""

    flows: Optional[FlowFilter] = None
    flow_runs: Optional[FlowRunFilter] = None
    task_runs: Optional[TaskRunFilter] = None
    sort: FlowRunSort = FlowRunSort.ID_DESC


class UpstreamDependency(BaseModel):
    """An edge of the run graph: the task run `id` fed `parameter` (`kind` data or wait_for)."""

    input_type: Literal["task_run"] = "task_run"
    id: str
    parameter: str
    kind: str


class TaskRunDependencies(BaseModel):
    """One task run of `GET /flow_runs/{id}/graph`, with the task runs it depends on."""

    id: str
    name: str
    task_name: str
    state: Optional[StateInfo]
    start_time: Optional[datetime]
    end_time: Optional[datetime]
    upstream_dependencies: list[UpstreamDependency]


# -- task runs -----------------------------------------------------------------------


class _FlowRunIds(_Model):
    any_: Optional[Ids] = None
    is_null_: Optional[bool] = None


class TaskRunFilter(_Model):
    """Which task runs. Every given criterion must hold."""

    id: Optional[_AnyIds] = None
    name: Optional[_AnyNames] = None
    tags: Optional[_Tags] = None
    state: Optional[_StateFilter] = None
    start_time: Optional[_TimeRange] = None
    flow_run_id: Optional[_FlowRunIds] = None


class TaskRunSort(str, enum.Enum):
    """Orders of `POST /task_runs/filter`."""

    ID_DESC = "ID_DESC"
    CREATED_ASC = "CREATED_ASC"
    CREATED_DESC = "CREATED_DESC"
    START_TIME_ASC = "START_TIME_ASC"
    START_TIME_DESC = "START_TIME_DESC"
    END_TIME_DESC = "END_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class TaskRunFilterRequest(_Page):
    """Body of `POST /task_runs/filter` and `/task_runs/count`."""

    flows: Optional[FlowFilter] = None
    flow_runs: Optional[FlowRunFilter] = None
    task_runs: Optional[TaskRunFilter] = None
    sort: TaskRunSort = TaskRunSort.ID_DESC


# -- logs ----------------------------------------------------------------------------

Level = Annotated[int, Field(ge=0, le=100)]


class LogCreate(_Model):
    """One log line for `POST /logs/` (Prefect's shape: the logger's name is `name`)."""

    name: Name
    level: Level
    message: Text
    timestamp: datetime
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None


class _Levels(_Model):
    ge_: Optional[Level] = None
    le_: Optional[Level] = None


class _TaskRunIds(_Model):
    any_: Optional[Ids] = None
    is_null_: Optional[bool] = None


class LogFilter(_Model):
    """Which log lines. Every given criterion must hold."""

    level: Optional[_Levels] = None
    timestamp: Optional[_TimeRange] = None
    flow_run_id: Optional[_AnyIds] = None
    task_run_id: Optional[_TaskRunIds] = None


class LogsAfterRequest(_Model):
    """Body of `POST /logs/after` (headwater's): one flow run's log lines in the order
    they were stored, after the line with sequence number `after` (-1: from the first)."""

    flow_run_id: UUID
    after: Annotated[int, Field(ge=-1, le=2**63 - 1)] = -1
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 200
    newest: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 0  # >0: the newest lines instead (a follower starts there)


class LogSort(str, enum.Enum):
    """Orders of `POST /logs/filter`."""

    TIMESTAMP_ASC = "TIMESTAMP_ASC"
    TIMESTAMP_DESC = "TIMESTAMP_DESC"


class LogFilterRequest(_Page):
    """Body of `POST /logs/filter`."""

    logs: Optional[LogFilter] = None
    sort: LogSort = LogSort.TIMESTAMP_ASC


# -- the engine's record batches -----------------------------------------------------

RunId = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=r"^[^\x00]*$")]
_Json = dict[str, Any]

# Each record travels as a JSON array: a tag, then the fields of the named tuple of
# `headwater.orchestrator.records` in order (cheap to encode on the engine's side).
FlowRunCreatedItem = tuple[Literal["flow_run"], RunId, Name, Name, _Json, list[Name], Optional[RunId], Timestamp]
TaskRunCreatedItem = tuple[
    Literal["task_run"], RunId, Optional[RunId], Name, Name, Name, Annotated[int, Field(ge=0, le=2**31 - 1)],
    list[Name], Timestamp,
]
StateTypeName = Literal[
    "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED", "PAUSED"
]
StateChangedItem = tuple[
    Literal["state"], RunId, bool, StateTypeName, Annotated[str, StringConstraints(min_length=1, max_length=64)],
    Optional[str], Timestamp, Optional[_Json],
]
LogEmittedItem = tuple[Literal["log"], Optional[RunId], Optional[RunId], Level, Name, str, Timestamp]
TaskInputsItem = tuple[Literal["inputs"], RunId, list[tuple[Name, RunId, Literal["data", "wait_for"]]]]
HeartbeatItem = tuple[Literal["heartbeat"], RunId, Timestamp]
RunProcessItem = tuple[
    Literal["process"], RunId, Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=r"^[^\x00]*$")],
]
EventLabel = Annotated[str, StringConstraints(max_length=10_000)]


def _names_its_resource(labels: dict[str, str]) -> dict[str, str]:
    if not labels.get("prefect.resource.id"):
        raise ValueError("an event's resource needs a non-empty 'prefect.resource.id' label")
    return labels


EventResourceLabels = Annotated[dict[EventLabel, EventLabel], AfterValidator(_names_its_resource)]
EventEmittedItem = tuple[
    Literal["event"], RunId, Timestamp, Annotated[str, StringConstraints(min_length=1, max_length=1024)],
    EventResourceLabels, list[dict[EventLabel, EventLabel]], _Json, Optional[RunId],
]
ArtifactKeyText = Annotated[str, StringConstraints(max_length=255, pattern=r"^[a-z0-9-]*$")]
ArtifactCreatedItem = tuple[
    Literal["artifact"], RunId, Optional[ArtifactKeyText],
    Optional[Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00]*$")]], Optional[str], Any,
    Optional[RunId], Optional[RunId], Timestamp,
]
ArtifactUpdatedItem = tuple[Literal["artifact_update"], RunId, Any, Optional[str], Timestamp]
AssetKeyText = Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=r"^[^\x00\s]*$")]
AssetMaterializedItem = tuple[
    Literal["asset"], RunId, AssetKeyText, Optional[_Json], Optional[_Json],
    Annotated[list[tuple[AssetKeyText, Optional[_Json]]], Field(max_length=10_000)], Optional[Name],
    Literal["succeeded", "failed"], Optional[RunId], Optional[RunId], Timestamp,
]
RecordItem = Annotated[
    # Most frequent first: the union is tried left to right.
    Union[StateChangedItem, TaskRunCreatedItem, LogEmittedItem, TaskInputsItem, HeartbeatItem, FlowRunCreatedItem,
          ArtifactCreatedItem, ArtifactUpdatedItem, EventEmittedItem, AssetMaterializedItem, RunProcessItem],
    Field(union_mode="left_to_right"),
]


class RecordBatch(_Model):
    """Body of `POST /records/batch`: what the engine's writer sends.

    `batch_id` is chosen by the sender and kept when it re-sends the batch after a
    failure; the server writes each batch id once, so a re-send never duplicates.
    """

    batch_id: Annotated[str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    records: Annotated[list[RecordItem], Field(max_length=100_000)]


class BatchAccepted(BaseModel):
    """Reply to a record batch: how many records it held, and whether it was a re-send."""

    batch_id: str
    records: int
    duplicate: bool


FlowRunFilterRequest.model_rebuild()
