"""`kept_client()`: one synchronous client per process and settings, kept open.

What `Variable.get`, `Block.load` and artifacts made outside a run call, so that each
costs a query (or a request), not a new connection. A client opened for settings that
have since been replaced (`temporary_settings`, tests) is closed when the new one opens;
all are closed at exit; a forked child forgets its parent's and opens its own.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.client.sync_client import SyncPrefectClient
    from headwater.core.settings import Settings

__all__ = ["close_kept_clients", "kept_client"]

_clients: dict[int, tuple[Settings, SyncPrefectClient]] = {}
_lock = threading.Lock()


def kept_client() -> SyncPrefectClient:
    """The process's client for the current settings, opened on first use."""
    from headwater.core.settings import get_settings

    settings = get_settings()
    kept = _clients.get(id(settings))
    if kept is not None and kept[0] is settings:
        return kept[1]
    from headwater.client.sync_client import SyncPrefectClient

    with _lock:
        kept = _clients.get(id(settings))
        if kept is None or kept[0] is not settings:
            for _, old in _clients.values():  # settings were replaced: the old client is done
                old.close()
            _clients.clear()
            kept = _clients[id(settings)] = (settings, SyncPrefectClient(settings))
    return kept[1]


def close_kept_clients() -> None:
    """Close every kept client (at exit; tests that change settings may call it too)."""
    with _lock:
        for _, client in _clients.values():
            client.close()
        _clients.clear()


atexit.register(close_kept_clients)
os.register_at_fork(after_in_child=_clients.clear)
