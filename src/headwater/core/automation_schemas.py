"""Automations, in Prefect 3's shape: a trigger and the actions to take when it fires;
and the REST bodies of `/api/automations`.

`AutomationCore` is what a user creates (name, trigger, actions, ...), `Automation` one
read back with its id, `AutomationInfo` the server's reply (with created/updated).
`FiredAction` is one action an automation took (or is retrying), as the UI shows it.
Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal, Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from headwater.core.actions import ActionTypesOrUnknown
from headwater.core.triggers import SchemaModel, TriggerTypes

__all__ = [
    "Automation",
    "AutomationCore",
    "AutomationFilter",
    "AutomationFilterCreated",
    "AutomationFilterId",
    "AutomationFilterName",
    "AutomationFilterRequest",
    "AutomationFilterTags",
    "AutomationInfo",
    "AutomationPartialUpdate",
    "AutomationSort",
    "FiredAction",
    "dump_automation",
]

_Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00]*$")]


class AutomationCore(SchemaModel):
    """An automation: when its trigger fires, it takes its actions."""

    name: str = Field(default=..., description="The name of this automation")
    description: str = Field(default="", description="A longer description of this automation")
    enabled: bool = Field(default=True, description="Whether this automation will be evaluated")
    tags: list[str] = Field(default_factory=list, description="A list of tags associated with this automation")
    trigger: TriggerTypes = Field(default=..., description=(
        "The criteria for which events this Automation covers and how it will respond to the presence or "
        "absence of those events"))
    actions: list[ActionTypesOrUnknown] = Field(default=..., description=(
        "The actions to perform when this Automation triggers"))
    actions_on_trigger: list[ActionTypesOrUnknown] = Field(default_factory=list, description=(
        "The actions to perform when an Automation goes into a triggered state"))
    actions_on_resolve: list[ActionTypesOrUnknown] = Field(default_factory=list, description=(
        "The actions to perform when an Automation goes into a resolving state"))
    owner_resource: Optional[str] = Field(default=None, description="The owning resource of this automation")


class Automation(AutomationCore):
    """An automation read back, with its id."""

    id: UUID = Field(default=..., description="The ID of this automation")


class AutomationInfo(Automation):
    """An automation as the server replies with it."""

    created: Optional[datetime] = None
    updated: Optional[datetime] = None


class AutomationPartialUpdate(BaseModel):
    """Body of `PATCH /api/automations/{id}`: pause (false) or resume (true)."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool


class AutomationSort(str, Enum):
    """How automations are ordered."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


class _Criteria(SchemaModel):
    pass


class AutomationFilterId(_Criteria):
    """Automations by id."""

    any_: Optional[list[UUID]] = Field(default=None, max_length=1000, description="A list of automation ids to include")


class AutomationFilterCreated(_Criteria):
    """Automations created before a time."""

    before_: Optional[datetime] = Field(default=None, description="Only include automations created before this datetime")


class AutomationFilterName(_Criteria):
    """Automations by name."""

    any_: Optional[list[_Name]] = Field(default=None, max_length=1000, description=(
        "Only include automations with names that match any of these strings"))


class AutomationFilterTags(_Criteria):
    """Automations by tags."""

    all_: Optional[list[_Name]] = Field(default=None, max_length=1000, description=(
        "Automations will be returned only if their tags are a superset of the list"))
    any_: Optional[list[_Name]] = Field(default=None, max_length=1000, description=(
        "Automations will be returned if their tags contain any of the tags in the list"))
    is_null_: Optional[bool] = Field(default=None, description="If true, only include automations without tags")


class AutomationFilter(_Criteria):
    """Which automations (every criterion given must hold)."""

    id: Optional[AutomationFilterId] = None
    name: Optional[AutomationFilterName] = None
    created: Optional[AutomationFilterCreated] = None
    tags: Optional[AutomationFilterTags] = None


class AutomationFilterRequest(BaseModel):
    """Body of `POST /api/automations/filter` and `/count`."""

    model_config = ConfigDict(extra="ignore")
    automations: Optional[AutomationFilter] = None
    sort: Optional[AutomationSort] = AutomationSort.NAME_ASC
    limit: Optional[int] = Field(default=None, ge=0, le=1000)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)


class FiredAction(BaseModel):
    """One action an automation took: the triggering event, what happened, and when."""

    id: str
    automation_id: str
    event_id: str
    action_index: int
    action_type: str
    status: Literal["running", "succeeded", "failed", "retrying"]
    attempts: int
    detail: Optional[str] = None
    created: datetime
    updated: datetime


def dump_automation(core: AutomationCore) -> dict[str, Any]:
    """The JSON document stored for an automation (its fields but id and times)."""
    return core.model_dump(mode="json", exclude={"id", "created", "updated"})


