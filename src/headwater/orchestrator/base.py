"""The one seam between the engine and where run history goes.

The engine only ever calls these methods. `LocalOrchestrator` writes into the
embedded store; an HTTP orchestrator (server mode) sends the same records to the API.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from headwater.orchestrator.records import Record

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
