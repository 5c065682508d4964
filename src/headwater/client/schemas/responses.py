"""Response models of the client, as `prefect.client.schemas.responses`."""

from __future__ import annotations

from headwater.client.schemas.objects import Deployment, GlobalConcurrencyLimit

__all__ = ["DeploymentResponse", "GlobalConcurrencyLimitResponse", "OrchestrationResult", "SetStateStatus"]

import enum
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from headwater.core.states import State

DeploymentResponse = Deployment
GlobalConcurrencyLimitResponse = GlobalConcurrencyLimit


class SetStateStatus(str, enum.Enum):
    """What the orchestrator decided about a proposed state."""

    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    ABORT = "ABORT"
    WAIT = "WAIT"


class OrchestrationResult(BaseModel):
    """The answer to `set_flow_run_state`: the decision and the run's state after it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    state: Optional[State[Any]] = None
    status: SetStateStatus
    details: dict[str, Any] = {}
