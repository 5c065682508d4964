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
import importlib.util
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
    "Transaction",
    "__version__",
    "allow_failure",
    "apply_map",
    "aserve",
    "as_completed",
    "case",
    "config",
    "context",
    "deploy",
    "flatten",
    "flow",
    "get_run_logger",
    "mapped",
    "resource_manager",
    "serve",
    "tags",
    "task",
    "unmapped",
    "wait",
    "pause_flow_run", "resume_flow_run", "suspend_flow_run", "apause_flow_run", "aresume_flow_run",
    "asuspend_flow_run",
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
    "context": "headwater.context",
    "allow_failure": "headwater.utilities.annotations",
    "Transaction": "headwater.transactions",
    "wait": "headwater.engine.futures",
    "as_completed": "headwater.engine.futures",
    "unmapped": "headwater.engine.futures",
    "serve": "headwater.engine.deployments",
    "aserve": "headwater.flows",
    "deploy": "headwater.engine.deployments",
    "get_client": "headwater.client.orchestration",
    "Client": "headwater.client.prefect1",  # Prefect 1's API client
    # Prefect 1 names (static flows)
    "apply_map": "headwater.utilities.tasks",
    "case": "headwater.tasks.control_flow.case",
    "config": "headwater.engine.static.config",
    "flatten": "headwater.utilities.edges",
    "mapped": "headwater.utilities.edges",
    "resource_manager": "headwater.tasks.core.resource_manager",
    # pausing flow runs (issue 17)
    **dict.fromkeys(["pause_flow_run", "resume_flow_run", "suspend_flow_run", "apause_flow_run",
                     "aresume_flow_run", "asuspend_flow_run"], "headwater.engine.pausing"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        # Prefect code does `import prefect` and then reaches submodules as attributes
        # (`prefect.context`, `prefect.states`): load the submodule on first access.
        if name.startswith("_") or importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module 'headwater' has no attribute {name!r}")
        return importlib.import_module(f"{__name__}.{name}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
