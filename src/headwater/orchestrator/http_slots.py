"""Concurrency slots in client mode: the engine's hot-path slot calls, over the API.

`HttpSlots` is mixed into `HttpOrchestrator`. Each method is one request to the
server's `/v2/concurrency_limits` endpoints (server/api/concurrency_limits.py) and
returns what the embedded store's method returns, raising the same exceptions:
`ConcurrencyLimitError` for a bad request (the server's 409 and 422),
`StoreError` when the server is unreachable. Managing limits is not here: it is
control-plane work, done through the client (`headwater.client`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from headwater.core.limits import ConcurrencyLimitError, ConcurrencyLimitInfo, SlotGrant

if TYPE_CHECKING:
    from headwater.orchestrator.http import ApiClient

__all__ = ["HttpSlots"]

_BASE = "v2/concurrency_limits"
# The server's replies to a request for slots: granted, refused (full), refused (strict, missing).
_GRANT_STATUSES = frozenset({200, 404, 423})


class HttpSlots:
    """The concurrency-slot methods of `HttpOrchestrator` (see the module docstring)."""

    client: ApiClient

    def _limits_call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        """One request; 409/422 become `ConcurrencyLimitError`, other failures the client's errors."""
        try:
            response = self.client.send(method, path, json=body)
        except httpx.TransportError as exc:
            raise self.client.unreachable(exc) from None
        if response.status_code in (409, 422):
            from headwater.orchestrator.http import response_detail

            raise ConcurrencyLimitError(response_detail(response))
        return response

    def _limits_json(self, method: str, path: str, body: Any = None) -> Any:
        return self.client.check(self._limits_call(method, path, body), f"{method} /{path}")

    # -- taking and giving back slots ------------------------------------------------
    def acquire_concurrency_slots(self, names: Sequence[str], slots: int, *, lease_seconds: float | None,
                                  holder: dict[str, Any], strict: bool = False) -> SlotGrant:
        """Try once to take `slots` of every limit in `names` (keys), all or none."""
        body: dict[str, Any] = {"names": list(names), "slots": slots, "holder": holder, "strict": strict,
                                "mode": "rate_limit" if lease_seconds is None else "concurrency"}
        if lease_seconds is not None:
            body["lease_duration"] = lease_seconds
        response = self._limits_call("POST", f"{_BASE}/increment-with-lease", body)
        if response.status_code in _GRANT_STATUSES:
            reply = response.json() if response.content else None
            if isinstance(reply, dict) and "granted" in reply:
                return SlotGrant.model_validate(reply)
        self.client.check(response, "POST /v2/concurrency_limits/increment-with-lease")
        raise ConcurrencyLimitError(f"the headwater server at {self.client.url} answered {response.status_code} "
                                    "to a request for slots without saying whether they were granted")

    def renew_concurrency_leases(self, lease_ids: Sequence[str], lease_seconds: float) -> list[str]:
        """Extend unexpired leases to `lease_seconds` from now; return the ids that had lapsed."""
        if not lease_ids:
            return []
        reply = self._limits_json("POST", f"{_BASE}/leases/renew",
                                  {"lease_ids": list(lease_ids), "lease_duration": lease_seconds})
        return list(reply["lost"])

    def release_concurrency_slots(self, lease_id: str) -> None:
        """Give back the slots of a lease (nothing happens if it already expired or was released)."""
        self._limits_json("POST", f"{_BASE}/decrement-with-lease", {"lease_id": lease_id})

    # -- which limits exist (the engine asks which tags are limited) ----------------
    def list_concurrency_limits(self, *, kind: str | None = None,
                                with_holders: bool = True) -> list[ConcurrencyLimitInfo]:
        """Every limit (or only `kind` "global" / "tag"), by name, with its slots in use."""
        reply = self._limits_json("POST", f"{_BASE}/filter", {"kind": kind, "with_holders": with_holders})
        return [ConcurrencyLimitInfo.model_validate(item) for item in reply]
