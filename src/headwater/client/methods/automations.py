"""`AutomationMethods`: Prefect's client methods for automations, part of `SyncPrefectClient`.

`create_automation`, `read_automation`, `read_automations`, `read_automations_by_name`,
`find_automation`, `update_automation`, `pause_automation`, `resume_automation`,
`delete_automation`, `read_resource_related_automations` and
`delete_resource_owned_automations`, with Prefect's arguments and results, over the
transport; the async client gets them as coroutines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.automation_schemas import (
        Automation,
        AutomationCore,
        AutomationFilter,
        AutomationInfo,
        AutomationSort,
    )

__all__ = ["AutomationMethods"]


def _automation(info: AutomationInfo) -> Automation:
    from headwater.core.automation_schemas import Automation

    return Automation.model_validate(info.model_dump())


class AutomationMethods:
    """The automations methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    def create_automation(self, automation: AutomationCore) -> UUID:
        """Create an automation; its id.

        Raises:
            ParameterValidationError: a trigger or action is malformed, or names a
                deployment, work pool, block document or automation that does not exist.
        """
        from headwater.core.automation_schemas import AutomationCore as Core

        body = Core.model_validate(automation.model_dump(exclude={"id", "created", "updated"}))
        return UUID(str(self._ops().create_automation(body).id))

    def update_automation(self, automation_id: UUID, automation: AutomationCore) -> None:
        """Replace an automation. Raises `ObjectNotFound`."""
        from headwater.core.automation_schemas import AutomationCore as Core

        body = Core.model_validate(automation.model_dump(exclude={"id", "created", "updated"}))
        self._ops().update_automation(str(automation_id), body)

    def read_automations(self, *, automations: AutomationFilter | None = None, sort: AutomationSort | None = None,
                         limit: int | None = None, offset: int = 0) -> list[Automation]:
        """The automations matching the filter."""
        from headwater.core.automation_schemas import AutomationFilterRequest

        request = AutomationFilterRequest(automations=automations, limit=limit, offset=offset)
        if sort is not None:
            request.sort = sort
        return [_automation(a) for a in self._ops().filter_automations(request)]

    def find_automation(self, id_or_name: str | UUID) -> Automation | None:
        """An automation by id, or by name (exact, then ignoring case); None if none.

        Raises:
            ObjectNotFound: an id given that no automation has.
        """
        automation_id: UUID | None
        if isinstance(id_or_name, UUID):
            automation_id, name = id_or_name, str(id_or_name)
        else:
            name = id_or_name
            try:
                automation_id = UUID(id_or_name)
            except ValueError:
                automation_id = None
        if automation_id is not None:
            return _automation(self._ops().read_automation(str(automation_id)))
        every = self.read_automations()
        for candidate in every:
            if candidate.name == name:
                return candidate
        for candidate in every:
            if candidate.name.lower() == name.lower():
                return candidate
        return None

    def read_automation(self, automation_id: UUID | str) -> Automation | None:
        """An automation by id, or None."""
        try:
            return _automation(self._ops().read_automation(str(automation_id)))
        except ObjectNotFound:
            return None

    def read_automations_by_name(self, name: str) -> list[Automation]:
        """The automations called `name`, last updated first."""
        from headwater.core.automation_schemas import (
            AutomationFilter,
            AutomationFilterName,
            AutomationFilterRequest,
            AutomationSort,
        )

        request = AutomationFilterRequest(automations=AutomationFilter(name=AutomationFilterName(any_=[name])),
                                          sort=AutomationSort.UPDATED_DESC)
        return [_automation(a) for a in self._ops().filter_automations(request)]

    def pause_automation(self, automation_id: UUID) -> None:
        """Pause an automation. Raises `ObjectNotFound`."""
        self._ops().set_automation_enabled(str(automation_id), False)

    def resume_automation(self, automation_id: UUID) -> None:
        """Resume an automation. Raises `ObjectNotFound`."""
        self._ops().set_automation_enabled(str(automation_id), True)

    def delete_automation(self, automation_id: UUID) -> None:
        """Delete an automation (nothing happens if there is none)."""
        try:
            self._ops().delete_automation(str(automation_id))
        except ObjectNotFound:
            return

    def read_resource_related_automations(self, resource_id: str) -> list[Automation]:
        """The automations that name a resource (or that it owns)."""
        return [_automation(a) for a in self._ops().related_automations(resource_id)]

    def delete_resource_owned_automations(self, resource_id: str) -> None:
        """Delete the automations a resource owns (a deployment's triggers)."""
        self._ops().delete_owned_automations(resource_id)
