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

from datetime import datetime
from typing import Optional
from uuid import UUID

from pydantic import BaseModel, Field

from headwater.client.schemas.filter_base import CombinedFilter, FilterCriteria, Operator, TimeRangeFilter
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


# -- flows ---------------------------------------------------------------------------
class FlowFilterId(FilterCriteria):
    """Flows whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class FlowFilterName(FilterCriteria):
    """Flows by exact name (`any_`) or case-insensitive substring (`like_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowFilterTags(FilterCriteria):
    """Flows by tags (headwater's flows carry no tags: only `is_null_=True` matches)."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowFilter(CombinedFilter):
    """Which flows."""

    id: Optional[FlowFilterId] = None
    name: Optional[FlowFilterName] = None
    tags: Optional[FlowFilterTags] = None


# -- flow runs -----------------------------------------------------------------------
class FlowRunFilterId(FilterCriteria):
    """Flow runs whose id is (`any_`) or is not (`not_any_`) listed."""

    any_: Optional[list[UUID]] = None
    not_any_: Optional[list[UUID]] = None


class FlowRunFilterName(FilterCriteria):
    """Flow runs by exact name or substring."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowRunFilterTags(FilterCriteria):
    """Flow runs with all of these tags, or with (no) tags at all."""

    all_: Optional[list[str]] = None
    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterDeploymentId(FilterCriteria):
    """Flow runs of these deployments, or with (no) deployment."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterStateType(FilterCriteria):
    """Flow runs whose state type is (not) listed."""

    any_: Optional[list[StateType]] = None
    not_any_: Optional[list[StateType]] = None


class FlowRunFilterStateName(FilterCriteria):
    """Flow runs whose state name is (not) listed."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterState(CombinedFilter):
    """Flow runs by state type and/or name."""

    type: Optional[FlowRunFilterStateType] = None
    name: Optional[FlowRunFilterStateName] = None


class FlowRunFilterStartTime(TimeRangeFilter):
    """Flow runs that started in a time range (or never)."""


class FlowRunFilterEndTime(TimeRangeFilter):
    """Flow runs that ended in a time range (or not yet)."""


class FlowRunFilterExpectedStartTime(TimeRangeFilter):
    """Flow runs due in a time range."""


class FlowRunFilterParentTaskRunId(FilterCriteria):
    """Subflow runs of these task runs, or (not) subflows at all."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterParentFlowRunId(CombinedFilter):
    """Subflow runs of these flow runs (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[UUID]] = None


class FlowRunFilterFlowVersion(FilterCriteria):
    """Flow runs of these flow versions (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None


class FlowRunFilterIdempotencyKey(FilterCriteria):
    """Flow runs by idempotency key (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterNextScheduledStartTime(TimeRangeFilter):
    """Flow runs by next scheduled start (not evaluated by headwater yet: refused, named)."""


class FlowRunFilterWorkQueueName(CombinedFilter):
    """Flow runs by work queue name (headwater has no work queues: refused, named)."""

    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterCreatedBy(CombinedFilter):
    """Flow runs by creator (Prefect Cloud's users; refused by headwater, named)."""

    id_: Optional[list[UUID]] = None
    type_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilter(CombinedFilter):
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
class TaskRunFilterId(FilterCriteria):
    """Task runs whose id is (not) listed."""

    any_: Optional[list[UUID]] = None
    not_any_: Optional[list[UUID]] = None


class TaskRunFilterName(FilterCriteria):
    """Task runs by exact name or substring."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class TaskRunFilterTags(FilterCriteria):
    """Task runs with all of these tags, or with (no) tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class TaskRunFilterStateType(FilterCriteria):
    """Task runs whose state type is (not) listed."""

    any_: Optional[list[StateType]] = None
    not_any_: Optional[list[StateType]] = None


class TaskRunFilterStateName(FilterCriteria):
    """Task runs whose state name is (not) listed."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class TaskRunFilterState(CombinedFilter):
    """Task runs by state type and/or name."""

    type: Optional[TaskRunFilterStateType] = None
    name: Optional[TaskRunFilterStateName] = None


class TaskRunFilterStartTime(TimeRangeFilter):
    """Task runs that started in a time range (or never)."""


class TaskRunFilterFlowRunId(FilterCriteria):
    """Task runs of these flow runs, or outside any flow run."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class TaskRunFilterEndTime(TimeRangeFilter):
    """Task runs by end time (not evaluated by headwater yet: refused, named)."""

    is_null_: Optional[bool] = None


class TaskRunFilterSubFlowRuns(FilterCriteria):
    """Task runs standing for a subflow run (`exists_`; not evaluated by headwater yet: refused, named)."""

    exists_: Optional[bool] = None


class TaskRunFilter(CombinedFilter):
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
class DeploymentFilterId(FilterCriteria):
    """Deployments whose id is listed."""

    any_: Optional[list[UUID]] = None


class DeploymentFilterName(FilterCriteria):
    """Deployments by exact name or substring (the deployment's own name, not `flow/name`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class DeploymentFilterPaused(FilterCriteria):
    """Deployments that are (not) paused."""

    eq_: Optional[bool] = None


class DeploymentFilterTags(FilterCriteria):
    """Deployments with all of these tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class DeploymentFilterConcurrencyLimit(FilterCriteria):
    """Deployments by concurrency limit: at least `ge_`, at most `le_`, or none (`is_null_`)."""

    ge_: Optional[int] = None
    le_: Optional[int] = None
    is_null_: Optional[bool] = None


class DeploymentFilterWorkQueueName(FilterCriteria):
    """Deployments by work queue name (headwater has no work queues: refused, named)."""

    any_: Optional[list[str]] = None


class DeploymentFilter(CombinedFilter):
    """Which deployments."""

    id: Optional[DeploymentFilterId] = None
    name: Optional[DeploymentFilterName] = None
    paused: Optional[DeploymentFilterPaused] = None
    tags: Optional[DeploymentFilterTags] = None
    concurrency_limit: Optional[DeploymentFilterConcurrencyLimit] = None
    work_queue_name: Optional[DeploymentFilterWorkQueueName] = None


# -- logs ----------------------------------------------------------------------------
class LogFilterLevel(FilterCriteria):
    """Log lines at or above (`ge_`) / at or below (`le_`) a level."""

    ge_: Optional[int] = None
    le_: Optional[int] = None


class LogFilterTimestamp(FilterCriteria):
    """Log lines in a time range."""

    before_: Optional[datetime] = None
    after_: Optional[datetime] = None


class LogFilterFlowRunId(FilterCriteria):
    """Log lines of these flow runs."""

    any_: Optional[list[UUID]] = None


class LogFilterTaskRunId(FilterCriteria):
    """Log lines of these task runs, or outside any task run."""

    any_: Optional[list[UUID]] = None
    is_null_: Optional[bool] = None


class LogFilterName(FilterCriteria):
    """Log lines by logger name (not evaluated by headwater yet: refused, named)."""

    any_: Optional[list[str]] = None


class LogFilterTextSearch(FilterCriteria):
    """Log lines by text search (not evaluated by headwater yet: refused, named)."""

    query: str


class LogFilter(CombinedFilter):
    """Which log lines."""

    level: Optional[LogFilterLevel] = None
    timestamp: Optional[LogFilterTimestamp] = None
    flow_run_id: Optional[LogFilterFlowRunId] = None
    task_run_id: Optional[LogFilterTaskRunId] = None
    name: Optional[LogFilterName] = None
    text: Optional[LogFilterTextSearch] = None


# -- work pools ----------------------------------------------------------------------
class WorkPoolFilterId(FilterCriteria):
    """Work pools whose id is listed."""

    any_: Optional[list[UUID]] = None


class WorkPoolFilterName(FilterCriteria):
    """Work pools by name."""

    any_: Optional[list[str]] = None


class WorkPoolFilterType(FilterCriteria):
    """Work pools by type."""

    any_: Optional[list[str]] = None


class WorkPoolFilter(CombinedFilter):
    """Which work pools."""

    id: Optional[WorkPoolFilterId] = None
    name: Optional[WorkPoolFilterName] = None
    type: Optional[WorkPoolFilterType] = None


# -- workers and work queues ------------------------------------------------------------
class WorkerFilterWorkPoolId(FilterCriteria):
    """Workers of these work pools."""

    any_: Optional[list[UUID]] = None


class WorkerFilterStatus(FilterCriteria):
    """Workers whose status ("ONLINE", "OFFLINE") is one of `any_` / none of `not_any_`."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class WorkerFilterLastHeartbeatTime(TimeRangeFilter):
    """Workers by their last heartbeat."""


class WorkerFilter(CombinedFilter):
    """Which workers of a pool (`read_workers_for_work_pool(worker_filter=...)`)."""

    last_heartbeat_time: Optional[WorkerFilterLastHeartbeatTime] = None
    status: Optional[WorkerFilterStatus] = None


class WorkQueueFilterId(FilterCriteria):
    """Work queues by id. headwater's pools have no queues: a client method given one refuses it."""

    any_: Optional[list[UUID]] = None


class WorkQueueFilterName(FilterCriteria):
    """Work queues by name (`any_`) or name prefix (`startswith_`). See `WorkQueueFilterId`."""

    any_: Optional[list[str]] = None
    startswith_: Optional[list[str]] = None


class WorkQueueFilter(CombinedFilter):
    """Which work queues. headwater's pools have no queues: a client method given one refuses it."""

    id: Optional[WorkQueueFilterId] = None
    name: Optional[WorkQueueFilterName] = None


class OperatorMixin(BaseModel):
    """The `operator` field of filters that combine criteria (`and_`; headwater refuses `or_`, named)."""

    operator: Operator = Operator.and_


class FilterSet(FilterCriteria):
    """Filters of flows, flow runs, task runs and deployments together (all match everything by default)."""

    flows: FlowFilter = Field(default_factory=FlowFilter)
    flow_runs: FlowRunFilter = Field(default_factory=FlowRunFilter)
    task_runs: TaskRunFilter = Field(default_factory=TaskRunFilter)
    deployments: DeploymentFilter = Field(default_factory=DeploymentFilter)


from headwater.client.schemas.block_filters import *  # noqa: E402,F403 - Prefect's path for the block filters
from headwater.client.schemas.resource_filters import *  # noqa: E402,F403 - and for variables and artifacts
from headwater.client.schemas.resource_filters import __all__ as _resource_filters  # noqa: E402
from headwater.client.schemas.block_filters import __all__ as _block_filters  # noqa: E402

__all__ += [
    "DeploymentFilterConcurrencyLimit", "DeploymentFilterWorkQueueName", "FilterSet", "FlowRunFilterCreatedBy",
    "FlowRunFilterFlowVersion", "FlowRunFilterIdempotencyKey", "FlowRunFilterNextScheduledStartTime",
    "FlowRunFilterParentFlowRunId", "FlowRunFilterWorkQueueName", "LogFilterName", "LogFilterTextSearch",
    "OperatorMixin", "TaskRunFilterEndTime", "TaskRunFilterSubFlowRuns", "WorkQueueFilter", "WorkQueueFilterId",
    "WorkQueueFilterName", "WorkerFilter", "WorkerFilterLastHeartbeatTime", "WorkerFilterStatus",
    "WorkerFilterWorkPoolId", *_block_filters, *_resource_filters,
]
