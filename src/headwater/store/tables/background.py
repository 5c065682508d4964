"""Background task runs: the queue `task.delay()` fills, and the task workers serving it."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Double, Index, Integer, LargeBinary, String, Table, Text

from headwater.store.tables.base import ID, metadata

__all__ = ["background_task_runs", "task_workers"]

# 0016: background task runs (`store/background.py`): the queue `task.delay()` fills and
# task workers claim under leases, and the task workers serving it. A row's history
# (the task run, its states) lives in `task_runs`/`states` like any task run's; this
# table holds only what the queue needs, and the final state waiters watch.
background_task_runs = Table(
    "background_task_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("task_key", String(255), nullable=False),
    Column("task_name", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("storage", Text, nullable=False),
    Column("retries", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("worker", String(255), nullable=True),
    Column("lease_expires", Double, nullable=True),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("parameters", LargeBinary, nullable=True),
    Column("outcome", LargeBinary, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_background_task_runs_status_task_key_created", background_task_runs.c.status,
      background_task_runs.c.task_key, background_task_runs.c.created)

task_workers = Table(
    "task_workers",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("task_keys", JSON, nullable=False),
    Column("limit", Integer, nullable=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("running", Integer, nullable=False),
    Column("started", Double, nullable=False),
    Column("last_heartbeat", Double, nullable=False),
)
