"""Deployment triggers at Prefect's path (`prefect.events.schemas.deployment_triggers`):
`flow.serve(triggers=[...])` and `deploy(triggers=...)` make each an automation that
runs the deployment; see `headwater.core.deployment_triggers`."""

from __future__ import annotations

from headwater.core.deployment_triggers import (
    BaseDeploymentTrigger,
    DeploymentCompoundTrigger,
    DeploymentEventTrigger,
    DeploymentMetricTrigger,
    DeploymentSequenceTrigger,
    DeploymentTriggerTypes,
)
from headwater.core.triggers import trigger_discriminator as deployment_trigger_discriminator

__all__ = [
    "BaseDeploymentTrigger",
    "DeploymentCompoundTrigger",
    "DeploymentEventTrigger",
    "DeploymentMetricTrigger",
    "DeploymentSequenceTrigger",
    "DeploymentTriggerTypes",
    "deployment_trigger_discriminator",
]
