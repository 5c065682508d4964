"""Create and update bodies of the client, as `prefect.client.schemas.actions`."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from headwater.client.schemas.objects import WorkPoolStorageConfiguration

__all__ = [
    "GlobalConcurrencyLimitCreate", "GlobalConcurrencyLimitUpdate", "WorkPoolCreate", "WorkPoolUpdate",
]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GlobalConcurrencyLimitCreate(_Action):
    """A new global limit: `limit` slots; `slot_decay_per_second` > 0 makes it a rate limit."""

    name: str
    limit: int
    active: bool = True
    active_slots: Optional[int] = None
    slot_decay_per_second: float = 0.0


class GlobalConcurrencyLimitUpdate(_Action):
    """Changes to a global limit; what is None stays."""

    name: Optional[str] = None
    limit: Optional[int] = None
    active: Optional[bool] = None
    active_slots: Optional[int] = None
    slot_decay_per_second: Optional[float] = None


class WorkPoolCreate(_Action):
    """A new work pool (headwater's pools are of type `process`)."""

    name: str
    type: str = "process"
    description: Optional[str] = None
    is_paused: bool = False
    concurrency_limit: Optional[int] = None
    base_job_template: dict[str, Any] = {}
    storage_configuration: WorkPoolStorageConfiguration = Field(default_factory=WorkPoolStorageConfiguration)


class WorkPoolUpdate(_Action):
    """Changes to a work pool; what is None stays."""

    description: Optional[str] = None
    is_paused: Optional[bool] = None
    concurrency_limit: Optional[int] = None
    base_job_template: Optional[dict[str, Any]] = None
    storage_configuration: Optional[WorkPoolStorageConfiguration] = None


# -- variables (issue 16) -------------------------------------------------------------
# Imported here so that this block stays one self-contained addition.
from typing import Annotated  # noqa: E402

from pydantic import AfterValidator, BeforeValidator  # noqa: E402


def _json_value(value: Any) -> Any:
    from headwater.core.variable_schemas import check_variable_value

    check_variable_value(value, max_bytes=2**62)  # JSON or not; the size is the server's setting
    return value


def _variable_name(name: str) -> str:
    from headwater.core.variable_schemas import check_variable_name

    return check_variable_name(name)


class VariableCreate(_Action):
    """A new variable: `value` is any JSON (at most `HEADWATER_VARIABLE_MAX_BYTES` of it)."""

    name: Annotated[str, AfterValidator(_variable_name)]
    value: Annotated[Any, BeforeValidator(_json_value)] = None
    tags: Optional[list[str]] = None


class VariableUpdate(_Action):
    """Changes to the variable called `name`; what is not given stays."""

    name: Optional[Annotated[str, AfterValidator(_variable_name)]] = None
    value: Annotated[Any, BeforeValidator(_json_value)] = None
    tags: Optional[list[str]] = None


__all__ += ["VariableCreate", "VariableUpdate"]


# -- artifacts (issue 16) -------------------------------------------------------------
from uuid import UUID  # noqa: E402


def _artifact_key(key: Optional[str]) -> Optional[str]:
    from headwater.core.artifact_schemas import check_artifact_key

    return key if key is None else check_artifact_key(key)


class ArtifactCreate(_Action):
    """A new artifact (Prefect's `ArtifactCreate`): `key` is lowercase letters, numbers and dashes."""

    key: Annotated[Optional[str], AfterValidator(_artifact_key)] = None
    type: Optional[str] = None
    description: Optional[str] = None
    data: Any = None
    metadata_: Optional[dict[str, str]] = None
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None


class ArtifactUpdate(_Action):
    """Changes to an artifact; what is not given stays."""

    data: Any = None
    description: Optional[str] = None
    metadata_: Optional[dict[str, str]] = None


__all__ += ["ArtifactCreate", "ArtifactUpdate"]


# -- deployment schedules and limits at Prefect's other names ----------------------------
from headwater.client.schemas.schedules import SCHEDULE_TYPES  # noqa: E402


class DeploymentScheduleCreate(_Action):
    """A schedule of a new deployment: `flow.serve(schedules=[DeploymentScheduleCreate(schedule=...)])`.

    headwater keeps `active`; `parameters` and `slug` per schedule are not stored (a
    non-empty value is refused, named).
    """

    schedule: SCHEDULE_TYPES
    active: bool = True
    max_scheduled_runs: Optional[int] = None
    parameters: dict[str, Any] = {}
    slug: Optional[str] = None

    def schedule_spec(self) -> dict[str, Any]:
        """The deployment schedule fields this stands for.

        Raises:
            ValueError: per-schedule `parameters`, `slug` or `max_scheduled_runs`, which headwater does not keep.
        """
        for name in ("parameters", "slug", "max_scheduled_runs"):
            if getattr(self, name):
                raise ValueError(f"DeploymentScheduleCreate.{name} is not supported by headwater; "
                                 "set parameters on the deployment instead")
        return {**self.schedule.schedule_spec(), "active": self.active}


ConcurrencyLimitV2Create = GlobalConcurrencyLimitCreate
ConcurrencyLimitV2Update = GlobalConcurrencyLimitUpdate

__all__ += ["ConcurrencyLimitV2Create", "ConcurrencyLimitV2Update", "DeploymentScheduleCreate"]


# -- deployment updates and log lines (issue 15) ---------------------------------------
from datetime import datetime  # noqa: E402

from headwater.core.deployment_schemas import ConcurrencyOptions  # noqa: E402


class DeploymentUpdate(_Action):
    """Changes to a deployment (Prefect's `DeploymentUpdate`); only the fields given are sent.

    headwater changes `paused`, `description`, `concurrency_limit`, `concurrency_options` and `parameters`;
    giving any other field is refused by `headwater_changes`, naming it.
    """

    version: Optional[str] = None
    version_info: Optional[dict[str, Any]] = None
    description: Optional[str] = None
    parameters: Optional[dict[str, Any]] = None
    paused: Optional[bool] = None
    schedules: Optional[list[Any]] = None
    concurrency_limit: Optional[int] = None
    concurrency_options: Optional[ConcurrencyOptions] = None
    tags: list[str] = []
    work_queue_name: Optional[str] = None
    work_pool_name: Optional[str] = None
    path: Optional[str] = None
    job_variables: Optional[dict[str, Any]] = {}
    entrypoint: Optional[str] = None
    storage_document_id: Optional[UUID] = None
    infrastructure_document_id: Optional[UUID] = None
    enforce_parameter_schema: Optional[bool] = None
    parameter_openapi_schema: Optional[dict[str, Any]] = {"type": "object", "properties": {}}
    pull_steps: Optional[list[dict[str, Any]]] = None

    def headwater_changes(self) -> dict[str, Any]:
        """The changes given, as headwater's deployment update fields.

        Raises:
            ValueError: a field was given that headwater cannot change on a deployment, named.
        """
        supported = {"paused", "description", "concurrency_limit", "concurrency_options", "parameters"}
        refused = sorted(self.model_fields_set - supported)
        if refused:
            raise ValueError(f"headwater cannot change a deployment's {', '.join(refused)} with update_deployment; "
                             "change paused, description, concurrency_limit, concurrency_options or parameters, "
                             "or deploy it again")
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class LogCreate(_Action):
    """One log line to write (Prefect's `LogCreate`): `name` is the logger's name."""

    name: str
    level: int
    message: str
    timestamp: datetime
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None
    worker_id: Optional[UUID] = None  # Prefect Cloud's; headwater does not store it


__all__ += ["DeploymentUpdate", "LogCreate"]


# -- flows, runs, states, deployment runs and schedules, tag limits (issue 15) ----------
from headwater.client.schemas.run_actions import (  # noqa: E402
    ConcurrencyLimitCreate,
    DeploymentCreate,
    DeploymentFlowRunCreate,
    DeploymentScheduleUpdate,
    FlowCreate,
    FlowRunCreate,
    FlowRunUpdate,
    StateCreate,
    TaskRunCreate,
    TaskRunUpdate,
)

__all__ += ["ConcurrencyLimitCreate", "DeploymentCreate", "DeploymentFlowRunCreate", "DeploymentScheduleUpdate", "FlowCreate",
            "FlowRunCreate", "FlowRunUpdate", "StateCreate", "TaskRunCreate", "TaskRunUpdate"]


# -- blocks, with Prefect's UUID ids (issue 16) -------------------------------------------
from headwater.client.schemas.block_actions import (  # noqa: E402
    BlockDocumentCreate,
    BlockDocumentUpdate,
    BlockSchemaCreate,
    BlockTypeCreate,
    BlockTypeUpdate,
)

__all__ += ["BlockDocumentCreate", "BlockDocumentUpdate", "BlockSchemaCreate", "BlockTypeCreate", "BlockTypeUpdate"]
