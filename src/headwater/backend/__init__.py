"""Prefect 1's `prefect.backend`: views of registered flows and their runs, read through the client.

`FlowView` is a registered flow (the deployment `flow.register(project_name=...)` made),
`FlowRunView` one of its runs, `TaskRunView` a task run of that run. Each is a snapshot:
`get_latest()` reads it again. `headwater.backend.artifacts` makes a task run's
markdown and link artifacts. They read the control plane of
`headwater.get_client(sync_client=True)` (the server of `HEADWATER_API_URL`, or the
embedded database). Prefect Cloud's key-value store and tenants are not here.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FlowRunView", "FlowView", "TaskRunView", "artifacts", "create_link_artifact", "create_markdown_artifact",
    "delete_artifact", "update_link_artifact", "update_markdown_artifact",
]

_ARTIFACT_FUNCTIONS = ("create_link_artifact", "create_markdown_artifact", "delete_artifact", "update_link_artifact",
                       "update_markdown_artifact")


def __getattr__(name: str) -> Any:
    if name == "artifacts" or name in _ARTIFACT_FUNCTIONS:
        import importlib

        module = importlib.import_module("headwater.backend.artifacts")
        return module if name == "artifacts" else getattr(module, name)
    if name == "FlowView":
        from headwater.backend.flow import FlowView

        return FlowView
    if name == "FlowRunView":
        from headwater.backend.flow_run import FlowRunView

        return FlowRunView
    if name == "TaskRunView":
        from headwater.backend.task_run import TaskRunView

        return TaskRunView
    raise AttributeError(f"module 'headwater.backend' has no attribute {name!r}")
