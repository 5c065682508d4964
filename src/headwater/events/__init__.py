"""Events, at Prefect's paths: `emit_event`, `Event`, `Resource`, `RelatedResource`.

    from headwater.events import emit_event

    emit_event(event="order.shipped", resource={"prefect.resource.id": "order.42"}, payload={"items": 3})

Every state change of a flow run or task run is an event as well
(`prefect.flow-run.Completed`, ...), recorded without a call. See docs/events.md.
"""

from __future__ import annotations

from headwater.core.event_schemas import ReceivedEvent, RelatedResource, Resource
from headwater.events.clients import get_events_client, get_events_subscriber
from headwater.events.filters import EventFilter
from headwater.events.schemas.events import Event
from headwater.events.subscribers import FlowRunSubscriber
from headwater.events.utilities import emit_event

# Automations (docs/automations.md): triggers, deployment triggers and actions.
from headwater.events import actions, filters, schemas  # noqa: E402  # Prefect's submodules as attributes
from headwater.events.actions import (  # noqa: E402
    Action,
    ActionTypes,
    CallWebhook,
    CancelFlowRun,
    ChangeFlowRunState,
    DeclareIncident,
    DeleteFlowRun,
    DoNothing,
    PauseAutomation,
    PauseDeployment,
    PauseWorkPool,
    PauseWorkQueue,
    ResumeAutomation,
    ResumeDeployment,
    ResumeWorkPool,
    ResumeWorkQueue,
    RunDeployment,
    SendNotification,
    SuspendFlowRun,
    UnknownAction,
)
from headwater.events.schemas.automations import (  # noqa: E402
    Automation,
    AutomationCore,
    CompositeTrigger,
    CompoundTrigger,
    EventTrigger,
    MetricTrigger,
    MetricTriggerOperator,
    MetricTriggerQuery,
    Posture,
    ResourceSpecification,
    ResourceTrigger,
    SequenceTrigger,
    Trigger,
    TriggerTypes,
)
from headwater.events.schemas.deployment_triggers import (  # noqa: E402
    DeploymentCompoundTrigger,
    DeploymentEventTrigger,
    DeploymentMetricTrigger,
    DeploymentSequenceTrigger,
    DeploymentTriggerTypes,
)

__all__ = [
    "Event",
    "EventFilter",
    "FlowRunSubscriber",
    "ReceivedEvent",
    "RelatedResource",
    "Resource",
    "emit_event",
    "get_events_client",
    "get_events_subscriber",
    # automations
    "Action", "ActionTypes", "Automation", "AutomationCore", "CallWebhook", "CancelFlowRun", "ChangeFlowRunState",
    "CompositeTrigger", "CompoundTrigger", "DeclareIncident", "DeleteFlowRun", "DeploymentCompoundTrigger",
    "DeploymentEventTrigger", "DeploymentMetricTrigger", "DeploymentSequenceTrigger", "DeploymentTriggerTypes",
    "DoNothing", "EventTrigger", "MetricTrigger", "MetricTriggerOperator", "MetricTriggerQuery", "PauseAutomation",
    "PauseDeployment", "PauseWorkPool", "PauseWorkQueue", "Posture", "ResourceSpecification", "ResourceTrigger",
    "ResumeAutomation", "ResumeDeployment", "ResumeWorkPool", "ResumeWorkQueue", "RunDeployment", "SendNotification",
    "SequenceTrigger", "SuspendFlowRun", "Trigger", "TriggerTypes", "UnknownAction", "actions", "filters", "schemas",
]
