"""The task run executing now, as in `prefect.runtime.task_run`.

`id`, `name`, `task_name`, `parameters`, `run_count`, `tags`, `flow_run_id`, `api_url`,
`ui_url`. Outside a task run each is None, except `parameters` ({}), `tags` ([]) and
`run_count` (0), as in Prefect.
"""

from __future__ import annotations

from typing import Any

__all__ = ["api_url", "flow_run_id", "id", "name", "parameters", "run_count", "tags", "task_name", "ui_url"]

_OUTSIDE: dict[str, Any] = {"parameters": dict, "tags": list, "run_count": int}


def __getattr__(attribute: str) -> Any:
    if attribute not in __all__:
        raise AttributeError(f"headwater.runtime.task_run has no attribute {attribute!r}; available: {__all__}")
    from headwater.engine.context import task_run_var

    run = task_run_var.get()
    if run is None:
        make = _OUTSIDE.get(attribute)
        return make() if make is not None else None
    if attribute == "parameters":
        return dict(run.parameters)
    if attribute == "task_name":
        return run.task.name
    if attribute == "tags":
        return list(run.tags)
    if attribute in ("api_url", "ui_url"):
        return None
    return getattr(run, attribute)
