"""How the engine reaches run history: one orchestrator per process.

`get_orchestrator()` returns the process's orchestrator, creating it on first use
from the settings. It is flushed and closed at interpreter exit, so a script's
history is complete when `python flow.py` returns; if some of it could not be
written, the process says so on stderr and exits with status 1.
"""

from __future__ import annotations

import atexit
import os
import threading

from typing import TYPE_CHECKING

from headwater.orchestrator.base import Orchestrator

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["Orchestrator", "current_orchestrator", "get_orchestrator", "set_orchestrator", "shutdown"]

_lock = threading.Lock()
_current: Orchestrator | None = None
_pid: int | None = None


def get_orchestrator(settings: Settings | None = None) -> Orchestrator:
    """Return this process's orchestrator, creating it from `settings` on first use."""
    global _current, _pid
    current = _current
    if current is not None and _pid == os.getpid():
        return current
    with _lock:
        if _current is None or _pid != os.getpid():
            if settings is None:
                from headwater.core.settings import get_settings

                settings = get_settings()
            if settings.api_url:
                from headwater.orchestrator.http import HttpOrchestrator

                _current = HttpOrchestrator(settings)
            else:
                from headwater.orchestrator.local import LocalOrchestrator

                _current = LocalOrchestrator(settings)
            _pid = os.getpid()
        return _current


def current_orchestrator() -> Orchestrator | None:
    """This process's orchestrator if one was created, else None (never creates one)."""
    current = _current
    return current if current is not None and _pid == os.getpid() else None


def set_orchestrator(orchestrator: Orchestrator | None) -> Orchestrator | None:
    """Install `orchestrator` as the process's (None: create anew on next use); returns the old one."""
    global _current, _pid
    with _lock:
        previous, _current, _pid = _current, orchestrator, os.getpid()
    return previous


def shutdown() -> None:
    """Flush and close the process's orchestrator, if any."""
    global _current
    with _lock:
        current, _current = _current, None
    if current is not None and _pid == os.getpid():
        current.close()


def _shutdown_at_exit() -> None:
    # History that could not be written was reported and spilled by `close()`; the
    # process then exits non-zero (as `python flow.py` would with an error), whatever
    # status it was ending with.
    with _lock:
        current = _current
    shutdown()
    if current is not None and getattr(current, "history_incomplete", False):
        import logging
        import sys

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(1)


atexit.register(_shutdown_at_exit)
