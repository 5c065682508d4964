"""Automation actions, in Prefect 3's shape: what an automation does when it fires.

Each action is a model with a `type` naming it (`run-deployment`, `call-webhook`, ...).
Actions on a deployment, work pool, work queue or automation either name it
(`source="selected"` with its id) or take it from the triggering event
(`source="inferred"`). What each does is carried out by the server
(`server/automations/acting.py`). Pure: no I/O.
"""

from __future__ import annotations

import abc
from datetime import timedelta
from typing import Annotated, Any, ClassVar, Literal, Optional, Union, cast, get_args
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from headwater.core.states import StateType
from headwater.core.triggers import SchemaModel

__all__ = [
    "Action",
    "ActionTypes",
    "ActionTypesOrUnknown",
    "AutomationAction",
    "CallWebhook",
    "CancelFlowRun",
    "ChangeFlowRunState",
    "DeclareIncident",
    "DeleteFlowRun",
    "DeploymentAction",
    "DoNothing",
    "PauseAutomation",
    "PauseDeployment",
    "PauseWorkPool",
    "PauseWorkQueue",
    "ResumeAutomation",
    "ResumeDeployment",
    "ResumeFlowRun",
    "ResumeWorkPool",
    "ResumeWorkQueue",
    "RunDeployment",
    "SendNotification",
    "SuspendFlowRun",
    "UnknownAction",
    "WorkPoolAction",
    "WorkQueueAction",
]


def _non_negative(value: timedelta) -> timedelta:
    if value < timedelta(0):
        raise ValueError("must be a non-negative duration")
    return value


class Action(SchemaModel, abc.ABC):
    """An action an automation may take when it fires."""

    type: str

    def describe_for_cli(self) -> str:
        """A short description of the action for people."""
        return self.type.replace("-", " ").capitalize()


def _check_selected(source: str, value: Any, field: str) -> None:
    if (source == "selected") != bool(value):
        raise ValueError(f"{field} is " + ("not allowed" if value else "required"))


class DoNothing(Action):
    """Do nothing when the automation fires."""

    type: Literal["do-nothing"] = "do-nothing"


class DeploymentAction(Action):
    """An action on a deployment, named or taken from the triggering event."""

    source: Literal["selected", "inferred"] = Field("selected", description=(
        "Whether the action applies to the deployment `deployment_id` names ('selected') or to the one the "
        "triggering event concerns ('inferred', no `deployment_id`)."))
    deployment_id: Optional[UUID] = Field(None, description="The identifier of the deployment")

    @model_validator(mode="after")
    def _selected_deployment_requires_id(self) -> DeploymentAction:
        _check_selected(self.source, self.deployment_id, "deployment_id")
        return self


class RunDeployment(DeploymentAction):
    """Run a deployment; parameters may be templated from the triggering event."""

    type: Literal["run-deployment"] = "run-deployment"
    parameters: Optional[dict[str, Any]] = Field(None, description=(
        "The parameters to pass to the deployment, or None to use the deployment's default parameters"))
    job_variables: Optional[dict[str, Any]] = Field(None, description=(
        "The job variables to pass to the created flow run, or None to use the deployment's defaults"))
    schedule_after: Annotated[timedelta, AfterValidator(_non_negative)] = Field(
        default_factory=lambda: timedelta(0),
        description="How long to wait before running the deployment (default: run it at once).")


class PauseDeployment(DeploymentAction):
    """Pause a deployment."""

    type: Literal["pause-deployment"] = "pause-deployment"


class ResumeDeployment(DeploymentAction):
    """Resume a deployment."""

    type: Literal["resume-deployment"] = "resume-deployment"


class ChangeFlowRunState(Action):
    """Change the state of the flow run the triggering event concerns."""

    type: Literal["change-flow-run-state"] = "change-flow-run-state"
    name: Optional[str] = Field(None, description="The name of the state to change the flow run to")
    state: StateType = Field(..., description="The type of the state to change the flow run to")
    message: Optional[str] = Field(None, description="An optional message to associate with the state change")
    force: bool = Field(False, description="Force the state change even if the transition is not allowed")


class CancelFlowRun(Action):
    """Cancel the flow run the triggering event concerns."""

    type: Literal["cancel-flow-run"] = "cancel-flow-run"


class DeleteFlowRun(Action):
    """Delete the flow run the triggering event concerns."""

    type: Literal["delete-flow-run"] = "delete-flow-run"


class ResumeFlowRun(Action):
    """Resume the paused flow run the triggering event concerns."""

    type: Literal["resume-flow-run"] = "resume-flow-run"


class SuspendFlowRun(Action):
    """Suspend the flow run the triggering event concerns."""

    type: Literal["suspend-flow-run"] = "suspend-flow-run"


