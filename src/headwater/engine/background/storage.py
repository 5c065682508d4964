"""What a background task run's arguments and outcome look like in storage.

`task.delay()` writes the call's parameters (and the ids it waits for) as one record
under `parameters/<task run id>` of the task scheduling storage; the worker writes the
run's outcome (its return value, or the exception that ended it) under
`results/<task run id>`. The location is recorded with the queued run, so a worker
reads from where the caller wrote: a local directory on one machine, a shared fsspec
URL (`HEADWATER_TASK_SCHEDULING_STORAGE`) across machines. Records are headwater's
result records (header + cloudpickle payload, written atomically).

Small ones (pickled, up to `INLINE_MAX_BYTES`) travel in the queue row instead
(`pack_*` return them base64-encoded, else None once written to storage): creating
and renaming a file costs more than the whole rest of a trivial run (measured:
~0.4 ms each on ext4), and the database is shared by every machine anyway.
"""

from __future__ import annotations

from typing import Any

from headwater.core.states import LazyResult
from headwater.exceptions import MissingResult
from headwater.results.serializers import PickleSerializer
from headwater.results.storage import open_storage
from headwater.results.store import read_result, write_result

__all__ = ["StoredOutcome", "pack_outcome", "pack_parameters", "read_outcome", "read_parameters", "unpack_outcome",
           "unpack_parameters", "write_outcome", "write_parameters"]


def _small(value: Any) -> str | None:
    """`value` pickled and base64-encoded if that is small enough to travel inline."""
    import base64

    import cloudpickle

    from headwater.core.background_schemas import INLINE_MAX_BYTES

    data = cloudpickle.dumps(value)
    return base64.b64encode(data).decode("ascii") if len(data) <= INLINE_MAX_BYTES else None


def _load(inline: str) -> Any:
    import base64
    import pickle

    return pickle.loads(base64.b64decode(inline))


def pack_parameters(location: str, task_run_id: str, parameters: dict[str, Any], wait_for: list[str]) -> str | None:
    """The parameters inline (base64), or None once written to storage (large ones).

    Raises:
        SerializationError: an argument cannot be pickled.
    """
    from headwater.results.errors import SerializationError

    value = {"parameters": parameters, "wait_for": wait_for}
    try:
        inline = _small(value)
    except Exception as exc:
        raise SerializationError(f"the arguments cannot be pickled for a task worker: {type(exc).__name__}: "
                                 f"{exc}") from None
    if inline is None:
        write_parameters(location, task_run_id, parameters, wait_for)
    return inline


def unpack_parameters(location: str, task_run_id: str, inline: str | None) -> tuple[dict[str, Any], list[str]]:
    """What `pack_parameters` stored. Raises `MissingResult` (see `read_parameters`)."""
    if inline is None:
        return read_parameters(location, task_run_id)
    value = _load(inline)
    return dict(value["parameters"]), list(value.get("wait_for") or [])


def pack_outcome(location: str, task_run_id: str, failed: bool, value: Any) -> str | None:
    """The outcome inline (base64), or None once written to storage (large or unpicklable)."""
    try:
        inline = _small((failed, value))
    except Exception:
        inline = None
    if inline is None:
        write_outcome(location, task_run_id, failed, value)
    return inline


def unpack_outcome(location: str, task_run_id: str, inline: str | None) -> tuple[bool, Any]:
    """What `pack_outcome` stored. Raises `MissingResult` (see `read_outcome`)."""
    if inline is None:
        return read_outcome(location, task_run_id)
    failed, value = _load(inline)
    return bool(failed), value

_PICKLE = PickleSerializer()


def write_parameters(location: str, task_run_id: str, parameters: dict[str, Any], wait_for: list[str]) -> None:
    """Store a call's parameters and the ids of the runs it waits for.

    Raises:
        SerializationError: an argument cannot be pickled (the message names its type).
    """
    write_result(open_storage(location), f"parameters/{task_run_id}", {"parameters": parameters,
                                                                      "wait_for": wait_for},
                 _PICKLE, cache_key=None, expires=None)


def read_parameters(location: str, task_run_id: str) -> tuple[dict[str, Any], list[str]]:
    """The parameters and the awaited run ids written by `write_parameters`.

    Raises:
        MissingResult: no record (the storage is not the one the caller wrote to).
    """
    found = read_result(open_storage(location), f"parameters/{task_run_id}")
    if found is None:
        raise MissingResult(f"the parameters of background task run {task_run_id} are not in {location}: the "
                            "caller and the task worker must share HEADWATER_TASK_SCHEDULING_STORAGE")
    value = found.value
    return dict(value["parameters"]), list(value.get("wait_for") or [])


def write_outcome(location: str, task_run_id: str, failed: bool, value: Any) -> None:
    """Store how a run ended: its return value, or (failed) the exception that ended it.

    A value that cannot be pickled is stored as the error saying so.
    """
    storage = open_storage(location)
    try:
        write_result(storage, f"results/{task_run_id}", (failed, value), _PICKLE, cache_key=None, expires=None)
    except Exception as exc:  # the result itself cannot be stored: the waiter gets why
        write_result(storage, f"results/{task_run_id}", (True, MissingResult(str(exc))), _PICKLE, cache_key=None,
                     expires=None)


def read_outcome(location: str, task_run_id: str) -> tuple[bool, Any]:
    """(failed, value or exception) of a finished run.

    Raises:
        MissingResult: no outcome was stored (the run crashed, or the storage differs).
    """
    found = read_result(open_storage(location), f"results/{task_run_id}")
    if found is None:
        raise MissingResult(f"background task run {task_run_id} stored no result in {location}")
    failed, value = found.value
    return bool(failed), value


class StoredOutcome(LazyResult):
    """A finished background run's return value, read (from storage) when asked for."""

    __slots__ = ("location", "task_run_id", "inline")

    def __init__(self, location: str, task_run_id: str, inline: str | None = None) -> None:
        self.location = location
        self.task_run_id = task_run_id
        self.inline = inline

    def load(self) -> Any:
        return unpack_outcome(self.location, self.task_run_id, self.inline)[1]

    def __repr__(self) -> str:
        return f"StoredOutcome({self.location!r}, {self.task_run_id!r})"
