"""Flows, as in `prefect.flows`: the `flow` decorator, `Flow`, and loading a flow from
an entrypoint."""

from __future__ import annotations

from typing import Any

from headwater.engine.flows import Flow, flow

__all__ = ["Flow", "flow", "load_flow_from_entrypoint", "serve"]


def load_flow_from_entrypoint(entrypoint: str, use_placeholder_flow: bool = True) -> Flow[Any, Any]:
    """Load the flow an entrypoint names: `"path/to/file.py:function"` or `"module:function"`.

    Args:
        entrypoint: where the flow is.
        use_placeholder_flow: accepted for Prefect compatibility; a flow that cannot be
            loaded is always an error here.

    Raises:
        EntrypointError: the entrypoint names no loadable flow.
    """
    from headwater.engine.entrypoints import load_flow

    return load_flow(entrypoint)


def serve(*deployments: Any, **options: Any) -> None:
    """Serve deployments made with `flow.to_deployment(...)` in this process (`headwater.serve`)."""
    from headwater.engine.deployments import serve as serve_deployments

    serve_deployments(*deployments, **options)
