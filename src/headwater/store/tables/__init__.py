"""The run-history schema, as SQLAlchemy Core tables, one module per area.

Timestamps are float epoch seconds (`Double`) everywhere, not `DateTime`: the engine
produces floats (`headwater.core.clock.now()`), they cost nothing to write, sort
and compare the same way on SQLite and PostgreSQL, and carry no time-zone ambiguity.
Readers turn them into aware UTC datetimes.

Every table is defined on the one `metadata` (`base.py`) and importable from here:

    runs            flows, flow runs, task runs, states, logs, task inputs, flow run input
    limits          concurrency limits and their leases
    deployments     projects, work pools, deployments and their schedules, workers
    configuration   variables, blocks
    events          events, state marks, automations
    artifacts       artifacts, assets
    server          received record batches, UI login sessions
    background      background task runs, task workers

Any change here needs a new migration in `store/migrations/versions/`; a test
checks that the migrations and these tables describe the same schema.
"""

from __future__ import annotations

from headwater.store.tables.artifacts import (
    artifact_collections,
    artifacts,
    asset_dependencies,
    asset_materializations,
    assets,
)
from headwater.store.tables.background import background_task_runs, task_workers
from headwater.store.tables.base import metadata
from headwater.store.tables.configuration import block_documents, block_schemas, block_types, variables
from headwater.store.tables.deployments import deployment_schedules, deployments, projects, work_pools, workers
from headwater.store.tables.events import automation_actions, automation_cursor, automations, events, state_marks
from headwater.store.tables.limits import concurrency_leases, concurrency_limits
from headwater.store.tables.runs import flow_run_input, flow_runs, flows, logs, states, task_run_inputs, task_runs
from headwater.store.tables.server import received_batches, ui_sessions

__all__ = [
    "artifact_collections",
    "artifacts",
    "asset_dependencies",
    "asset_materializations",
    "assets",
    "automation_actions",
    "automation_cursor",
    "automations",
    "background_task_runs",
    "block_documents",
    "block_schemas",
    "block_types",
    "concurrency_leases",
    "concurrency_limits",
    "deployment_schedules",
    "deployments",
    "events",
    "flow_run_input",
    "flow_runs",
    "flows",
    "logs",
    "metadata",
    "projects",
    "received_batches",
    "state_marks",
    "states",
    "task_run_inputs",
    "task_runs",
    "task_workers",
    "ui_sessions",
    "variables",
    "work_pools",
    "workers",
]
