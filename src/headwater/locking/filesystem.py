"""Locks as files in a directory (`prefect.locking.filesystem.FileSystemLockManager`).

A lock is a file `<key>.lock` created with `O_EXCL` (exactly one creator wins, across
processes), holding JSON: who holds it and until when. Waiting for a lock another
process holds means looking at the file again, at a growing interval (at most 0.2 s).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

__all__ = ["FileSystemLockManager"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_MAX_POLL = 0.2


class FileSystemLockManager:
    """Locks shared by the processes of one machine, through files in `lock_files_directory`.

    Example:
        >>> locks = FileSystemLockManager(lock_files_directory="locks")  # doctest: +SKIP
        >>> locks.acquire_lock("report", holder="me", hold_timeout=60)  # doctest: +SKIP
        True
    """

    def __init__(self, lock_files_directory: str | os.PathLike[str]) -> None:
        self.lock_files_directory = Path(lock_files_directory).expanduser().absolute()

    def _path(self, key: str) -> Path:
        name = _SAFE.sub("_", key)
        if name != key or len(name) > 100:  # keys differing only in unsafe characters stay apart
            name = f"{name[:60]}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}"
        return self.lock_files_directory / f"{name}.lock"

    def _read(self, path: Path) -> dict[str, Any] | None:
        """The live lock at `path`, or None (no file, or an expired or unreadable one, removed)."""
        try:
            loaded = json.loads(path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            loaded = None  # half-written by a creator that died: treat as expired
        info: dict[str, Any] = loaded if isinstance(loaded, dict) else {}  # not a holder's record: expired too
        expires = info.get("expires")
        if "holder" in info and (expires is None or expires > time.time()):
            return info
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        return None

    def _try_create(self, path: Path, holder: str, hold_timeout: float | None) -> bool:
        expires = None if hold_timeout is None else time.time() + hold_timeout
        data = json.dumps({"holder": holder, "expires": expires}).encode()
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return True

    def acquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                     hold_timeout: float | None = None) -> bool:
        """See `LockManager.acquire_lock`."""
        os.makedirs(self.lock_files_directory, exist_ok=True)
        path = self._path(key)
        deadline = None if acquire_timeout is None else time.monotonic() + acquire_timeout
        pause = 0.005
        while True:
            if self._try_create(path, holder, hold_timeout):
                return True
            info = self._read(path)
            if info is not None and info["holder"] == holder:
                expires = None if hold_timeout is None else time.time() + hold_timeout
                path.write_text(json.dumps({"holder": holder, "expires": expires}))
                return True
            if info is None:
                continue  # freed (or expired) just now: try again at once
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(pause if deadline is None else min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, _MAX_POLL)

    async def aacquire_lock(self, key: str, holder: str, acquire_timeout: float | None = None,
                            hold_timeout: float | None = None) -> bool:
        """See `LockManager.aacquire_lock`."""
        return await asyncio.to_thread(self.acquire_lock, key, holder, acquire_timeout, hold_timeout)

    def release_lock(self, key: str, holder: str) -> None:
        """See `LockManager.release_lock`."""
        path = self._path(key)
        info = self._read(path)
        if info is None or info["holder"] != holder:
            raise ValueError(f"No lock held by {holder} for transaction with key {key}")
        path.unlink(missing_ok=True)

    def is_locked(self, key: str) -> bool:
        """See `LockManager.is_locked`."""
        return self._read(self._path(key)) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        """See `LockManager.is_lock_holder`."""
        info = self._read(self._path(key))
        return info is not None and info["holder"] == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """See `LockManager.wait_for_lock`."""
        path = self._path(key)
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.005
        while self._read(path) is not None:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(pause if deadline is None else min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, _MAX_POLL)
        return True

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """See `LockManager.await_for_lock`."""
        return await asyncio.to_thread(self.wait_for_lock, key, timeout)

    def __repr__(self) -> str:
        return f"FileSystemLockManager(lock_files_directory={str(self.lock_files_directory)!r})"
