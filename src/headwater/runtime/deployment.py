"""The deployment of the flow run executing now, as in `prefect.runtime.deployment`.

`id`, `name`, `version`, `flow_run_id`, `parameters`. A flow run started by calling the
flow has no deployment: those are None, `flow_run_id` is the run's id and `parameters`
are the run's parameters ({} outside a flow run), as in Prefect.
"""

from __future__ import annotations

from typing import Any

__all__ = ["flow_run_id", "id", "name", "parameters", "version"]


def __getattr__(attribute: str) -> Any:
    if attribute not in __all__:
        raise AttributeError(f"headwater.runtime.deployment has no attribute {attribute!r}; available: {__all__}")
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    if attribute == "parameters":
        # A deployment's defaults merged with what the run was given: the run's parameters.
        return dict(run.parameters) if run is not None else {}
    if run is None:
        return None
    if attribute == "flow_run_id":
        return run.id
    return getattr(run, f"deployment_{attribute}", None)
