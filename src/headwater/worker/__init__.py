"""Workers: poll for due flow runs of a work pool (or of served deployments) and run
each in its own process. See worker/runner.py for the loop, worker/child.py for the
run's process. They reach the server or the database through the client's transport
(`headwater.client.transport`).

Names are imported on first use: the run's process (`python -m headwater.worker.child`)
imports this package and must not pay for the worker's side.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.worker.runner import Worker

__all__ = ["Worker"]

_LAZY = {"Worker": "runner"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater.worker' has no attribute {name!r}")
    return getattr(importlib.import_module(f"headwater.worker.{module}"), name)
