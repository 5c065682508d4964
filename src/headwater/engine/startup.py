"""Getting a process ready to record runs: settings, logging, orchestrator."""

from __future__ import annotations

from headwater.engine.logging import configure_logging
from headwater.orchestrator import Orchestrator, get_orchestrator

__all__ = ["orchestrator_for_new_run"]


def orchestrator_for_new_run() -> Orchestrator:
    """The orchestrator a top-level run records into, with logging configured."""
    orchestrator = get_orchestrator()
    configure_logging(orchestrator.settings)  # type: ignore[attr-defined]
    return orchestrator
