"""Automations from Python, at Prefect's path (`prefect.automations`).

    from headwater.automations import Automation, EventTrigger, RunDeployment

    Automation(
        name="rerun on failure",
        trigger=EventTrigger(expect={"prefect.flow-run.Failed"},
                             match_related={"prefect.resource.id": "prefect.flow.etl"}),
        actions=[RunDeployment(deployment_id=deployment.id)],
    ).create()

`create`, `read` (by id or name), `update`, `disable`/`enable` (pause and resume) and
`delete`, each synchronous in sync code and a coroutine in async code (and `a`-prefixed
coroutines: `acreate`, `aread`, ...), through the client: the embedded database, or
the server at `HEADWATER_API_URL`. Triggers are evaluated by the server
(`headwater server start`); see docs/automations.md.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional
from uuid import UUID

from pydantic import Field

from headwater.core.actions import (
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
)
from headwater.core.automation_schemas import AutomationCore
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
)

__all__ = [
    "Automation",
    "AutomationCore",
    "CallWebhook",
    "CancelFlowRun",
    "ChangeFlowRunState",
    "CompositeTrigger",
    "CompoundTrigger",
    "DeclareIncident",
    "DeleteFlowRun",
    "DoNothing",
    "EventTrigger",
    "MetricTrigger",
    "MetricTriggerOperator",
    "MetricTriggerQuery",
    "PauseAutomation",
    "PauseDeployment",
    "PauseWorkPool",
    "PauseWorkQueue",
    "Posture",
    "PrefectMetric",
    "ResourceSpecification",
    "ResourceTrigger",
    "ResumeAutomation",
    "ResumeDeployment",
    "ResumeWorkPool",
    "ResumeWorkQueue",
    "RunDeployment",
    "SendNotification",
    "SequenceTrigger",
    "SuspendFlowRun",
    "Trigger",
]


def _client() -> Any:
    from headwater.client.sync_client import SyncPrefectClient

    return SyncPrefectClient()


def _dispatch(sync_call: Any, sync: Optional[bool]) -> Any:
    from headwater.core.async_dispatch import dispatch

    return dispatch(sync_call, lambda: asyncio.to_thread(sync_call), sync)


def _core(automation: AutomationCore, *exclude: str) -> AutomationCore:
    return AutomationCore(**automation.model_dump(exclude={"id", *exclude}))


class Automation(AutomationCore):
    """An automation to create, or one read back (with its `id`)."""

    id: Optional[UUID] = Field(default=None, description="The ID of this automation")

    # -- create ------------------------------------------------------------------------
    def _create(self) -> Automation:
        with _client() as client:
            self.id = client.create_automation(automation=_core(self))
        return self

    def create(self, _sync: Optional[bool] = None) -> Any:
        """Create this automation; returns it with its `id` (a coroutine in async code).

        Raises:
            ParameterValidationError: a trigger or action is malformed, or an action names
                a deployment, work pool, block document or automation that does not exist.
        """
        return _dispatch(self._create, _sync)

    async def acreate(self) -> Automation:
        """`create` for async code."""
        return await asyncio.to_thread(self._create)

    # -- update ------------------------------------------------------------------------
    def _update(self) -> None:
        if self.id is None:
            raise ValueError("Can't update an automation without an id")
        with _client() as client:
            client.update_automation(automation_id=self.id, automation=_core(self, "owner_resource"))

    def update(self, _sync: Optional[bool] = None) -> Any:
        """Save this automation's fields over the stored one (a coroutine in async code)."""
        return _dispatch(self._update, _sync)

    async def aupdate(self) -> None:
        """`update` for async code."""
        await asyncio.to_thread(self._update)

    # -- read --------------------------------------------------------------------------
    @classmethod
    def _read(cls, id: Optional[UUID] = None, name: Optional[str] = None) -> Automation:
        if id and name:
            raise ValueError("Only one of id or name can be provided")
        if not id and not name:
            raise ValueError("One of id or name must be provided")
        with _client() as client:
            if id:
                found = client.read_automation(automation_id=id)
                if found is None:
                    raise ValueError(f"Automation with ID {id!r} not found")
                return cls(**found.model_dump())
            named = client.read_automations_by_name(name=str(name))
            if named:
                return cls(**named[0].model_dump())
            raise ValueError(f"Automation with name {name!r} not found")

    @classmethod
    def read(cls, id: Optional[UUID] = None, name: Optional[str] = None, _sync: Optional[bool] = None) -> Any:
        """An automation by id or by name (a coroutine in async code).

        Raises:
            ValueError: none, or both, of id and name given; or no such automation.
        """
        return _dispatch(lambda: cls._read(id, name), _sync)

    @classmethod
    async def aread(cls, id: Optional[UUID] = None, name: Optional[str] = None) -> Automation:
        """`read` for async code."""
        return await asyncio.to_thread(cls._read, id, name)

    # -- delete, disable, enable --------------------------------------------------------
    def _change(self, what: str) -> bool:
        from headwater.exceptions import ObjectNotFound

        if self.id is None:
            raise ValueError(f"Can't {what} an automation without an id")
        with _client() as client:
            try:
                if what == "delete":
                    client._ops().delete_automation(str(self.id))  # the client's own hides a missing one
                else:
                    client._ops().set_automation_enabled(str(self.id), what == "enable")
            except ObjectNotFound:
                return False
        if what != "delete":
            self.enabled = what == "enable"
        return True

    def delete(self, _sync: Optional[bool] = None) -> Any:
        """Delete this automation; False if it did not exist (a coroutine in async code)."""
        return _dispatch(lambda: self._change("delete"), _sync)

    async def adelete(self) -> bool:
        """`delete` for async code."""
        return await asyncio.to_thread(self._change, "delete")

    def disable(self, _sync: Optional[bool] = None) -> Any:
        """Pause this automation; False if it does not exist (a coroutine in async code)."""
        return _dispatch(lambda: self._change("disable"), _sync)

    async def adisable(self) -> bool:
        """`disable` for async code."""
        return await asyncio.to_thread(self._change, "disable")

    def enable(self, _sync: Optional[bool] = None) -> Any:
        """Resume this automation; False if it does not exist (a coroutine in async code)."""
        return _dispatch(lambda: self._change("enable"), _sync)

    async def aenable(self) -> bool:
        """`enable` for async code."""
        return await asyncio.to_thread(self._change, "enable")
