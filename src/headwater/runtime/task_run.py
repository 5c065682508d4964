"""The task run executing now: `id`, `name`, `task_name`, `parameters`, `run_count`, `tags`,
`flow_run_id`. Each is None (parameters: {}) outside a task run."""

from __future__ import annotations

from typing import Any

__all__ = ["flow_run_id", "id", "name", "parameters", "run_count", "tags", "task_name"]


def __getattr__(attribute: str) -> Any:
    from headwater.engine.context import task_run_var

    run = task_run_var.get()
    if attribute == "parameters":
        return dict(run.parameters) if run is not None else {}
    if attribute not in __all__:
        raise AttributeError(f"headwater.runtime.task_run has no attribute {attribute!r}; available: {__all__}")
    if run is None:
        return None
    if attribute == "task_name":
        return run.task.name
    if attribute == "tags":
        return list(run.options.tags)
    return getattr(run, attribute)
