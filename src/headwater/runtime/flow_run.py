"""The flow run executing now: `id`, `name`, `flow_name`, `parameters`, `run_count`, `tags`,
`parent_task_run_id`. Each is None (parameters: {}) outside a flow run."""

from __future__ import annotations

from typing import Any

__all__ = ["flow_name", "id", "name", "parameters", "parent_task_run_id", "run_count", "tags"]


def __getattr__(attribute: str) -> Any:
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    if attribute == "parameters":
        return dict(run.parameters) if run is not None else {}
    if attribute not in __all__:
        raise AttributeError(f"headwater.runtime.flow_run has no attribute {attribute!r}; available: {__all__}")
    if run is None:
        return None
    if attribute == "flow_name":
        return run.flow.name
    if attribute == "tags":
        return list(run.options.tags)
    return getattr(run, attribute)
