"""Where results go and whether they are kept by default, as Prefect's `prefect.results` functions.

`get_default_result_storage()` is the file system of `HEADWATER_RESULTS_STORAGE`
(default `$HEADWATER_HOME/storage`), `resolve_result_storage(x)` turns what
`result_storage=` accepts into a file system, and `should_persist_result()` says
whether the executing run keeps its result (headwater keeps none unless asked).
Re-exported by `headwater.results`.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.filesystems import WritableFileSystem
    from headwater.results.serializers import Serializer

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
]


def DEFAULT_STORAGE_KEY_FN() -> str:  # noqa: N802 - Prefect's name
    """A new random storage key (32 hex digits) for a result written without one."""
    return uuid.uuid4().hex


def resolve_result_storage(result_storage: Any) -> WritableFileSystem:
    """The file system for what `result_storage=` accepts: a file system object, a
    path, or an fsspec URL (`"s3://bucket/results"`).

    Raises:
        TypeError: a block document id (blocks are not there yet) or anything else.
    """
    from headwater.filesystems import LocalFileSystem, RemoteFileSystem, WritableFileSystem
    from headwater.results.storage import is_local

    if isinstance(result_storage, WritableFileSystem):
        return result_storage
    if isinstance(result_storage, (str, os.PathLike)):
        location = os.fspath(result_storage)
        if is_local(location):
            path = location[len("file://"):] if location.startswith("file://") else location
            return LocalFileSystem(basepath=str(Path(path).expanduser()))
        return RemoteFileSystem(basepath=location)
    if isinstance(result_storage, uuid.UUID):
        raise TypeError("result storage given as a block document id: blocks are not available in headwater yet; "
                        "give a path, an fsspec URL or a file system object")
    raise TypeError(f"Result storage must be a file system, a path or a URL, not {type(result_storage).__name__}")


async def aresolve_result_storage(result_storage: Any) -> WritableFileSystem:
    """`resolve_result_storage` for async code."""
    return resolve_result_storage(result_storage)


def get_default_result_storage() -> WritableFileSystem:
    """The file system results go to when no `result_storage=` is given."""
    from headwater.core.settings import get_settings

    return resolve_result_storage(get_settings().results_storage_resolved)


async def aget_default_result_storage() -> WritableFileSystem:
    """`get_default_result_storage` for async code."""
    return get_default_result_storage()


async def get_or_create_default_task_scheduling_storage() -> WritableFileSystem:
    """The file system background task runs' arguments and results go to:
    `HEADWATER_TASK_SCHEDULING_STORAGE`, by default the result storage. Async, as in Prefect."""
    from headwater.core.settings import get_settings

    return resolve_result_storage(get_settings().task_scheduling_storage_resolved)


def get_default_result_serializer() -> Serializer:
    """The serializer results are written with by default: `PickleSerializer()` (cloudpickle)."""
    from headwater.serializers import PickleSerializer

    return PickleSerializer()


def get_default_persist_setting() -> bool:
    """Whether flow results are kept when nothing says so: no, in headwater."""
    return False


def get_default_persist_setting_for_tasks() -> bool:
    """Whether task results are kept when nothing says so: no, unless the task caches."""
    return False


def should_persist_result() -> bool:
    """Whether the executing task or flow run keeps its result (outside a run: the default)."""
    from headwater.engine.context import current_run

    run = current_run()
    if run is None:
        return get_default_persist_setting()
    persist = getattr(run.options, "persist_result", None)
    flow_run = getattr(run, "flow_run", None)
    if persist is None and flow_run is not None:  # a task follows its flow unless it says otherwise
        persist = flow_run.options.persist_result
    if persist is None:
        uses_results = getattr(getattr(run, "task", None), "uses_results", False)
        return bool(uses_results)
    return bool(persist)
