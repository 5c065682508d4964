"""headwater: a workflow orchestrator for Python.

Decorate functions with `@task` and `@flow` to get retries, time-outs, run logging
and run history with no server and no configuration:

    from headwater import flow, task

    @task(retries=3)
    def fetch(x: int) -> int: ...

    @flow(log_prints=True)
    def pipeline(n: int = 3):
        for i in range(n):
            print(fetch(i))

Names are imported on first use so that `import headwater` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from headwater._version import __version__

if TYPE_CHECKING:
    from headwater.core.states import State
    from headwater.engine.context import tags
    from headwater.engine.deployments import deploy, serve
    from headwater.engine.futures import as_completed, unmapped, wait
    from headwater.engine.flows import Flow, flow
    from headwater.engine.logging import get_run_logger
    from headwater.engine.static.nodes import Parameter
    from headwater.engine.tasks import Task, task

__all__ = [
    "get_client",
    "Flow",
    "Parameter",
    "State",
    "Task",
    "__version__",
    "as_completed",
    "deploy",
    "flow",
    "get_run_logger",
    "serve",
    "tags",
    "task",
    "unmapped",
    "wait",
]

_LAZY = {
    "flow": "headwater.engine.flows",
    "Flow": "headwater.engine.flows",
    "Parameter": "headwater.engine.static.nodes",
    "task": "headwater.engine.tasks",
    "Task": "headwater.engine.tasks",
    "get_run_logger": "headwater.engine.logging",
    "State": "headwater.core.states",
    "tags": "headwater.engine.context",
    "wait": "headwater.engine.futures",
    "as_completed": "headwater.engine.futures",
    "unmapped": "headwater.engine.futures",
    "serve": "headwater.engine.deployments",
    "deploy": "headwater.engine.deployments",
    "get_client": "headwater.client.orchestration",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
