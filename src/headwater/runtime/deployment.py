"""The deployment of the flow run executing now, as in `prefect.runtime.deployment`.

`id`, `name`, `version`, `flow_run_id`, `parameters`. A flow run started by calling the
flow has no deployment: those are None, `flow_run_id` is the run's id and `parameters`
are the run's parameters ({} outside a flow run), as in Prefect.
"""

from __future__ import annotations

from typing import Any

__all__ = ["flow_run_id", "id", "name", "parameters", "version"]

_deployments_of_runs: dict[str, tuple[str, str]] = {}
_versions: dict[str, str | None] = {}


def record_deployment(flow_run_id: str, deployment_id: str | None, deployment_name: str | None) -> None:
    """Make `id` and `name` read this deployment's inside the flow run `flow_run_id`.

    Called by the process a worker (or `serve`) starts for a deployment's run
    (worker/child.py), which knows the deployment it claimed the run of.
    """
    if deployment_id:
        _deployments_of_runs[flow_run_id] = (deployment_id, deployment_name or "")


def deployment_id_of(flow_run_id: str) -> str | None:
    """The id of the deployment the flow run `flow_run_id` of this process belongs to, or None."""
    found = _deployments_of_runs.get(flow_run_id)
    return found[0] if found is not None else None


def _version(deployment_id: str) -> str | None:
    # Read when first asked for (as Prefect's runtime does), once per deployment.
    if deployment_id not in _versions:
        from headwater.client.kept import kept_client

        _versions[deployment_id] = kept_client().read_deployment(deployment_id).version
    return _versions[deployment_id]


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
    found = _deployments_of_runs.get(run.id)
    if found is None:
        return None
    if attribute == "id":
        return found[0]
    if attribute == "name":
        return found[1]
    return _version(found[0])
