"""Automations and their triggers at Prefect's path (`prefect.events.schemas.automations`);
see `headwater.core.triggers`, `headwater.core.automation_schemas` and docs/automations.md."""

from __future__ import annotations

from headwater.core.automation_schemas import Automation, AutomationCore
from headwater.core.triggers import (
    CompositeTrigger,
    CompoundTrigger,
    EventTrigger,
    MetricTrigger,
    MetricTriggerOperator,
    MetricTriggerQuery,
    Posture,
    PrefectMetric,
    ResourceSpecification,
    ResourceTrigger,
    SequenceTrigger,
    Trigger,
    TriggerTypes,
    trigger_discriminator,
)

__all__ = [
    "Automation",
    "AutomationCore",
    "CompositeTrigger",
    "CompoundTrigger",
    "EventTrigger",
    "MetricTrigger",
    "MetricTriggerOperator",
    "MetricTriggerQuery",
    "Posture",
    "PrefectMetric",
    "ResourceSpecification",
    "ResourceTrigger",
    "SequenceTrigger",
    "Trigger",
    "TriggerTypes",
    "trigger_discriminator",
]
