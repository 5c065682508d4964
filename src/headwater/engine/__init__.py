"""The engine: flows, tasks, futures, task runners, the run life cycle.

It is also Prefect 1's `prefect.engine` path: `FlowRunner`, `TaskRunner`,
`get_default_executor_class()`, ... and the submodules Prefect 1 code reaches as
attributes (`prefect.engine.results`, `prefect.engine.flow_runner`) load only when
asked for, so that importing any engine module stays as cheap as before.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

_PREFECT1 = {
    "FlowRunner": "headwater.engine.flow_runner",
    "TaskRunner": "headwater.engine.task_runner",
    "get_default_executor_class": "headwater.engine.flow_runner",
    "get_default_flow_runner_class": "headwater.engine.flow_runner",
    "get_default_task_runner_class": "headwater.engine.flow_runner",
}


def __getattr__(name: str) -> Any:
    module = _PREFECT1.get(name)
    if module is None:
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'headwater.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
