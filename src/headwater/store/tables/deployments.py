"""Deployments, their schedules and projects, work pools and their workers (0004, `store/deployments.py`)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Double, ForeignKey, Index, Integer, String, Table, Text

from headwater.store.tables.base import ID, metadata

__all__ = ["deployment_schedules", "deployments", "projects", "work_pools", "workers"]

projects = Table(
    "projects",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("description", Text, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

work_pools = Table(
    "work_pools",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("description", Text, nullable=True),
    Column("concurrency_limit", Integer, nullable=True),
    Column("paused", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    # 0015: the pool type's job template (None: the type's default; core/job_templates.py).
    Column("base_job_template", JSON, nullable=True),
    # 0019: Prefect's WorkPoolStorageConfiguration as JSON (None: nothing configured).
    Column("storage_configuration", JSON, nullable=True),
)

# A deployment is named within its flow ("flow/deployment"). `work_pool_id` is None for
# a deployment served by `flow.serve()`; `last_polled` is when its serving process (or a
# worker of its pool) last asked for runs. `catchup`: what happens to runs later than
# the late threshold: "all" run, "latest" only the newest runs, "skip" none.
deployments = Table(
    "deployments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("flow_name", String(255), nullable=False),
    Column("project_id", ID, ForeignKey("projects.id"), nullable=False),
    Column("work_pool_id", ID, ForeignKey("work_pools.id"), nullable=True),
    Column("entrypoint", Text, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("parameter_schema", JSON, nullable=True),
    Column("tags", JSON, nullable=False),
    Column("description", Text, nullable=True),
    Column("version", String(255), nullable=True),
    Column("paused", Boolean, nullable=False),
    Column("concurrency_limit", Integer, nullable=True),
    Column("catchup", String(16), nullable=False),
    Column("last_polled", Double, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    # 0005: the flow's retry policy, applied when a run's process dies (None: no retries;
    # `retry_delay_seconds` a list of delays, the last repeating), and a Prefect 1 style
    # flow's static graph (`StaticGraph`), drawn by the UI before any run.
    Column("retries", Integer, nullable=True),
    Column("retry_delay_seconds", JSON, nullable=True),
    Column("static_graph", JSON, nullable=True),
    # 0015: job variables over the pool's template defaults, and the steps that fetch the
    # flow's code before each run (git_clone, set_working_directory, ...; None: none).
    Column("job_variables", JSON, nullable=True),
    Column("pull_steps", JSON, nullable=True),
    # 0018: the collision strategy of `concurrency_limit` (ConcurrencyOptions; None: ENQUEUE).
    Column("concurrency_options", JSON, nullable=True),
    Index(None, "flow_name", "name", unique=True),
)

# `schedule` is the `to_dict()` form of a headwater.core.schedules schedule;
# `scheduled_through` is the last instant the scheduler has created runs up to.
deployment_schedules = Table(
    "deployment_schedules",
    metadata,
    Column("id", ID, primary_key=True),
    Column("deployment_id", ID, ForeignKey("deployments.id"), nullable=False),
    Column("schedule", JSON, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("scheduled_through", Double, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "deployment_id"),
)

workers = Table(
    "workers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("work_pool_id", ID, ForeignKey("work_pools.id"), nullable=False),
    Column("limit", Integer, nullable=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started", Double, nullable=False),
    Column("last_heartbeat", Double, nullable=False),
    Index(None, "work_pool_id", "name", unique=True),
)
