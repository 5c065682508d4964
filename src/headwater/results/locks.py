"""Isolation between identical calls: one file lock per record, on this machine.

With `isolation_level="SERIALIZABLE"`, a task run holds the lock of its record from
before it looks the record up until after it has written it. Identical calls in
other threads or processes wait on the lock, then find the record and use it, so
the work is done once. The locks are `flock` locks (the `filelock` library): the
operating system drops them when their process dies, so a crashed holder never
blocks the others for good.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

__all__ = ["RecordLock"]

# Which thread of this process holds each record's lock. Async task runs share one
# event loop thread: one of them waiting for a lock another holds on that thread
# would stop the loop for good, so `held_by_this_thread` lets the caller not wait.
_holders: dict[str, int] = {}


class RecordLock:
    """The lock guarding one record."""

    def __init__(self, folder: Path, location: str) -> None:
        from filelock import FileLock

        name = hashlib.blake2b(location.encode(), digest_size=16).hexdigest()
        os.makedirs(folder, exist_ok=True)
        # thread_local=False: the run's end (which releases) may run in another thread
        # than its start for async tasks.
        self._lock = FileLock(str(folder / f"{name}.lock"), thread_local=False)
        self.location = location

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether it was taken."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        _holders[self.location] = threading.get_ident()
        return True

    def acquire(self) -> None:
        """Wait for the lock and take it."""
        self._lock.acquire(timeout=-1)
        _holders[self.location] = threading.get_ident()

    def held_by_this_thread(self) -> bool:
        """Whether another run on this very thread holds the lock (waiting would never end)."""
        return _holders.get(self.location) == threading.get_ident()

    def release(self) -> None:
        if self._lock.is_locked:
            _holders.pop(self.location, None)
            self._lock.release()
