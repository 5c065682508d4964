"""Flows, flow runs, task runs and what the engine writes of them: states, logs, inputs.

The column order of `flow_runs` and `task_runs` is deliberate: the state columns sit
at the same positions (7 to 13, `updated` at 15) in both, so the batch writer folds
state changes into either kind of row with the same code (see `store/writes.py`).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Double, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from headwater.store.tables.base import ID, SERIAL_ID, metadata

__all__ = ["flow_run_input", "flow_runs", "flows", "logs", "states", "task_run_inputs", "task_runs"]

flows = Table(
    "flows",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("created", Double, nullable=False),
)

flow_runs = Table(
    "flow_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_id", ID, ForeignKey("flows.id"), nullable=False),
    Column("flow_name", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("parent_task_run_id", ID, nullable=True),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("state_timestamp", Double, nullable=True),
    Column("start_time", Double, nullable=True),
    Column("end_time", Double, nullable=True),
    Column("run_count", Integer, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Column("heartbeat", Double, nullable=True),
    Column("deployment_id", ID, nullable=True),
    Column("expected_start_time", Double, nullable=True),  # when a SCHEDULED run is due (0003)
    # Deployments (0004, store/deployments.py): the pool whose workers run it, the worker
    # that claimed it, and the due time the claim was for (a new due time = claimable again).
    Column("work_pool_id", ID, nullable=True),
    Column("worker_id", ID, nullable=True),
    Column("claimed_start", Double, nullable=True),
    # 0015: the job variables given for this run (over its deployment's; worker/types).
    Column("job_variables", JSON, nullable=True),
    # The process running it, "host:pid:start ticks" (0017, store/processes.py): a run
    # whose process is gone is found Crashed by the next process opening the database.
    Column("process", String(255), nullable=True),
    Index(None, "state_type", "created"),
    Index(None, "flow_name", "created"),
    Index(None, "name"),
    Index(None, "created"),
)

task_runs = Table(
    "task_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_run_id", ID, nullable=True),
    Column("name", String(255), nullable=False),
    Column("task_name", String(255), nullable=False),
    Column("task_key", String(255), nullable=False),
    Column("dynamic_key", Integer, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("state_timestamp", Double, nullable=True),
    Column("start_time", Double, nullable=True),
    Column("end_time", Double, nullable=True),
    Column("run_count", Integer, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Column("cache_key", String(255), nullable=True),
    Index(None, "flow_run_id", "created"),
)

# A state row names either a flow run or a task run. On SQLite the indexes are partial
# so the many task-run states do not pay for an index entry on a NULL flow_run_id (the
# hot write path). Not on PostgreSQL: a `postgresql_where` here would import the whole
# PostgreSQL dialect at startup, 60 ms of every `python flow.py`.
states = Table(
    "states",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("type", String(16), nullable=False),
    Column("name", String(64), nullable=False),
    Column("message", Text, nullable=True),
    Column("timestamp", Double, nullable=False),
    Column("details", JSON, nullable=True),
)
# Subflows of a run's task runs (its page, the graph): few rows carry a parent, so the
# index holds only those and costs nothing to the runs the engine writes (0006).
Index(
    "ix_flow_runs_parent_task_run_id",
    flow_runs.c.parent_task_run_id,
    sqlite_where=flow_runs.c.parent_task_run_id.isnot(None),
    postgresql_where=flow_runs.c.parent_task_run_id.isnot(None),
)
Index(
    "ix_states_flow_run_id",
    states.c.flow_run_id,
    sqlite_where=states.c.flow_run_id.isnot(None),
)
Index(
    "ix_states_task_run_id",
    states.c.task_run_id,
    sqlite_where=states.c.task_run_id.isnot(None),
)

logs = Table(
    "logs",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("level", Integer, nullable=False),
    Column("logger", String(255), nullable=False),
    Column("message", Text, nullable=False),
    Column("timestamp", Double, nullable=False),
    Index(None, "flow_run_id", "timestamp"),
)
Index(
    "ix_logs_task_run_id",
    logs.c.task_run_id,
    sqlite_where=logs.c.task_run_id.isnot(None),
)

task_run_inputs = Table(
    "task_run_inputs",
    metadata,
    Column("task_run_id", ID, nullable=False),
    Column("upstream_task_run_id", ID, nullable=False),
    Column("parameter", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    PrimaryKeyConstraint("task_run_id", "upstream_task_run_id", "parameter"),
)

# What workers poll for: the due runs of a pool, and the active runs of a deployment.
Index("ix_flow_runs_work_pool_id_state_type", flow_runs.c.work_pool_id, flow_runs.c.state_type,
      flow_runs.c.expected_start_time)
Index("ix_flow_runs_deployment_id_state_type", flow_runs.c.deployment_id, flow_runs.c.state_type)

# 0014: flow run input (`store/flow_run_input.py`): JSON values keyed by (flow run, key),
# what a paused run waits for and what `send_input` sends. `value` is JSON text.
flow_run_input = Table(
    "flow_run_input",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_run_id", ID, nullable=False),
    Column("key", String(255), nullable=False),
    Column("value", Text, nullable=False),
    Column("sender", String(255), nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_flow_run_input_flow_run_id_key", flow_run_input.c.flow_run_id, flow_run_input.c.key, unique=True)
