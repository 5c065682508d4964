"""The HTTP transport's requests for automations (`server/api/automations.py`),
composed into `HttpTransport` (`client/http.py`), which holds the connection, the
retry rules and `_call`. POSTed filters and counts are reads, safe to send again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from headwater.core.automation_schemas import AutomationCore, AutomationFilterRequest, AutomationInfo, FiredAction

__all__ = ["AutomationRequests"]


def _seg(value: str) -> str:
    return quote(value, safe="")


class AutomationRequests:
    """Automations as requests to `/api/automations`."""

    def _call(self, method: str, path: str, body: Any = None, params: Any = None, *,
              idempotent: bool | None = None) -> Any:
        raise NotImplementedError  # HttpTransport's

    def create_automation(self, body: AutomationCore) -> AutomationInfo:
        from headwater.core.automation_schemas import AutomationInfo

        return AutomationInfo.model_validate(self._call("POST", "automations/", body.model_dump(mode="json")))

    def read_automation(self, automation_id: str) -> AutomationInfo:
        from headwater.core.automation_schemas import AutomationInfo

        return AutomationInfo.model_validate(self._call("GET", f"automations/{_seg(automation_id)}"))

    def filter_automations(self, request: AutomationFilterRequest) -> list[AutomationInfo]:
        from headwater.core.automation_schemas import AutomationInfo

        found = self._call("POST", "automations/filter", request.model_dump(mode="json"), idempotent=True)
        return [AutomationInfo.model_validate(a) for a in found]

    def count_automations(self, request: AutomationFilterRequest) -> int:
        return int(self._call("POST", "automations/count", request.model_dump(mode="json"), idempotent=True))

    def update_automation(self, automation_id: str, body: AutomationCore) -> AutomationInfo:
        self._call("PUT", f"automations/{_seg(automation_id)}", body.model_dump(mode="json"))
        return self.read_automation(automation_id)

    def set_automation_enabled(self, automation_id: str, enabled: bool) -> AutomationInfo:
        self._call("PATCH", f"automations/{_seg(automation_id)}", {"enabled": enabled})
        return self.read_automation(automation_id)

    def delete_automation(self, automation_id: str) -> None:
        self._call("DELETE", f"automations/{_seg(automation_id)}")

    def delete_owned_automations(self, resource_id: str) -> int:
        self._call("DELETE", f"automations/owned-by/{_seg(resource_id)}")
        return 0  # the route answers 202 without a count

    def related_automations(self, resource_id: str) -> list[AutomationInfo]:
        from headwater.core.automation_schemas import AutomationInfo

        return [AutomationInfo.model_validate(a) for a in self._call("GET", f"automations/related-to/{_seg(resource_id)}")]

    def automation_actions(self, automation_id: str | None = None, limit: int = 50) -> list[FiredAction]:
        from headwater.core.automation_schemas import FiredAction

        if automation_id is None:
            raise ValueError("automation_actions over HTTP needs an automation id")
        found = self._call("GET", f"automations/{_seg(automation_id)}/actions", params={"limit": limit})
        return [FiredAction.model_validate(a) for a in found]
