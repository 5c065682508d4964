"""The engine: flows, tasks, futures, task runners, the run life cycle.

It is also Prefect 1's `prefect.engine` path, whose `FlowRunner` and `TaskRunner` load
only when asked for, so that importing any engine module stays as cheap as before.
"""

from __future__ import annotations

import importlib
from typing import Any

_PREFECT1 = {"FlowRunner": "headwater.engine.flow_runner", "TaskRunner": "headwater.engine.task_runner"}


def __getattr__(name: str) -> Any:
    module = _PREFECT1.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
