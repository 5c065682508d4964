"""What a lock manager does (`prefect.locking.protocol.LockManager`)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["LockManager"]


@runtime_checkable
class LockManager(Protocol):
    """Exclusive locks by key, each held by one named holder at a time."""

    def acquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                     hold_timeout: float | None = None) -> bool:
        """Take the lock of `key` for `holder`, waiting up to `acquire_timeout` seconds
        (None: as long as it takes); it frees itself after `hold_timeout` seconds if set.
        Returns whether it was taken (True at once if `holder` holds it already)."""
        ...

    async def aacquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                            hold_timeout: float | None = None) -> bool:
        """`acquire_lock` for async code: waits without blocking the event loop."""
        ...

    def release_lock(self, key: str, holder: str) -> None:
        """Release the lock of `key`.

        Raises:
            ValueError: `holder` does not hold it.
        """
        ...

    def is_locked(self, key: str) -> bool:
        """Whether someone holds the lock of `key` now."""
        ...

    def is_lock_holder(self, key: str, holder: str) -> bool:
        """Whether `holder` holds the lock of `key` now."""
        ...

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Wait until the lock of `key` is free (up to `timeout` seconds); returns whether it is."""
        ...

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """`wait_for_lock` for async code."""
        ...
