"""The REST API's routers, one module per resource, all mounted under `/api`.

The routers are listed by module, name and prefix rather than imported: the app
builds each one the first time a request reaches its prefix (or anything asks for
the app's routes, as the OpenAPI schema does), which keeps FastAPI's ~1 ms a route
out of the server's start (see `headwater.server.deferred_routes`). A router without
a prefix (`health`) is built at once. The order is the order routes are matched in.
"""

from __future__ import annotations

from headwater.server.deferred_routes import RouterRef

__all__ = ["ROUTERS"]

ROUTERS: tuple[RouterRef, ...] = (
    RouterRef("health", "router", ""),
    RouterRef("flows", "router", "/flows"),
    RouterRef("flow_runs", "router", "/flow_runs"),
    RouterRef("flow_runs", "states_router", "/flow_run_states"),
    RouterRef("task_runs", "router", "/task_runs"),
    RouterRef("task_runs", "states_router", "/task_run_states"),
    RouterRef("logs", "router", "/logs"),
    RouterRef("records", "router", "/records"),
    RouterRef("concurrency_limits", "router", "/v2/concurrency_limits"),
    RouterRef("concurrency_limits", "tag_router", "/concurrency_limits"),
    RouterRef("variables", "router", "/variables"),
    RouterRef("events", "router", "/events"),
    RouterRef("artifacts", "router", "/artifacts"),
    RouterRef("assets", "router", "/assets"),
    RouterRef("blocks", "types_router", "/block_types"),
    RouterRef("blocks", "schemas_router", "/block_schemas"),
    RouterRef("blocks", "documents_router", "/block_documents"),
    RouterRef("automations", "router", "/automations"),
    RouterRef("flow_run_input", "router", "/flow_runs"),
    RouterRef("background_tasks", "router", "/background_task_runs"),
    RouterRef("deployments", "router", "/deployments"),
    RouterRef("projects", "router", "/projects"),
    RouterRef("work_pools", "router", "/work_pools"),
    RouterRef("workers", "router", "/workers"),
)
