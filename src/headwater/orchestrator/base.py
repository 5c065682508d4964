"""The one seam between the engine and where run history goes.

The engine only ever calls these methods. `LocalOrchestrator` writes into the
embedded store; an HTTP orchestrator (server mode) sends the same records to the API.
Concurrency slots go through the same seam: the engine takes, renews and gives back
slots, and reads which tags are limited. Managing limits (create, change, delete) is
control-plane work and goes through the client (`headwater.client`), not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from headwater.orchestrator.records import Record

if TYPE_CHECKING:
    from headwater.core.limits import ConcurrencyLimitInfo, SlotGrant
    from headwater.core.settings import Settings

__all__ = ["Orchestrator"]


@runtime_checkable
class Orchestrator(Protocol):
    """Where the engine sends what happens."""

    def emit(self, record: Record) -> None:
        """Queue a record; returns at once (the hot path never waits on I/O here)."""

    def backpressure(self) -> None:
        """Block briefly if history is being produced faster than it is stored."""

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every record emitted so far is stored; False on time-out."""

    def track_flow_run(self, flow_run_id: str) -> None:
        """Start heartbeating for a flow run this process executes."""

    def untrack_flow_run(self, flow_run_id: str) -> None:
        """Stop heartbeating for a flow run."""

    def close(self) -> None:
        """Flush and release resources."""

    # -- concurrency limits (store/limits.py has the semantics; names are limit keys) --
    settings: Settings
    """The settings it was made from (lease length, poll interval, ...)."""

    def acquire_concurrency_slots(self, names: Sequence[str], slots: int, *, lease_seconds: float | None,
                                  holder: dict[str, Any], strict: bool = False) -> SlotGrant:
        """Try once to take `slots` of every limit in `names`, all or none; leased when
        `lease_seconds` is given, decaying (rate limit) when None."""

    def renew_concurrency_leases(self, lease_ids: Sequence[str], lease_seconds: float) -> list[str]:
        """Extend unexpired leases; return the ids that had lapsed."""

    def release_concurrency_slots(self, lease_id: str) -> None:
        """Give back the slots of a lease (idempotent)."""

    def list_concurrency_limits(self, *, kind: str | None = None,
                                with_holders: bool = True) -> list[ConcurrencyLimitInfo]:
        """Every limit, or those of one kind ("global" / "tag"): the engine reads which
        tags are limited before it takes their slots."""
