"""Locks held in this process's memory (`prefect.locking.memory.MemoryLockManager`)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

__all__ = ["MemoryLockManager"]


class MemoryLockManager:
    """Locks shared by the threads of this process; not seen by other processes.

    There is one per process (as in Prefect, the class is a singleton), so two result
    stores built with `MemoryLockManager()` exclude each other.

    Example:
        >>> locks = MemoryLockManager()
        >>> locks.acquire_lock("report", holder="me")
        True
        >>> locks.release_lock("report", holder="me")
    """

    _instance: MemoryLockManager | None = None
    _condition = threading.Condition()
    # key -> (holder, expires at as time.monotonic(), or None)
    _held: dict[str, tuple[str, float | None]] = {}

    def __new__(cls) -> MemoryLockManager:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def _current(self, key: str) -> tuple[str, float | None] | None:
        """The live entry of `key` (an expired one is dropped). Call with the condition held."""
        entry = self._held.get(key)
        if entry is not None and entry[1] is not None and entry[1] <= time.monotonic():
            del self._held[key]
            self._condition.notify_all()
            return None
        return entry

    def acquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                     hold_timeout: float | None = None) -> bool:
        """See `LockManager.acquire_lock`."""
        deadline = None if acquire_timeout is None else time.monotonic() + acquire_timeout
        with self._condition:
            while True:
                entry = self._current(key)
                if entry is None or entry[0] == holder:
                    expires = None if hold_timeout is None else time.monotonic() + hold_timeout
                    self._held[key] = (holder, expires)
                    return True
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                self._condition.wait(_remaining(deadline, entry[1]))

    async def aacquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                            hold_timeout: float | None = None) -> bool:
        """See `LockManager.aacquire_lock`."""
        return await asyncio.to_thread(self.acquire_lock, key, holder, acquire_timeout, hold_timeout)

    def release_lock(self, key: str, holder: str) -> None:
        """See `LockManager.release_lock`."""
        with self._condition:
            entry = self._current(key)
            if entry is None or entry[0] != holder:
                raise ValueError(f"No lock held by {holder} for transaction with key {key}")
            del self._held[key]
            self._condition.notify_all()

    def is_locked(self, key: str) -> bool:
        """See `LockManager.is_locked`."""
        with self._condition:
            return self._current(key) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        """See `LockManager.is_lock_holder`."""
        with self._condition:
            entry = self._current(key)
            return entry is not None and entry[0] == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """See `LockManager.wait_for_lock`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while True:
                entry = self._current(key)
                if entry is None:
                    return True
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                self._condition.wait(_remaining(deadline, entry[1]))

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """See `LockManager.await_for_lock`."""
        return await asyncio.to_thread(self.wait_for_lock, key, timeout)

    def __repr__(self) -> str:
        return "MemoryLockManager()"

    def __reduce__(self) -> Any:
        return (MemoryLockManager, ())


def _remaining(deadline: float | None, expires: float | None) -> float | None:
    """How long to wait before looking again: until the deadline or the holder's expiry."""
    now = time.monotonic()
    candidates = [t - now for t in (deadline, expires) if t is not None]
    return max(min(candidates), 0.0) if candidates else None
