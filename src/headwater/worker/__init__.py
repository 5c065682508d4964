"""Workers: poll for due flow runs of a work pool (or of served deployments) and run
each in its own process. See worker/runner.py for the loop, worker/child.py for the
run's process, worker/backend.py for how they reach the server or the database.

Names are imported on first use: the run's process (`python -m headwater.worker.child`)
imports this package and must not pay for the worker's side.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.worker.backend import ApiBackend, StoreBackend, WorkerBackend, open_backend
    from headwater.worker.runner import Worker

__all__ = ["ApiBackend", "StoreBackend", "Worker", "WorkerBackend", "open_backend"]

_LAZY = {"ApiBackend": "backend", "StoreBackend": "backend", "WorkerBackend": "backend", "open_backend": "backend",
         "Worker": "runner"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater.worker' has no attribute {name!r}")
    return getattr(importlib.import_module(f"headwater.worker.{module}"), name)
