"""Worker types: what a work pool's runs are started as (see `base.py` for the interface).

    process   each run in a local subprocess (`process.py`), the built-in type.

`worker_type_for("process")` gives an instance; `register_worker_type(cls)` adds a type
(a Docker or Kubernetes type would live in its own module and register itself).
"""

from __future__ import annotations

from headwater.worker.types.base import Job, JobPreparationError, WorkerType
from headwater.worker.types.process import ProcessWorkerType

__all__ = ["Job", "JobPreparationError", "ProcessWorkerType", "WorkerType", "register_worker_type",
           "worker_type_for", "worker_types"]

_TYPES: dict[str, type[WorkerType]] = {ProcessWorkerType.type: ProcessWorkerType}


def register_worker_type(cls: type[WorkerType]) -> type[WorkerType]:
    """Make a worker type available by its `type` name (usable as a class decorator)."""
    _TYPES[cls.type] = cls
    return cls


def worker_types() -> dict[str, type[WorkerType]]:
    """The registered types by name."""
    return dict(_TYPES)


def worker_type_for(pool_type: str) -> WorkerType:
    """An instance of the type a pool names.

    Raises:
        JobPreparationError: no such type here (the message lists the known ones).
    """
    cls = _TYPES.get(pool_type)
    if cls is None:
        raise JobPreparationError(f"this worker cannot run pools of type {pool_type!r}; it knows "
                                  f"{', '.join(sorted(_TYPES))}")
    return cls()
