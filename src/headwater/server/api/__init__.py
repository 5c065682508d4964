"""The REST API's routers, one module per resource, all mounted under `/api`."""

from __future__ import annotations

from fastapi import APIRouter

from headwater.server.api import (
    artifacts, assets, automations, blocks, concurrency_limits, events, flow_runs, flows, health, logs, records, task_runs, variables,
)
from headwater.server.api import flow_run_input
from headwater.server.api import background_tasks

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
    events.router,
    artifacts.router,
    assets.router,
    blocks.types_router, blocks.schemas_router, blocks.documents_router,
    automations.router,
    flow_run_input.router,
    background_tasks.router,
)
