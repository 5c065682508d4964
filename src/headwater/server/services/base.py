"""A background service: one small loop in its own thread, stoppable at once."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from headwater.core import clock

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["Service"]

log = logging.getLogger("headwater.server.services")


class Service:
    """Calls `run_once(now)` every `interval` seconds until stopped.

    A failing pass is logged and the loop goes on: a database that is briefly
    unreachable must not end the service. Subclasses set `name` and implement
    `run_once`, which returns how many runs it changed.

    Args:
        store: the server's store.
        settings: the server's settings (intervals and thresholds).
        interval: seconds between passes; default `settings.services_interval_seconds`.
    """

    name = "service"

    def __init__(self, store: Store, settings: Settings, *, interval: float | None = None) -> None:
        self.store = store
        self.settings = settings
        self.interval = interval if interval is not None else settings.services_interval_seconds
        self.started_at = clock.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: float) -> int:
        """Do one pass of the service's work at time `now`."""
        raise NotImplementedError

    def start(self) -> None:
        """Start the loop in a daemon thread."""
        self.started_at = clock.now()
        self._thread = threading.Thread(target=self._loop, name=f"headwater-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end and wait for it (a pass in progress finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                changed = self.run_once(clock.now())
            except Exception as exc:  # logged, and tried again next interval
                log.warning("%s: pass failed, trying again in %.0f s: %s", self.name, self.interval, exc)
                continue
            if changed:
                log.info("%s: %d run(s) updated", self.name, changed)
