"""Getting a process ready to record runs: plugins, settings, logging, orchestrator."""

from __future__ import annotations

from headwater.engine.logging import configure_logging
from headwater.orchestrator import Orchestrator, get_orchestrator

__all__ = ["orchestrator_for_new_run"]

_plugins_checked = False


def orchestrator_for_new_run() -> Orchestrator:
    """The orchestrator a top-level run records into, with logging configured."""
    global _plugins_checked
    if not _plugins_checked:
        _plugins_checked = True
        _run_plugin_hooks()
    orchestrator = get_orchestrator()
    configure_logging(orchestrator.settings)
    return orchestrator


def _run_plugin_hooks() -> None:
    # Plugins may set environment variables (HEADWATER_API_URL, cloud credentials), so
    # they run before the orchestrator reads its settings; only when enabled.
    from headwater.core.settings import get_settings, reset_settings

    settings = get_settings()
    if settings.plugins_enabled:
        from headwater.plugins import run_startup_hooks_once

        if run_startup_hooks_once(settings):
            reset_settings()
