"""Background services of the server process, each a small stoppable loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.server.services.base import Service
from headwater.server.services.late_runs import LateRuns
from headwater.server.services.retention import Retention
from headwater.server.services.zombies import ZombieRuns

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["LateRuns", "Retention", "Service", "ZombieRuns", "default_services"]


def default_services(store: Store, settings: Settings) -> list[Service]:
    """The services `headwater server start` runs."""
    from headwater.server.services.pause_expirations import PauseExpirations
    from headwater.server.services.scheduler import Scheduler

    running: list[Service] = [LateRuns(store, settings), ZombieRuns(store, settings), Retention(store, settings),
                              Scheduler(store, settings), PauseExpirations(store, settings)]
    if settings.automations_enabled:
        from headwater.server.services.automations import Automations

        running.append(Automations(store, settings))
    return running
