"""Request and response bodies of deployments, projects, work pools and workers.

Shared by the store (store/deployments.py), the REST API (server/api/deployments.py
and neighbours), workers and the CLI. Request models forbid unknown fields, so a
misspelt option is a 422 naming it; a schedule is checked when the request is parsed
(an invalid cron or time zone is a 422 naming `schedules.0.cron`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any, Literal, Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from headwater.core.schedules import Schedule, ScheduleError, schedule_from_dict

__all__ = [
    "BackfillRequest",
    "BackfillResult",
    "CATCHUP_POLICIES",
    "ClaimRequest",
    "ClaimedRun",
    "ConcurrencyLimitConfig",
    "ConcurrencyLimitStrategy",
    "ConcurrencyOptions",
    "CrashReport",
    "DeploymentCreate",
    "DeploymentInfo",
    "DeploymentRunCreate",
    "DeploymentUpdate",
    "ProjectCreate",
    "ProjectInfo",
    "ScheduleInfo",
    "ScheduleSpec",
    "StaticGraph",
    "StaticGraphEdge",
    "StaticGraphNode",
    "WorkPoolCreate",
    "WorkPoolInfo",
    "WorkPoolStorage",
    "WorkPoolUpdate",
    "WorkerHeartbeat",
    "WorkerHeartbeatReply",
    "WorkerInfo",
]

Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00/]*$")]
"""A name people type: no NUL, no `/` (which separates `flow/deployment`)."""
Text = Annotated[str, StringConstraints(max_length=100_000, pattern=r"^[^\x00]*$")]
Tags = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=255)]], Field(max_length=100)]
Limit = Annotated[int, Field(ge=0, le=1_000_000)]

CATCHUP_POLICIES = ("all", "latest", "skip")
"""What happens to scheduled runs later than the late threshold: all run, only the
newest of a deployment runs (the others are skipped), or none run."""

Catchup = Literal["all", "latest", "skip"]

JobVariables = Annotated[dict[str, Any], Field(max_length=1000)]
"""A deployment's or a run's job variables (checked against the pool's template, core/job_templates.py)."""
JobTemplate = Annotated[dict[str, Any], Field(max_length=10)]
"""A work pool's base job template: `job_configuration` and `variables`."""
PullSteps = Annotated[list[dict[str, Any]], Field(max_length=100)]
"""Steps run before each run to fetch the flow's code (`headwater.deployments.steps`)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- projects ------------------------------------------------------------------------


class ProjectCreate(_Model):
    """Body of `POST /projects/`."""

    name: Name
    description: Optional[Text] = None


class ProjectInfo(BaseModel):
    """A project: deployments are grouped by it."""

    id: str
    name: str
    description: Optional[str] = None
    deployments: int = 0
    created: datetime


# -- work pools ----------------------------------------------------------------------


BundleStep = Annotated[dict[str, Any], Field(max_length=10)]
"""One bundle step of a pool's storage: `{"module.function": {argument: value, ...}}`."""


class WorkPoolStorage(_Model):
    """A work pool's storage configuration (Prefect's `WorkPoolStorageConfiguration`).

    Stored with the pool and shown as given. In Prefect 3.9 only `flow.submit_to_work_pool`
    reads it (it uploads a bundle of the flow with the upload step, has the worker run
    the execution step, and keeps results in the `default_result_storage_block_id` block);
    a deployment's runs do not use it. headwater has no bundle submission: its workers
    load a deployment's code from its entrypoint and pull steps (docs/migrating-from-prefect.md).
    """

    bundle_upload_step: Optional[BundleStep] = None
    bundle_execution_step: Optional[BundleStep] = None
    default_result_storage_block_id: Optional[UUID] = None


class WorkPoolCreate(_Model):
    """Body of `POST /work_pools/`. `concurrency_limit`: runs of the pool at once (None: no limit)."""

    name: Name
    type: Name = "process"
    description: Optional[Text] = None
    concurrency_limit: Optional[Limit] = None
    paused: bool = False
    base_job_template: JobTemplate = Field(
        default={}, description="Prefect's shape (job_configuration, variables); empty: the type's default.")
    storage_configuration: WorkPoolStorage = Field(default_factory=WorkPoolStorage)


class WorkPoolUpdate(_Model):
    """Body of `PATCH /work_pools/{name}`: the fields to change."""

    description: Optional[Text] = None
    concurrency_limit: Optional[Limit] = None
    clear_concurrency_limit: bool = False
    paused: Optional[bool] = None
    base_job_template: Optional[JobTemplate] = None
    storage_configuration: Optional[WorkPoolStorage] = Field(default=None, description="Replaces the pool's.")


class WorkPoolInfo(BaseModel):
    """A work pool, with its workers online and its runs in progress."""

    id: str
    name: str
    type: str
    description: Optional[str] = None
    concurrency_limit: Optional[int] = None
    paused: bool = False
    status: Literal["READY", "NOT_READY", "PAUSED"]
    workers_online: int = 0
    active_runs: int = 0
    created: datetime
    base_job_template: dict[str, Any] = {}
    storage_configuration: WorkPoolStorage = Field(default_factory=WorkPoolStorage)


# -- schedules -----------------------------------------------------------------------


class ScheduleSpec(_Model):
    """One schedule of a deployment: give `cron`, `interval` (seconds) or `rrule`.

    `timezone` is an IANA name ("Europe/Paris"); `anchor` lines intervals up.
    """

    cron: Optional[Annotated[str, StringConstraints(min_length=1, max_length=255)]] = None
    interval: Optional[Annotated[float, Field(gt=0, allow_inf_nan=False)]] = None
    rrule: Optional[Annotated[str, StringConstraints(min_length=1, max_length=2000)]] = None
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "UTC"
    anchor: Optional[datetime] = None
    day_or: bool = True
    active: bool = True

    @model_validator(mode="after")
    def _one_kind(self) -> ScheduleSpec:
        given = [k for k in ("cron", "interval", "rrule") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of cron, interval or rrule (got {', '.join(given) or 'none'})")
        try:
            self.build()
        except ScheduleError as exc:
            raise ValueError(str(exc)) from None
        return self

    def to_dict(self) -> dict[str, Any]:
        """The stored form: `Schedule.to_dict()`."""
        return self.build().to_dict()

    def build(self) -> Schedule:
        """The `headwater.core.schedules` schedule this describes.

        Raises:
            ScheduleError: an invalid cron, rule or time zone.
        """
        if self.cron is not None:
            return schedule_from_dict({"kind": "cron", "cron": self.cron, "timezone": self.timezone,
                                       "day_or": self.day_or})
        if self.interval is not None:
            anchor = self.anchor.timestamp() if self.anchor is not None and self.anchor.tzinfo else self.anchor
            return schedule_from_dict({"kind": "interval", "interval": self.interval, "anchor": anchor,
                                       "timezone": self.timezone})
        return schedule_from_dict({"kind": "rrule", "rrule": self.rrule, "timezone": self.timezone})


class ScheduleInfo(BaseModel):
    """A stored schedule, described, with its next due times."""

    id: str
    schedule: dict[str, Any]
    description: str
    active: bool
    next_runs: list[datetime] = []


# -- static graphs (Prefect 1 style flows, engine/static) ------------------------------

GraphKey = Annotated[str, StringConstraints(min_length=1, max_length=255)]


class StaticGraphNode(_Model):
    """A node of a static flow's graph: a Parameter, or a task call (`FlowGraph.nodes`)."""

    key: GraphKey
    kind: Literal["parameter", "task"]
    task_name: GraphKey
    mapped: bool = False
    required: bool = False


class StaticGraphEdge(_Model):
    """An edge of a static flow's graph: `upstream` feeds (or must finish before) `downstream`."""

    upstream: GraphKey
    downstream: GraphKey
    argument: Optional[GraphKey] = None
    kind: Literal["data", "wait_for"] = "data"


class StaticGraph(_Model):
    """The graph a `with Flow(...)` block built (`flow.graph.as_dict()`), kept with its
    deployment so the UI can draw it before the first run."""

    name: Annotated[str, StringConstraints(max_length=255)] = ""
    nodes: Annotated[list[StaticGraphNode], Field(max_length=10_000)] = []
    edges: Annotated[list[StaticGraphEdge], Field(max_length=50_000)] = []

    @model_validator(mode="after")
    def _edges_join_nodes(self) -> StaticGraph:
        keys = {node.key for node in self.nodes}
        for index, edge in enumerate(self.edges):
            for end in (edge.upstream, edge.downstream):
                if end not in keys:
                    raise ValueError(f"edges.{index} names node {end!r}, which is not among the nodes")
        return self


# -- deployments ---------------------------------------------------------------------

Retries = Annotated[int, Field(ge=0, le=1000)]
RetryDelays = Annotated[list[Annotated[float, Field(ge=0, le=366 * 86400, allow_inf_nan=False)]],
                        Field(max_length=1000)]


class ConcurrencyLimitStrategy(str, enum.Enum):
    """What happens to a deployment's run that is due while its concurrency limit is full:
    ENQUEUE waits for a slot, CANCEL_NEW cancels the new run."""

    ENQUEUE = "ENQUEUE"
    CANCEL_NEW = "CANCEL_NEW"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    __str__ = __repr__


_GracePeriod = Annotated[Optional[int], Field(default=None, ge=60, le=86400)]


class ConcurrencyOptions(BaseModel):
    """A deployment's collision strategy (Prefect's `ConcurrencyOptions`). headwater keeps
    `grace_period_seconds` for Prefect's sake; a run holds its slot while it is active."""

    collision_strategy: ConcurrencyLimitStrategy
    grace_period_seconds: _GracePeriod = None


class ConcurrencyLimitConfig(BaseModel):
    """`concurrency_limit=` of `flow.serve()`/`deploy()` with a collision strategy
    (Prefect's `ConcurrencyLimitConfig`)."""

    limit: int
    collision_strategy: ConcurrencyLimitStrategy = ConcurrencyLimitStrategy.ENQUEUE
    grace_period_seconds: _GracePeriod = None


class DeploymentCreate(_Model):
    """Body of `POST /deployments/`: creates the deployment `flow_name/name`, or updates it
    in place when it exists (re-deploying)."""

    name: Name
    flow_name: Name
    entrypoint: Annotated[str, StringConstraints(min_length=3, max_length=4096, pattern=r"^[^\x00]*$")]
    project: Name = "default"
    work_pool_name: Optional[Name] = Field(default=None, description="None: served by `flow.serve()`.")
    parameters: dict[str, Any] = {}
    parameter_schema: Optional[dict[str, Any]] = None
    tags: Tags = []
    description: Optional[Text] = None
    version: Optional[Annotated[str, StringConstraints(max_length=255)]] = None
    paused: bool = False
    concurrency_limit: Optional[Limit] = None
    concurrency_options: Optional[ConcurrencyOptions] = None
    catchup: Catchup = "all"
    schedules: Annotated[list[ScheduleSpec], Field(max_length=50)] = []
    create_project: bool = Field(default=False, description="Create the project if missing (else 404).")
    retries: Retries = Field(default=0, description="The flow's retries: also applied when a run's process dies.")
    retry_delay_seconds: RetryDelays = Field(
        default=[], description="Wait before retry n: item n-1 (the last repeats); empty: retry at once.")
    static_graph: Optional[StaticGraph] = Field(default=None, description="A Prefect 1 style flow's graph.")
    job_variables: JobVariables = Field(default={}, description="Over the work pool's template defaults.")
    pull_steps: Optional[PullSteps] = Field(
        default=None, description="Steps that fetch the flow's code before each run (git_clone, ...).")


class DeploymentUpdate(_Model):
    """Body of `PATCH /deployments/{id}`: the fields to change."""

    paused: Optional[bool] = None
    description: Optional[Text] = None
    concurrency_limit: Optional[Limit] = None
    concurrency_options: Optional[ConcurrencyOptions] = None
    catchup: Optional[Catchup] = None
    parameters: Optional[dict[str, Any]] = None
    job_variables: Optional[JobVariables] = None


class DeploymentInfo(BaseModel):
    """A deployment with its schedules and status (READY while something polls for its runs)."""

    id: str
    name: str
    flow_name: str
    full_name: str
    project: str
    work_pool_name: Optional[str] = None
    entrypoint: str
    parameters: dict[str, Any] = {}
    parameter_schema: Optional[dict[str, Any]] = None
    tags: list[str] = []
    description: Optional[str] = None
    version: Optional[str] = None
    paused: bool = False
    concurrency_limit: Optional[int] = None
    concurrency_options: Optional[ConcurrencyOptions] = None
    catchup: str = "all"
    schedules: list[ScheduleInfo] = []
    retries: int = 0
    retry_delay_seconds: list[float] = []
    static_graph: Optional[StaticGraph] = None
    job_variables: dict[str, Any] = {}
    pull_steps: Optional[list[dict[str, Any]]] = None
    status: Literal["READY", "NOT_READY"] = "NOT_READY"
    last_polled: Optional[datetime] = None
    created: datetime
    updated: datetime


class DeploymentRunCreate(_Model):
    """Body of `POST /deployments/{id}/create_flow_run`. `parameters` are merged over the
    deployment's and checked against its schema (422 naming the parameter)."""

    parameters: dict[str, Any] = {}
    name: Optional[Name] = None
    tags: Tags = []
    scheduled_time: Optional[datetime] = Field(default=None, description="When it is due; default now.")
    id: Optional[str] = Field(default=None, max_length=36, description="A client-chosen id makes a re-send harmless.")
    parent_task_run_id: Optional[str] = Field(default=None, max_length=36,
                                              description="The task run this run is a subflow of.")
    job_variables: JobVariables = Field(default={}, description="Over the deployment's; checked against the "
                                                                "work pool's template.")


class BackfillRequest(_Model):
    """Body of `POST /deployments/{id}/backfill`: create the runs the schedules had in [start, end]."""

    start: datetime
    end: datetime
    limit: Annotated[int, Field(ge=1, le=10_000)] = 1000


class BackfillResult(BaseModel):
    """How many runs a backfill created, and how many existed already."""

    created: int
    existing: int
    flow_run_ids: list[str] = []


# -- workers -------------------------------------------------------------------------


class WorkerHeartbeat(_Model):
    """Body of `POST /workers/heartbeat`: a worker (or a `serve` process, with
    `deployment_ids` and no pool) is alive and runs these flow runs."""

    name: Name
    work_pool_name: Optional[Name] = None
    deployment_ids: Annotated[list[str], Field(max_length=1000)] = []
    limit: Optional[Limit] = None
    host: Annotated[str, StringConstraints(max_length=255)] = ""
    pid: int = 0
    running: Annotated[list[str], Field(max_length=10_000)] = []


class WorkerHeartbeatReply(BaseModel):
    """The worker's id, and which of its running flow runs must be cancelled."""

    worker_id: Optional[str] = None
    cancel: list[str] = []


class ClaimRequest(_Model):
    """Body of `POST /workers/claim`: take up to `limit` runs due within `prefetch_seconds`."""

    worker_id: Optional[str] = None
    work_pool_name: Optional[Name] = None
    deployment_ids: Annotated[list[str], Field(max_length=1000)] = []
    limit: Annotated[int, Field(ge=0, le=1000)] = 1
    prefetch_seconds: Annotated[float, Field(ge=0, le=3600)] = 0.0


class ClaimedRun(BaseModel):
    """A flow run a worker has claimed: what it needs to start it."""

    flow_run_id: str
    flow_run_name: str
    flow_name: str
    deployment_id: str
    deployment_name: str
    entrypoint: str
    parameters: dict[str, Any] = {}
    scheduled_time: float
    run_count: int = 0
    job_variables: dict[str, Any] = Field(default={}, description="The deployment's, then the run's (no defaults).")
    pull_steps: Optional[list[dict[str, Any]]] = None
    run_job_variables: dict[str, Any] = Field(
        default={}, description="The run's own overrides: `runtime.flow_run.job_variables` in its process, as in Prefect.")


class CrashReport(_Model):
    """Body of `POST /workers/crashed`: a worker saw the process of a flow run it claimed
    end without the run finishing.

    `claimed_start` is the due time the worker claimed the run for (`ClaimedRun.scheduled_time`):
    a report about an older claim (re-sent after a lost reply) changes nothing.
    `retry`: apply the deployment's retries (False when the worker itself stopped the run).
    """

    flow_run_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    message: Text
    claimed_start: Optional[float] = None
    retry: bool = True


class WorkerInfo(BaseModel):
    """A worker as the API shows it."""

    id: str
    name: str
    work_pool_name: str
    limit: Optional[int] = None
    host: str
    pid: int
    status: Literal["ONLINE", "OFFLINE"]
    started: datetime
    last_heartbeat: datetime
    running: list[str] = []
