"""Prefect's create and update bodies of flows, runs, states and deployments
(`prefect.client.schemas.actions.FlowCreate`, `FlowRunCreate`, `StateCreate`, ...).

The client's methods build these from their arguments, as Prefect's client does, so
an invalid argument fails with Prefect's validation error; `set_flow_run_state` also
takes a `StateCreate` as the state. Each has `headwater_*` helpers turning it into
the body headwater's operations take, refusing (a `ValueError` naming the field) what
headwater does not keep.
"""

from __future__ import annotations

from typing import Any, Optional, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from headwater.client.schemas.schedules import SCHEDULE_TYPES
from headwater.client.schemas.objects import FlowRunPolicy, StateDetails, TaskRunInput, TaskRunPolicy
from headwater.core import api_schemas as api
from headwater.core.deployment_schemas import ConcurrencyOptions
from headwater.core.states import StateType

__all__ = [
    "ConcurrencyLimitCreate", "DeploymentCreate", "DeploymentFlowRunCreate", "DeploymentScheduleUpdate", "FlowCreate", "FlowRunCreate",
    "FlowRunUpdate", "StateCreate", "TaskRunCreate", "TaskRunUpdate", "headwater_state", "refuse_fields", "state_create",
]

Labels = dict[str, Union[bool, int, float, str]]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")


def refuse_fields(model: BaseModel, kept: set[str], what: str) -> None:
    """Raise a `ValueError` naming the fields given a value that headwater does not keep."""
    refused = sorted(name for name in model.model_fields_set - kept
                     if getattr(model, name) not in (None, [], {}, type(model).model_fields[name].default))
    if refused:
        raise ValueError(f"headwater does not keep a {what}'s {', '.join(refused)}; leave "
                         f"{'it' if len(refused) == 1 else 'them'} unset")


class FlowCreate(_Action):
    """A flow to create by name (`create_flow`, `create_flow_from_name`); headwater's
    flows have no tags or labels."""

    name: str
    tags: list[str] = []
    labels: Labels = {}


class StateCreate(_Action):
    """A state to propose for a run (`set_flow_run_state(flow_run_id, StateCreate(...))`)."""

    type: StateType
    name: Optional[str] = None
    message: Optional[str] = None
    state_details: StateDetails = Field(default_factory=StateDetails)
    data: Any = None

    def headwater_details(self) -> dict[str, Any] | None:
        """The details headwater stores with the state: those set, as JSON."""
        details = self.state_details.model_dump(mode="json", exclude_defaults=True)
        return details or None


def headwater_state(state: Any) -> api.StateCreate:
    """A proposed state (a `State`, or a `StateCreate`) as the body headwater's operations take."""
    import json

    if isinstance(state, StateCreate):
        details = state.headwater_details()
    else:
        details = json.loads(json.dumps(state.details, default=str)) if state.details is not None else None
    return api.StateCreate(type=state.type, name=state.name, message=state.message, details=details)


def state_create(state: Any) -> StateCreate:
    """Prefect's `StateCreate` of a `State` (a `StateCreate` is returned as it is)."""
    if isinstance(state, StateCreate):
        return state
    facts = {k: v for k, v in (state.details or {}).items() if k in StateDetails.model_fields}
    return StateCreate(type=state.type, name=state.name, message=state.message,
                       state_details=StateDetails.model_validate(facts))


class FlowRunCreate(_Action):
    """A new flow run of the flow `flow_id` (what `create_flow_run` sends)."""

    state: Optional[StateCreate] = None
    name: Optional[str] = None
    flow_id: UUID
    deployment_id: Optional[UUID] = None
    flow_version: Optional[str] = None
    parameters: dict[str, Any] = {}
    context: dict[str, Any] = {}
    parent_task_run_id: Optional[UUID] = None
    infrastructure_document_id: Optional[UUID] = None
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
    tags: list[str] = []
    idempotency_key: Optional[str] = None
    labels: Labels = {}
    work_pool_name: Optional[str] = None
    work_queue_name: Optional[str] = None
    job_variables: Optional[dict[str, Any]] = None