class CallWebhook(Action):
    """Call a saved `Webhook` block; `payload` is a template over the triggering event."""

    type: Literal["call-webhook"] = "call-webhook"
    block_document_id: UUID = Field(description="The identifier of the webhook block to use")
    payload: str = Field(default="", description="An optional templatable payload to send when calling the webhook.")


class SendNotification(Action):
    """Send a notification through a saved notification block; subject and body are templates."""

    type: Literal["send-notification"] = "send-notification"
    block_document_id: UUID = Field(description="The identifier of the notification block to use")
    subject: str = Field("Prefect automated notification")
    body: str = Field(description="The text of the notification to send")


class WorkPoolAction(Action):
    """An action on a work pool, named or taken from the triggering event."""

    source: Literal["selected", "inferred"] = Field("selected", description=(
        "Whether the action applies to the work pool `work_pool_id` names ('selected') or to the one the "
        "triggering event concerns ('inferred')."))
    work_pool_id: Optional[UUID] = Field(None, description="The identifier of the work pool to pause")


class PauseWorkPool(WorkPoolAction):
    """Pause a work pool."""

    type: Literal["pause-work-pool"] = "pause-work-pool"


class ResumeWorkPool(WorkPoolAction):
    """Resume a work pool."""

    type: Literal["resume-work-pool"] = "resume-work-pool"


class WorkQueueAction(Action):
    """An action on a work queue, named or taken from the triggering event."""

    source: Literal["selected", "inferred"] = Field("selected", description=(
        "Whether the action applies to the work queue `work_queue_id` names ('selected') or to the one the "
        "triggering event concerns ('inferred')."))
    work_queue_id: Optional[UUID] = Field(None, description="The identifier of the work queue to pause")

    @model_validator(mode="after")
    def _selected_work_queue_requires_id(self) -> WorkQueueAction:
        _check_selected(self.source, self.work_queue_id, "work_queue_id")
        return self


class PauseWorkQueue(WorkQueueAction):
    """Pause a work queue."""

    type: Literal["pause-work-queue"] = "pause-work-queue"


class ResumeWorkQueue(WorkQueueAction):
    """Resume a work queue."""

    type: Literal["resume-work-queue"] = "resume-work-queue"


class AutomationAction(Action):
    """An action on an automation, named or taken from the triggering event."""

    source: Literal["selected", "inferred"] = Field("selected", description=(
        "Whether the action applies to the automation `automation_id` names ('selected') or to the one the "
        "triggering event concerns ('inferred')."))
    automation_id: Optional[UUID] = Field(None, description="The identifier of the automation to act on")

    @model_validator(mode="after")
    def _selected_automation_requires_id(self) -> AutomationAction:
        _check_selected(self.source, self.automation_id, "automation_id")
        return self


class PauseAutomation(AutomationAction):
    """Pause an automation."""

    type: Literal["pause-automation"] = "pause-automation"


class ResumeAutomation(AutomationAction):
    """Resume an automation."""

    type: Literal["resume-automation"] = "resume-automation"


class DeclareIncident(Action):
    """Declare an incident (Prefect Cloud only; headwater refuses to create one)."""

    type: Literal["declare-incident"] = "declare-incident"


ActionTypes = Union[
    DoNothing, RunDeployment, PauseDeployment, ResumeDeployment, ResumeFlowRun, CancelFlowRun, DeleteFlowRun,
    ChangeFlowRunState, PauseWorkQueue, ResumeWorkQueue, SendNotification, CallWebhook, PauseAutomation,
    ResumeAutomation, SuspendFlowRun, PauseWorkPool, ResumeWorkPool, DeclareIncident,
]
"""Every action headwater knows."""

_KNOWN_ACTION_TYPES: frozenset[str] = frozenset(
    action.model_fields["type"].default for action in get_args(ActionTypes))


class UnknownAction(Action):
    """An action whose type this version does not know, kept field for field."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="allow")  # keeps every field of the action
    type: str = Field(json_schema_extra={"not": {"enum": cast(Any, sorted(_KNOWN_ACTION_TYPES))}})

    @field_validator("type")
    @classmethod
    def _type_is_not_known(cls, value: str) -> str:
        if value in _KNOWN_ACTION_TYPES:
            raise ValueError(f"{value!r} is a known action type and cannot be an UnknownAction")
        return value


def _action_discriminator(value: Any) -> str:
    if isinstance(value, UnknownAction):
        return "unknown"
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return "unknown" if isinstance(kind, str) and kind not in _KNOWN_ACTION_TYPES else "known"


ActionTypesOrUnknown = Annotated[
    Union[Annotated[ActionTypes, Tag("known")], Annotated[UnknownAction, Tag("unknown")]],
    Discriminator(_action_discriminator),
]
"""An action read back: a known one, or an `UnknownAction`."""
