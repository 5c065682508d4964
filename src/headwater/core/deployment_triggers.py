"""Deployment triggers, in Prefect 3's shape: a trigger declared with a deployment
(`flow.serve(triggers=[...])`, `deploy(triggers=...)`), which becomes an automation that
runs that deployment.

Each carries the automation's name, description and enabled flag and the run's
parameters, job variables and delay, besides the plain trigger's fields. Pure: no I/O.
"""

from __future__ import annotations

import abc
from datetime import timedelta
from typing import Annotated, Any, ClassVar, Optional, Union

from pydantic import AfterValidator, Discriminator, Field, Tag

from headwater.core.triggers import (
    CompoundTrigger,
    EventTrigger,
    MetricTrigger,
    SchemaModel,
    SequenceTrigger,
    trigger_discriminator,
)

__all__ = [
    "BaseDeploymentTrigger",
    "DeploymentCompoundTrigger",
    "DeploymentEventTrigger",
    "DeploymentMetricTrigger",
    "DeploymentSequenceTrigger",
    "DeploymentTriggerTypes",
]


def _non_negative(value: timedelta) -> timedelta:
    if value < timedelta(0):
        raise ValueError("must be a non-negative duration")
    return value


class BaseDeploymentTrigger(SchemaModel, abc.ABC):
    """The fields a deployment trigger adds: the automation's and the run's."""

    name: Optional[str] = Field(default=None, description="The name to give to the automation created for this trigger.")
    description: str = Field(default="", description="A longer description of this automation")
    enabled: bool = Field(default=True, description="Whether this automation will be evaluated")
    parameters: Optional[dict[str, Any]] = Field(default=None, description=(
        "The parameters to pass to the deployment, or None to use the deployment's default parameters"))
    job_variables: Optional[dict[str, Any]] = Field(default=None, description=(
        "Job variables to pass to the deployment, or None to use the deployment's default job variables"))
    schedule_after: Annotated[timedelta, AfterValidator(_non_negative)] = Field(
        default_factory=lambda: timedelta(0),
        description="How long to wait before running the deployment (default: run it at once).")


class DeploymentEventTrigger(BaseDeploymentTrigger, EventTrigger):
    """An `EventTrigger` that runs its deployment."""

    trigger_type: ClassVar[type] = EventTrigger


class DeploymentMetricTrigger(BaseDeploymentTrigger, MetricTrigger):
    """A `MetricTrigger` that runs its deployment (not evaluated by headwater)."""

    trigger_type: ClassVar[type] = MetricTrigger


class DeploymentCompoundTrigger(BaseDeploymentTrigger, CompoundTrigger):
    """A `CompoundTrigger` that runs its deployment."""

    trigger_type: ClassVar[type] = CompoundTrigger


class DeploymentSequenceTrigger(BaseDeploymentTrigger, SequenceTrigger):
    """A `SequenceTrigger` that runs its deployment."""

    trigger_type: ClassVar[type] = SequenceTrigger


DeploymentTriggerTypes = Annotated[
    Union[
        Annotated[DeploymentEventTrigger, Tag("event")],
        Annotated[DeploymentMetricTrigger, Tag("metric")],
        Annotated[DeploymentCompoundTrigger, Tag("compound")],
        Annotated[DeploymentSequenceTrigger, Tag("sequence")],
    ],
    Discriminator(trigger_discriminator),
]
"""Every deployment trigger a user may declare."""
