"""`AutomationOperations`: the automations part of the control plane (`Operations`
inherits it).

The rules beyond one query live here, once, for the server's routes and the
in-process transport alike: an automation is checked when created or replaced, so a
mistake is refused then rather than found when it fires: a deployment, work pool,
block document or automation an action names must exist, templates must parse, and
what headwater does not evaluate (metric triggers, incidents, work queues) is refused
with the reason. Evaluating triggers and taking actions is the server's trigger
service (`server/services/automations.py`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.automation_schemas import (
        AutomationCore,
        AutomationFilterRequest,
        AutomationInfo,
        FiredAction,
    )
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["AutomationOperations"]

log = logging.getLogger("headwater.operations")

_REFUSED_ACTIONS = {
    "declare-incident": "incidents are a Prefect Cloud feature",
    "pause-work-queue": "headwater's work pools have no separate work queues; pause the work pool instead",
    "resume-work-queue": "headwater's work pools have no separate work queues; resume the work pool instead",
}


def _walk_triggers(trigger: Any) -> list[Any]:
    found = [trigger]
    for inner in getattr(trigger, "triggers", None) or []:
        found += _walk_triggers(inner)
    return found


class AutomationOperations:
    """Create, read, list, change, pause, resume and delete automations."""

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

        def read_deployment(self, ref: str) -> Any: ...
        def list_work_pools(self) -> Any: ...
        def read_block_document(self, block_document_id: str, include_secrets: bool = False) -> Any: ...

    def check_automation(self, body: AutomationCore) -> None:
        """Refuse an automation headwater could not carry out, naming the field.

        Raises:
            ParameterValidationError: what is wrong, and where.
        """
        from headwater.exceptions import ObjectNotFound, ParameterValidationError
        from headwater.operations.automation_templates import check_template

        for trigger in _walk_triggers(body.trigger):
            if getattr(trigger, "type", None) == "metric":
                raise ParameterValidationError(
                    "trigger: metric triggers are a Prefect Cloud feature headwater does not evaluate; "
                    "use an event trigger (posture Reactive or Proactive)")
        groups = (("actions", body.actions), ("actions_on_trigger", body.actions_on_trigger),
                  ("actions_on_resolve", body.actions_on_resolve))
        for group, actions in groups:
            for index, action in enumerate(actions):
                where = f"{group}[{index}]"
                kind = action.type
                if kind in _REFUSED_ACTIONS:
                    raise ParameterValidationError(f"{where}.type: {kind!r} is not supported: {_REFUSED_ACTIONS[kind]}")
                if type(action).__name__ == "UnknownAction":
                    raise ParameterValidationError(f"{where}.type: unknown action type {kind!r}")
                try:
                    self._check_target(action, where)
                except ObjectNotFound as exc:
                    raise ParameterValidationError(str(exc)) from None
                for field in ("payload", "subject", "body"):
                    text = getattr(action, field, None)
                    if isinstance(text, str):
                        check_template(text, f"{where}.{field}")
                parameters = getattr(action, "parameters", None)
                if parameters:
                    check_template(parameters, f"{where}.parameters")

    def _check_target(self, action: Any, where: str) -> None:
        from headwater.exceptions import ObjectNotFound

        if getattr(action, "source", "selected") != "selected":
            return
        if getattr(action, "deployment_id", None) is not None:
            try:
                self.read_deployment(str(action.deployment_id))
            except ObjectNotFound:
                raise ObjectNotFound(f"{where}.deployment_id: no deployment with id {action.deployment_id} "
                                     "(list them with `headwater deployment ls`)") from None
        if getattr(action, "work_pool_id", None) is not None:
            if str(action.work_pool_id) not in {str(p.id) for p in self.list_work_pools()}:
                raise ObjectNotFound(f"{where}.work_pool_id: no work pool with id {action.work_pool_id} "
                                     "(list them with `headwater work-pool ls`)")
        if getattr(action, "automation_id", None) is not None:
            try:
                self.store.automations.read(str(action.automation_id))
            except ObjectNotFound:
                raise ObjectNotFound(f"{where}.automation_id: no automation with id {action.automation_id}") from None
        if getattr(action, "block_document_id", None) is not None:
            try:
                self.read_block_document(str(action.block_document_id))
            except ObjectNotFound:
                raise ObjectNotFound(f"{where}.block_document_id: no block document with id "
                                     f"{action.block_document_id} (list them with `headwater block ls`)") from None

    def create_automation(self, body: AutomationCore) -> AutomationInfo:
        """Create an automation, checked first (`check_automation`)."""
        from headwater.core.automation_schemas import dump_automation

        self.check_automation(body)
        return self.store.automations.create(dump_automation(body))

    def read_automation(self, automation_id: str) -> AutomationInfo:
        """An automation by id. Raises `ObjectNotFound`."""
        return self.store.automations.read(automation_id)

    def filter_automations(self, request: AutomationFilterRequest) -> list[AutomationInfo]:
        """The automations matching the request, in its order."""
        return self.store.automations.filter(request.automations, sort=request.sort, limit=request.limit,
                                             offset=request.offset)

    def count_automations(self, request: AutomationFilterRequest) -> int:
        """How many automations match the request's filter."""
        return self.store.automations.count(request.automations)

    def update_automation(self, automation_id: str, body: AutomationCore) -> AutomationInfo:
        """Replace an automation (checked as on creation). Raises `ObjectNotFound`."""
        from headwater.core.automation_schemas import dump_automation

        self.store.automations.read(automation_id)
        self.check_automation(body)
        return self.store.automations.replace(automation_id, dump_automation(body))

    def set_automation_enabled(self, automation_id: str, enabled: bool) -> AutomationInfo:
        """Pause (False) or resume (True) an automation. Raises `ObjectNotFound`."""
        return self.store.automations.set_enabled(automation_id, enabled)

    def delete_automation(self, automation_id: str) -> None:
        """Delete an automation. Raises `ObjectNotFound`."""
        self.store.automations.delete(automation_id)

    def delete_owned_automations(self, resource_id: str) -> int:
        """Delete the automations a resource owns (a deployment's triggers); how many."""
        return self.store.automations.delete_owned_by(resource_id)

    def related_automations(self, resource_id: str) -> list[AutomationInfo]:
        """The automations that name a resource (or that it owns)."""
        return self.store.automations.related_to(resource_id)

    def automation_actions(self, automation_id: str | None = None, limit: int = 50) -> list[FiredAction]:
        """The latest actions automations took (one automation's, or all), newest first."""
        return self.store.automations.list_actions(automation_id, limit=limit)
