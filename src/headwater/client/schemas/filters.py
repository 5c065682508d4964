"""Filters for the client's read methods, named and shaped as `prefect.client.schemas.filters`.

Each filter is a pydantic model of criteria; a criterion is an object of operators
(`any_`, `not_any_`, `like_`, `all_`, `is_null_`, `before_`, `after_`, `ge_`, `le_`).
Every criterion given must hold. The client translates them into the request of the
operation; a criterion headwater cannot evaluate yet is refused with an error naming
it (never silently ignored).

Example:
    >>> FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED])))
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from headwater.core.states import StateType

__all__ = [
    "DeploymentFilter", "DeploymentFilterId", "DeploymentFilterName", "DeploymentFilterPaused",
    "DeploymentFilterTags", "FlowFilter", "FlowFilterId", "FlowFilterName", "FlowFilterTags",
    "FlowRunFilter", "FlowRunFilterDeploymentId", "FlowRunFilterEndTime", "FlowRunFilterExpectedStartTime",
    "FlowRunFilterId", "FlowRunFilterName", "FlowRunFilterParentTaskRunId", "FlowRunFilterStartTime",
    "FlowRunFilterState", "FlowRunFilterStateName", "FlowRunFilterStateType", "FlowRunFilterTags",
    "LogFilter", "LogFilterFlowRunId", "LogFilterLevel", "LogFilterTaskRunId", "LogFilterTimestamp",
    "Operator", "StateType", "TaskRunFilter", "TaskRunFilterFlowRunId", "TaskRunFilterId", "TaskRunFilterName",
    "TaskRunFilterStartTime", "TaskRunFilterState", "TaskRunFilterStateName", "TaskRunFilterStateType",
    "TaskRunFilterTags", "WorkPoolFilter", "WorkPoolFilterId", "WorkPoolFilterName", "WorkPoolFilterType",
]


class Operator(str, enum.Enum):
    """How the criteria of one filter combine. headwater supports `and_` (the default)."""

    and_ = "and_"
    or_ = "or_"


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Combined(_Filter):
    operator: Operator = Operator.and_


# -- flows ---------------------------------------------------------------------------
class FlowFilterId(_Filter):
    """Flows whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class FlowFilterName(_Filter):
    """Flows by exact name (`any_`) or case-insensitive substring (`like_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowFilterTags(_Filter):
    """Flows by tags (headwater's flows carry no tags: only `is_null_=True` matches)."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowFilter(_Combined):
    """Which flows."""

    id: Optional[FlowFilterId] = None
    name: Optional[FlowFilterName] = None
    tags: Optional[FlowFilterTags] = None


# -- flow runs -----------------------------------------------------------------------
class FlowRunFilterId(_Filter):
    """Flow runs whose id is (`any_`) or is not (`not_any_`) listed."""

    any_: Optional[list[UUID]] = None
    not_any_: Optional[list[UUID]] = None


class FlowRunFilterName(_Filter):
    """Flow runs by exact name or substring."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowRunFilterTags(_Filter):
    """Flow runs with all of these tags, or with (no) tags at all."""

    all_: Optional[list[str]] = None
    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterDeploymentId(_Filter):
    """Flow runs of these deployments, or with (no) deployment."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterStateType(_Filter):
    """Flow runs whose state type is (not) listed."""

    any_: Optional[list[StateType]] = None
    not_any_: Optional[list[StateType]] = None


class FlowRunFilterStateName(_Filter):
    """Flow runs whose state name is (not) listed."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterState(_Combined):
    """Flow runs by state type and/or name."""

    type: Optional[FlowRunFilterStateType] = None
    name: Optional[FlowRunFilterStateName] = None


class _TimeRange(_Filter):
    before_: Optional[datetime] = None
    after_: Optional[datetime] = None
    is_null_: Optional[bool] = None


class FlowRunFilterStartTime(_TimeRange):
    """Flow runs that started in a time range (or never)."""


class FlowRunFilterEndTime(_TimeRange):
    """Flow runs that ended in a time range (or not yet)."""


class FlowRunFilterExpectedStartTime(_TimeRange):
    """Flow runs due in a time range."""


class FlowRunFilterParentTaskRunId(_Filter):
    """Subflow runs of these task runs, or (not) subflows at all."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterParentFlowRunId(_Combined):
    """Subflow runs of these flow runs (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[UUID]] = None


class FlowRunFilterFlowVersion(_Filter):
    """Flow runs of these flow versions (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None


class FlowRunFilterIdempotencyKey(_Filter):
    """Flow runs by idempotency key (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterNextScheduledStartTime(_TimeRange):
    """Flow runs by next scheduled start (not evaluated by headwater yet: refused, named)."""


class FlowRunFilterWorkQueueName(_Combined):
    """Flow runs by work queue name (headwater has no work queues: refused, named)."""

    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterCreatedBy(_Combined):
    """Flow runs by creator (Prefect Cloud's users; refused by headwater, named)."""

    id_: Optional[list[UUID]] = None
    type_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilter(_Combined):
    """Which flow runs."""

    id: Optional[FlowRunFilterId] = None
    name: Optional[FlowRunFilterName] = None
    tags: Optional[FlowRunFilterTags] = None
    deployment_id: Optional[FlowRunFilterDeploymentId] = None
    state: Optional[FlowRunFilterState] = None
    start_time: Optional[FlowRunFilterStartTime] = None
    end_time: Optional[FlowRunFilterEndTime] = None
    expected_start_time: Optional[FlowRunFilterExpectedStartTime] = None
    parent_task_run_id: Optional[FlowRunFilterParentTaskRunId] = None
    parent_flow_run_id: Optional[FlowRunFilterParentFlowRunId] = None
    flow_version: Optional[FlowRunFilterFlowVersion] = None
    idempotency_key: Optional[FlowRunFilterIdempotencyKey] = None
    next_scheduled_start_time: Optional[FlowRunFilterNextScheduledStartTime] = None
    work_queue_name: Optional[FlowRunFilterWorkQueueName] = None
    created_by: Optional[FlowRunFilterCreatedBy] = None


# -- task runs -----------------------------------------------------------------------
class TaskRunFilterId(_Filter):
    """Task runs whose id is (not) listed."""

    any_: Optional[list[UUID]] = None
    not_any_: Optional[list[UUID]] = None


class TaskRunFilterName(_Filter):
    """Task runs by exact name or substring."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class TaskRunFilterTags(_Filter):
    """Task runs with all of these tags, or with (no) tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class TaskRunFilterStateType(_Filter):
    """Task runs whose state type is (not) listed."""

    any_: Optional[list[StateType]] = None
    not_any_: Optional[list[StateType]] = None


class TaskRunFilterStateName(_Filter):
    """Task runs whose state name is (not) listed."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class TaskRunFilterState(_Combined):
    """Task runs by state type and/or name."""

    type: Optional[TaskRunFilterStateType] = None
    name: Optional[TaskRunFilterStateName] = None


class TaskRunFilterStartTime(_TimeRange):
    """Task runs that started in a time range (or never)."""


class TaskRunFilterFlowRunId(_Filter):
    """Task runs of these flow runs, or outside any flow run."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class TaskRunFilterEndTime(_TimeRange):
    """Task runs by end time (not evaluated by headwater yet: refused, named)."""

    is_null_: Optional[bool] = None


class TaskRunFilterSubFlowRuns(_Filter):
    """Task runs standing for a subflow run (`exists_`; not evaluated by headwater yet: refused, named)."""

    exists_: Optional[bool] = None


class TaskRunFilter(_Combined):
    """Which task runs."""

    id: Optional[TaskRunFilterId] = None
    name: Optional[TaskRunFilterName] = None
    tags: Optional[TaskRunFilterTags] = None
    state: Optional[TaskRunFilterState] = None
    start_time: Optional[TaskRunFilterStartTime] = None
    flow_run_id: Optional[TaskRunFilterFlowRunId] = None
    end_time: Optional[TaskRunFilterEndTime] = None
    subflow_runs: Optional[TaskRunFilterSubFlowRuns] = None


# -- deployments ---------------------------------------------------------------------
class DeploymentFilterId(_Filter):
    """Deployments whose id is listed."""

    any_: Optional[list[UUID]] = None


class DeploymentFilterName(_Filter):
    """Deployments by exact name or substring (the deployment's own name, not `flow/name`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class DeploymentFilterPaused(_Filter):
    """Deployments that are (not) paused."""

    eq_: Optional[bool] = None


class DeploymentFilterTags(_Filter):
    """Deployments with all of these tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class DeploymentFilterConcurrencyLimit(_Filter):
    """Deployments by concurrency limit: at least `ge_`, at most `le_`, or none (`is_null_`)."""

    ge_: Optional[int] = None
    le_: Optional[int] = None
    is_null_: Optional[bool] = None


class DeploymentFilterWorkQueueName(_Filter):
    """Deployments by work queue name (headwater has no work queues: refused, named)."""

    any_: Optional[list[str]] = None


class DeploymentFilter(_Combined):
    """Which deployments."""

    id: Optional[DeploymentFilterId] = None
    name: Optional[DeploymentFilterName] = None
    paused: Optional[DeploymentFilterPaused] = None
    tags: Optional[DeploymentFilterTags] = None
    concurrency_limit: Optional[DeploymentFilterConcurrencyLimit] = None
    work_queue_name: Optional[DeploymentFilterWorkQueueName] = None


# -- logs ----------------------------------------------------------------------------
class LogFilterLevel(_Filter):
    """Log lines at or above (`ge_`) / at or below (`le_`) a level."""

    ge_: Optional[int] = None
    le_: Optional[int] = None


class LogFilterTimestamp(_Filter):
    """Log lines in a time range."""

    before_: Optional[datetime] = None
    after_: Optional[datetime] = None


class LogFilterFlowRunId(_Filter):
    """Log lines of these flow runs."""

    any_: Optional[list[UUID]] = None


class LogFilterTaskRunId(_Filter):
    """Log lines of these task runs, or outside any task run."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class LogFilterName(_Filter):
    """Log lines by logger name (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None


class LogFilterTextSearch(_Filter):
    """Log lines by text search (not evaluated by headwater yet: refused, named)."""

    query: str


class LogFilter(_Combined):
    """Which log lines."""

    level: Optional[LogFilterLevel] = None
    timestamp: Optional[LogFilterTimestamp] = None
    flow_run_id: Optional[LogFilterFlowRunId] = None
    task_run_id: Optional[LogFilterTaskRunId] = None
    name: Optional[LogFilterName] = None
    text: Optional[LogFilterTextSearch] = None


# -- work pools ----------------------------------------------------------------------
class WorkPoolFilterId(_Filter):
    """Work pools whose id is listed."""

    any_: Optional[list[UUID]] = None


class WorkPoolFilterName(_Filter):
    """Work pools by name."""

    any_: Optional[list[str]] = None


class WorkPoolFilterType(_Filter):
    """Work pools by type."""

    any_: Optional[list[str]] = None


class WorkPoolFilter(_Combined):
    """Which work pools."""

    id: Optional[WorkPoolFilterId] = None
    name: Optional[WorkPoolFilterName] = None
    type: Optional[WorkPoolFilterType] = None


# -- variables (issue 16) -------------------------------------------------------------
class VariableFilterId(_Filter):
    """Variables whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class VariableFilterName(_Filter):
    """Variables by exact name (`any_`) or case-insensitive substring (`like_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class VariableFilterTags(_Combined):
    """Variables having all of `all_` tags, or (`is_null_=True`) no tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class VariableFilter(_Combined):
    """Which variables."""

    id: Optional[VariableFilterId] = None
    name: Optional[VariableFilterName] = None
    tags: Optional[VariableFilterTags] = None


__all__ += ["VariableFilter", "VariableFilterId", "VariableFilterName", "VariableFilterTags"]


# -- artifacts (issue 16) -------------------------------------------------------------
class ArtifactFilterId(_Filter):
    """Artifacts whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterKey(_Filter):
    """Artifacts by exact key (`any_`), case-insensitive substring (`like_`), or having one (`exists_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None
    exists_: Optional[bool] = None


class ArtifactFilterFlowRunId(_Filter):
    """Artifacts of the flow runs `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterTaskRunId(_Filter):
    """Artifacts of the task runs `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterType(_Filter):
    """Artifacts of the types `any_`, or not of the types `not_any_`."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class ArtifactFilter(_Combined):
    """Which artifacts."""

    id: Optional[ArtifactFilterId] = None
    key: Optional[ArtifactFilterKey] = None
    flow_run_id: Optional[ArtifactFilterFlowRunId] = None
    task_run_id: Optional[ArtifactFilterTaskRunId] = None
    type: Optional[ArtifactFilterType] = None


class ArtifactCollectionFilterLatestId(_Filter):
    """Collections whose latest artifact is one of `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactCollectionFilterKey(ArtifactFilterKey):
    """Collections by key (as `ArtifactFilterKey`)."""


class ArtifactCollectionFilterFlowRunId(ArtifactFilterFlowRunId):
    """Collections whose latest artifact belongs to the flow runs `any_`."""


class ArtifactCollectionFilterTaskRunId(ArtifactFilterTaskRunId):
    """Collections whose latest artifact belongs to the task runs `any_`."""


class ArtifactCollectionFilterType(ArtifactFilterType):
    """Collections by their latest artifact's type (as `ArtifactFilterType`)."""


class ArtifactCollectionFilter(_Combined):
    """Which keys' latest versions."""

    latest_id: Optional[ArtifactCollectionFilterLatestId] = None
    key: Optional[ArtifactFilterKey] = None
    flow_run_id: Optional[ArtifactFilterFlowRunId] = None
    task_run_id: Optional[ArtifactFilterTaskRunId] = None
    type: Optional[ArtifactFilterType] = None


__all__ += [
    "ArtifactCollectionFilter", "ArtifactCollectionFilterFlowRunId", "ArtifactCollectionFilterKey",
    "ArtifactCollectionFilterLatestId", "ArtifactCollectionFilterTaskRunId", "ArtifactCollectionFilterType",
    "ArtifactFilter", "ArtifactFilterFlowRunId", "ArtifactFilterId", "ArtifactFilterKey", "ArtifactFilterTaskRunId",
    "ArtifactFilterType",
]


# -- workers and work queues ------------------------------------------------------------
class WorkerFilterWorkPoolId(_Filter):
    """Workers of these work pools."""

    any_: Optional[list[UUID]] = None


class WorkerFilterStatus(_Filter):
    """Workers whose status ("ONLINE", "OFFLINE") is one of `any_` / none of `not_any_`."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class WorkerFilterLastHeartbeatTime(_TimeRange):
    """Workers by their last heartbeat."""


class WorkerFilter(_Combined):
    """Which workers of a pool (`read_workers_for_work_pool(worker_filter=...)`)."""

    last_heartbeat_time: Optional[WorkerFilterLastHeartbeatTime] = None
    status: Optional[WorkerFilterStatus] = None


class WorkQueueFilterId(_Filter):
    """Work queues by id. headwater's pools have no queues: a client method given one refuses it."""

    any_: Optional[list[UUID]] = None


class WorkQueueFilterName(_Filter):
    """Work queues by name (`any_`) or name prefix (`startswith_`). See `WorkQueueFilterId`."""

    any_: Optional[list[str]] = None
    startswith_: Optional[list[str]] = None


class WorkQueueFilter(_Combined):
    """Which work queues. headwater's pools have no queues: a client method given one refuses it."""

    id: Optional[WorkQueueFilterId] = None
    name: Optional[WorkQueueFilterName] = None


class OperatorMixin(BaseModel):
    """The `operator` field of filters that combine criteria (`and_`; headwater refuses `or_`, named)."""

    operator: Operator = Operator.and_


class FilterSet(_Filter):
    """Filters of flows, flow runs, task runs and deployments together (all match everything by default)."""

    flows: FlowFilter = Field(default_factory=FlowFilter)
    flow_runs: FlowRunFilter = Field(default_factory=FlowRunFilter)
    task_runs: TaskRunFilter = Field(default_factory=TaskRunFilter)
    deployments: DeploymentFilter = Field(default_factory=DeploymentFilter)


from headwater.client.schemas.block_filters import *  # noqa: E402,F403 - Prefect's path for the block filters
from headwater.client.schemas.block_filters import __all__ as _block_filters  # noqa: E402

__all__ += [
    "DeploymentFilterConcurrencyLimit", "DeploymentFilterWorkQueueName", "FilterSet", "FlowRunFilterCreatedBy",
    "FlowRunFilterFlowVersion", "FlowRunFilterIdempotencyKey", "FlowRunFilterNextScheduledStartTime",
    "FlowRunFilterParentFlowRunId", "FlowRunFilterWorkQueueName", "LogFilterName", "LogFilterTextSearch",
    "OperatorMixin", "TaskRunFilterEndTime", "TaskRunFilterSubFlowRuns", "WorkQueueFilter", "WorkQueueFilterId",
    "WorkQueueFilterName", "WorkerFilter", "WorkerFilterLastHeartbeatTime", "WorkerFilterStatus",
    "WorkerFilterWorkPoolId", *_block_filters,
]
