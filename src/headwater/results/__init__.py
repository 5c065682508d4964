"""Result persistence: values written as records into a storage, read back later.

    storage.py      where records live (local directory, or any fsspec URL)
    records.py      the record format: header (serializer, expiry, keys) + payload
    serializers.py  "pickle" (cloudpickle, default) and "json"
    keys.py         safe `result_storage_key` templates
    store.py        write_result / read_result / ResultReference
    locks.py        file locks for isolation_level="SERIALIZABLE"

The engine uses these through engine/caching.py. This module also holds the names
Prefect code imports from `prefect.results`: `ResultStore` (what transactions read
and write records through), `ResultRecord` and `get_result_store()`.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from headwater.exceptions import ConfigurationError
from headwater.results.defaults import (
    DEFAULT_STORAGE_KEY_FN,
    aget_default_result_storage,
    aresolve_result_storage,
    get_default_persist_setting,
    get_default_persist_setting_for_tasks,
    get_default_result_serializer,
    get_default_result_storage,
    get_or_create_default_task_scheduling_storage,
    resolve_result_storage,
    should_persist_result,
)
from headwater.results.errors import CorruptRecord, SerializationError, UnsafeStorageKey
from headwater.results.keys import check_storage_key, check_template, render_storage_key
from headwater.results.records import RecordHeader
from headwater.results.serializers import JSONSerializer, PickleSerializer, Serializer, resolve_serializer
from headwater.results.storage import ResultStorage, open_storage
from headwater.results.store import ResultReference, StoredResult, read_result, write_result

__all__ = [
    "DEFAULT_STORAGE_KEY_FN",
    "aget_default_result_storage",
    "aresolve_result_storage",
    "get_default_persist_setting",
    "get_default_persist_setting_for_tasks",
    "get_default_result_serializer",
    "get_default_result_storage",
    "get_or_create_default_task_scheduling_storage",
    "resolve_result_storage",
    "should_persist_result",
    "CorruptRecord",
    "ResultRecord",
    "ResultStore",
    "get_result_store",
    "result_storage_of",
    "result_store_for",
    "JSONSerializer",
    "PickleSerializer",
    "RecordHeader",
    "ResultReference",
    "ResultStorage",
    "SerializationError",
    "Serializer",
    "StoredResult",
    "UnsafeStorageKey",
    "check_storage_key",
    "check_template",
    "open_storage",
    "read_result",
    "render_storage_key",
    "resolve_serializer",
    "write_result",
]


class ResultRecord:
    """A record read back through a `ResultStore`: `result` is the value, `metadata` its header."""

    __slots__ = ("result", "metadata")

    def __init__(self, result: Any, metadata: RecordHeader | None = None) -> None:
        self.result = result
        self.metadata = metadata

    def __repr__(self) -> str:
        return f"ResultRecord(result={self.result!r})"


class ResultStore:
    """Records by key in one storage, with optional locks (`prefect.results.ResultStore`).

    Args:
        result_storage: a directory, an fsspec URL, or a filesystem object such as
            `headwater.filesystems.LocalFileSystem` (None: the default result storage).
        lock_manager: needed for `isolation_level=SERIALIZABLE`, e.g.
            `headwater.locking.memory.MemoryLockManager()`.
        serializer: "pickle" (default), "json", or a serializer object.

    Example:
        >>> store = ResultStore(result_storage="results")  # doctest: +SKIP
        >>> store.write(42, key="answer"); store.read("answer").result  # doctest: +SKIP
        42
    """

    def __init__(self, result_storage: Any = None, lock_manager: Any = None, serializer: Any = None,
                 cache_result_in_memory: bool = True, metadata_storage: Any = None) -> None:
        self.result_storage = result_storage
        self.lock_manager = lock_manager
        self.serializer = resolve_serializer(serializer)
        self.cache_result_in_memory = cache_result_in_memory
        self.metadata_storage = metadata_storage
        self._storage: ResultStorage | None = None

    @property
    def storage(self) -> ResultStorage:
        """Where the records are."""
        if self._storage is None:
            location = self.result_storage
            if location is None:
                from headwater.core.settings import get_settings

                location = get_settings().results_storage_resolved
            self._storage = open_storage(os.fspath(location))
        return self._storage

    @staticmethod
    def generate_default_holder() -> str:
        """A lock holder naming this host, process and thread."""
        import socket

        return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"

    def exists(self, key: str) -> bool:
        """Whether a readable, unexpired record is stored under `key`."""
        try:
            stored = read_result(self.storage, key, self.serializer)
        except (CorruptRecord, OSError):
            return False
        if stored is None:
            return False
        from headwater.core import clock

        return not stored.header.is_expired(clock.now())

    def read(self, key: str, holder: str | None = None) -> ResultRecord:
        """The record under `key`.

        Raises:
            ValueError: there is none.
            CorruptRecord: it cannot be read.
        """
        if self.lock_manager is not None and self.is_locked(key) \
                and not self.is_lock_holder(key, holder or self.generate_default_holder()):
            self.wait_for_lock(key)
        stored = read_result(self.storage, key, self.serializer)
        if stored is None:
            raise ValueError(f"No result record found for key {key!r} in {self.storage.location(key)}")
        return ResultRecord(stored.value, stored.header)

    def write(self, obj: Any, key: str | None = None, expiration: Any = None, holder: str | None = None) -> str:
        """Store `obj` under `key` (a new random key if None; atomically, see results/storage.py).

        Args:
            expiration: a datetime after which the record no longer counts as existing.

        Returns:
            The key.

        Raises:
            RuntimeError: the key is locked by another holder.
            SerializationError: the serializer cannot write `obj`.
        """
        import uuid

        key = key or uuid.uuid4().hex
        holder = holder or self.generate_default_holder()
        if self.lock_manager is not None and self.is_locked(key) and not self.is_lock_holder(key, holder):
            raise RuntimeError(f"Cannot write to result record with key {key} because it is locked by another holder.")
        if isinstance(obj, ResultRecord):
            obj = obj.result
        expires = expiration.timestamp() if hasattr(expiration, "timestamp") else expiration
        write_result(self.storage, key, obj, self.serializer, cache_key=None, expires=expires)
        return key

    # async spellings, for code written against Prefect's AsyncTransaction
    async def aexists(self, key: str) -> bool:
        return self.exists(key)

    async def aread(self, key: str, holder: str | None = None) -> ResultRecord:
        return self.read(key, holder)

    async def awrite(self, obj: Any, key: str | None = None, expiration: Any = None,
                     holder: str | None = None) -> str:
        return self.write(obj, key, expiration, holder)

    # -- locks ---------------------------------------------------------------------
    def supports_isolation_level(self, level: Any) -> bool:
        """READ_COMMITTED always; SERIALIZABLE with a lock manager."""
        name = getattr(level, "value", level)
        if name == "READ_COMMITTED":
            return True
        if name == "SERIALIZABLE":
            return self.lock_manager is not None
        raise ValueError(f"Unsupported isolation level: {level}")

    def _locks(self) -> Any:
        if self.lock_manager is None:
            raise ConfigurationError(
                "this ResultStore has no lock_manager: pass lock_manager=MemoryLockManager() "
                "(headwater.locking.memory) or FileSystemLockManager(...) to use locks"
            )
        return self.lock_manager

    def acquire_lock(self, key: str, holder: str | None = None, timeout: float | None = None) -> bool:
        """Take the lock of `key`, waiting up to `timeout` seconds; returns whether it was taken."""
        return bool(self._locks().acquire_lock(key, holder=holder or self.generate_default_holder(),
                                               acquire_timeout=timeout))

    async def aacquire_lock(self, key: str, holder: str | None = None, timeout: float | None = None) -> bool:
        return bool(await self._locks().aacquire_lock(key, holder=holder or self.generate_default_holder(),
                                                      acquire_timeout=timeout))

    def release_lock(self, key: str, holder: str | None = None) -> None:
        """Release the lock of `key` held by `holder`."""
        self._locks().release_lock(key, holder=holder or self.generate_default_holder())

    def is_locked(self, key: str) -> bool:
        return bool(self._locks().is_locked(key))

    def is_lock_holder(self, key: str, holder: str | None = None) -> bool:
        return bool(self._locks().is_lock_holder(key, holder=holder or self.generate_default_holder()))

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return bool(self._locks().wait_for_lock(key, timeout))

    def __repr__(self) -> str:
        return f"ResultStore(result_storage={self.result_storage!r}, lock_manager={self.lock_manager!r})"


def get_result_store() -> ResultStore:
    """The result store of the executing run (its `result_storage`), else the default one."""
    from headwater.engine.context import current_run

    return result_store_for(current_run())


def result_store_for(run: Any) -> ResultStore:
    """The result store of `run` (a task or flow run; None: the default store)."""
    options = run.options if run is not None else None
    storage = result_storage_of(getattr(options, "result_storage", None), getattr(run, "flow_run", None))
    return ResultStore(result_storage=storage, serializer=getattr(options, "result_serializer", None))


def result_storage_of(own: Any, flow_run: Any) -> Any:
    """Where a run's results go, as configured: its own `result_storage` if set, else
    its flow run's; None means the default storage (`settings.results_storage_resolved`).
    The one place this is decided, for the engine's cache plans and result stores alike;
    a file-system block's slug (`"local-file-system/results"`) is the saved block."""
    from headwater.blocks.storage import resolve_result_storage

    if own is None and flow_run is not None:
        own = getattr(flow_run.options, "result_storage", None)
    return resolve_result_storage(own)
