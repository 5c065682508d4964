"""The run-history schema, as SQLAlchemy Core tables.

Timestamps are float epoch seconds (`Double`) everywhere, not `DateTime`: the engine
produces floats (`headwater.core.clock.now()`), they cost nothing to write, sort
and compare the same way on SQLite and PostgreSQL, and carry no time-zone ambiguity.
Readers turn them into aware UTC datetimes.

The column order of `flow_runs` and `task_runs` is deliberate: the state columns sit
at the same positions (7 to 13, `updated` at 15) in both, so the batch writer folds
state changes into either kind of row with the same code (see `store/writes.py`).

Any change here needs a new migration in `store/migrations/versions/`; a test
checks that the migrations and these tables describe the same schema.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

__all__ = ["flow_runs", "flows", "logs", "metadata", "states", "task_run_inputs", "task_runs"]

# Explicit constraint names keep migrations and create_all identical on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)
# 64-bit on PostgreSQL (logs outgrow 2**31); SQLite needs plain INTEGER for a rowid key.
SERIAL_ID = BigInteger().with_variant(Integer, "sqlite")

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
