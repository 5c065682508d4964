"""The flow run executing now, as in `prefect.runtime.flow_run`.

`id`, `name`, `flow_name`, `flow_version`, `parameters`, `tags`, `run_count`,
`scheduled_start_time`, `parent_flow_run_id`, `parent_task_run_id`, `root_flow_run_id`,
`parent_deployment_id`, `job_variables`, `api_url`, `ui_url`. Outside a flow run each is
None, except `parameters` ({}), `tags` ([]), `run_count` (0) and `scheduled_start_time`
(now), as in Prefect. `job_variables` is the run's own job variables in a deployment's
run started by a worker (or `serve`), {} in any other flow run.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "api_url",
    "flow_name",
    "flow_version",
    "get_run_count",
    "id",
    "job_variables",
    "name",
    "parameters",
    "parent_deployment_id",
    "parent_flow_run_id",
    "parent_task_run_id",
    "root_flow_run_id",
    "run_count",
    "scheduled_start_time",
    "tags",
    "ui_url",
]

_OUTSIDE: dict[str, Any] = {"parameters": dict, "tags": list, "run_count": int}

# The job variables of flow runs this process runs for a worker, by flow run id.
_job_variables_of_runs: dict[str, dict[str, Any]] = {}


def record_job_variables(flow_run_id: str, job_variables: dict[str, Any]) -> None:
    """Make `job_variables` read `job_variables` inside the flow run `flow_run_id`.

    Called by the process a worker starts for a deployment's run (worker/child.py)
    with the run's own job variables (those given when the run was created), which is
    what Prefect's `runtime.flow_run.job_variables` returns there: not the
    deployment's nor the template's defaults. Its subflows read {}, as in Prefect.
    """
    _job_variables_of_runs[flow_run_id] = dict(job_variables)


def _tags(run: Any) -> list[str]:
    """The run's tags: for a run a worker adopted, those stored with it (its deployment's
    and those it was created with, read once) with those of `tags(...)` blocks around the call."""
    if not getattr(run, "adopted", False):
        return list(run.tags)
    if run.id not in _stored_tags:
        from headwater.client.kept import kept_client

        _stored_tags[run.id] = list(kept_client().read_flow_run(run.id).tags or [])
    return list(dict.fromkeys([*_stored_tags[run.id], *run.tags]))


_stored_tags: dict[str, list[str]] = {}


def get_run_count() -> int:
    """The current flow run's attempt number (1 on the first try), or 0 outside a flow run."""
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    return int(run.run_count) if run is not None else 0


def __getattr__(attribute: str) -> Any:
    if attribute not in __all__:
        raise AttributeError(f"headwater.runtime.flow_run has no attribute {attribute!r}; available: {__all__}")
    from headwater.core import clock
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    if run is None:
        if attribute == "scheduled_start_time":
            return clock.now_datetime()
        make = _OUTSIDE.get(attribute)
        return make() if make is not None else None
    if attribute == "parameters":
        return dict(run.parameters)
    if attribute == "tags":
        return _tags(run)
    if attribute == "flow_name":
        return run.flow.name
    if attribute == "flow_version":
        return run.flow.options.version
    if attribute == "scheduled_start_time":
        return clock.to_datetime(getattr(run, "scheduled_start", None) or run.created)
    if attribute == "parent_flow_run_id":
        return run.parent.id if run.parent is not None else None
    if attribute == "root_flow_run_id":
        while run.parent is not None:
            run = run.parent
        return run.id
    if attribute == "parent_deployment_id":
        from headwater.runtime.deployment import deployment_id_of

        return deployment_id_of(run.parent.id) if run.parent is not None else None
    if attribute == "job_variables":
        return dict(_job_variables_of_runs.get(run.id) or {})
    if attribute in ("api_url", "ui_url"):
        return None  # headwater runs have no web page of their own to link to
    return getattr(run, attribute)