class FlowRunUpdate(_Action):
    """Changes to a flow run (`update_flow_run`): headwater keeps `name`, `parameters` and
    `tags`; the other fields given a value are refused, named."""

    name: Optional[str] = None
    flow_version: Optional[str] = None
    parameters: Optional[dict[str, Any]] = {}
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
    tags: list[str] = []
    infrastructure_pid: Optional[str] = None
    job_variables: Optional[dict[str, Any]] = None


class DeploymentFlowRunCreate(_Action):
    """A new run of a deployment (what `create_flow_run_from_deployment` sends)."""

    state: Optional[StateCreate] = None
    name: Optional[str] = None
    parameters: dict[str, Any] = {}
    enforce_parameter_schema: Optional[bool] = None
    context: dict[str, Any] = {}
    infrastructure_document_id: Optional[UUID] = None
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
    tags: list[str] = []
    idempotency_key: Optional[str] = None
    parent_task_run_id: Optional[UUID] = None
    work_queue_name: Optional[str] = None
    job_variables: Optional[dict[str, Any]] = None
    labels: Labels = {}


class TaskRunCreate(_Action):
    """A new task run (what `create_task_run` sends); `dynamic_key` tells the runs of one
    task in a flow run apart (headwater keeps it as a whole number)."""

    id: Optional[UUID] = None
    state: Optional[StateCreate] = None
    name: Optional[str] = None
    flow_run_id: Optional[UUID] = None
    task_key: str
    dynamic_key: str
    cache_key: Optional[str] = None
    cache_expiration: Optional[Any] = None
    task_version: Optional[str] = None
    empirical_policy: TaskRunPolicy = Field(default_factory=TaskRunPolicy)
    tags: list[str] = []
    labels: Labels = {}
    task_inputs: dict[str, list[TaskRunInput]] = {}


class TaskRunUpdate(_Action):
    """Changes to a task run (`update_task_run`): its name."""

    name: Optional[str] = None


class DeploymentScheduleUpdate(_Action):
    """Changes to one schedule of a deployment (`update_deployment_schedule`): headwater
    changes `active` and `schedule`; the other fields given a value are refused, named."""

    schedule: Optional[SCHEDULE_TYPES] = None
    active: Optional[bool] = None
    max_scheduled_runs: Optional[int] = Field(default=None, gt=0)
    parameters: Optional[dict[str, Any]] = None
    slug: Optional[str] = None
    replaces: Optional[str] = None


class DeploymentCreate(_Action):
    """A new deployment of the flow `flow_id` (what `create_deployment` sends).

    headwater keeps its name, flow, entrypoint, version, description, parameters and
    their schema, tags, paused, work pool, schedules and concurrency limit and options.
    """

    name: str
    flow_id: UUID
    paused: Optional[bool] = None
    schedules: list[Any] = []  # DeploymentScheduleCreate
    concurrency_limit: Optional[int] = None
    concurrency_options: Optional[ConcurrencyOptions] = None
    enforce_parameter_schema: Optional[bool] = None
    parameter_openapi_schema: Optional[dict[str, Any]] = {"type": "object", "properties": {}}
    parameters: dict[str, Any] = {}
    tags: list[str] = []
    labels: Labels = {}
    pull_steps: Optional[list[dict[str, Any]]] = None
    work_queue_name: Optional[str] = None
    work_pool_name: Optional[str] = None
    storage_document_id: Optional[UUID] = None
    infrastructure_document_id: Optional[UUID] = None
    description: Optional[str] = None
    path: Optional[str] = None
    entrypoint: Optional[str] = None
    job_variables: dict[str, Any] = {}
    version: Optional[str] = None
    version_info: Optional[dict[str, Any]] = None
    branch: Optional[str] = None
    base: Optional[UUID] = None
    root: Optional[UUID] = None


class ConcurrencyLimitCreate(_Action):
    """A tag concurrency limit (`create_concurrency_limit(tag, concurrency_limit)`)."""

    tag: str
    concurrency_limit: int
