"""The REST API's routers, one module per resource, all mounted under `/api`."""

from __future__ import annotations

from fastapi import APIRouter

from headwater.server.api import background_tasks
from headwater.server.api import artifacts, assets, blocks, concurrency_limits, flow_runs, flows, health, logs, records, task_runs, variables

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    flows.router,
    flow_runs.router,
    flow_runs.states_router,
    task_runs.router,
    task_runs.states_router,
    logs.router,
    records.router,
    concurrency_limits.router,
    concurrency_limits.tag_router,
    variables.router,
    artifacts.router,
    assets.router,
    blocks.types_router, blocks.schemas_router, blocks.documents_router,
    background_tasks.router,
)
