"""Initial run-history schema: flows, flow runs, task runs, states, logs, input edges.

Revision ID: 0001
Revises:
Create Date: 2026-05-10

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
New revisions must also be added to `KNOWN_REVISIONS` in `headwater/store/schema.py`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(36)
SERIAL_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _state_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("state_type", sa.String(16), nullable=True),
        sa.Column("state_name", sa.String(64), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=True),
        sa.Column("state_timestamp", sa.Double(), nullable=True),
        sa.Column("start_time", sa.Double(), nullable=True),
        sa.Column("end_time", sa.Double(), nullable=True),
        sa.Column("run_count", sa.Integer(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "flows",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flows"),
        sa.UniqueConstraint("name", name="uq_flows_name"),
    )
    op.create_table(
        "flow_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("flow_id", ID, nullable=False),
        sa.Column("flow_name", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("parent_task_run_id", ID, nullable=True),
        *_state_columns(),
        sa.Column("heartbeat", sa.Double(), nullable=True),
        sa.Column("deployment_id", ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flow_runs"),
        sa.ForeignKeyConstraint(["flow_id"], ["flows.id"], name="fk_flow_runs_flow_id_flows"),
    )
    op.create_index("ix_flow_runs_state_type_created", "flow_runs", ["state_type", "created"])
    op.create_index("ix_flow_runs_flow_name_created", "flow_runs", ["flow_name", "created"])
    op.create_index("ix_flow_runs_name", "flow_runs", ["name"])
    op.create_index("ix_flow_runs_created", "flow_runs", ["created"])

    op.create_table(
        "task_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("flow_run_id", ID, nullable=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("task_name", sa.String(255), nullable=False),
        sa.Column("task_key", sa.String(255), nullable=False),
        sa.Column("dynamic_key", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        *_state_columns(),
        sa.Column("cache_key", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_task_runs"),
    )
    op.create_index("ix_task_runs_flow_run_id_created", "task_runs", ["flow_run_id", "created"])

    op.create_table(
        "states",
        sa.Column("id", SERIAL_ID, autoincrement=True, nullable=False),
        sa.Column("flow_run_id", ID, nullable=True),
        sa.Column("task_run_id", ID, nullable=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("timestamp", sa.Double(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_states"),
    )
    for column in ("flow_run_id", "task_run_id"):
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_states_{column}", "states", [column], sqlite_where=where)  # partial on SQLite only

    op.create_table(
        "logs",
        sa.Column("id", SERIAL_ID, autoincrement=True, nullable=False),
        sa.Column("flow_run_id", ID, nullable=True),
        sa.Column("task_run_id", ID, nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("logger", sa.String(255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("timestamp", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_logs"),
    )
    op.create_index("ix_logs_flow_run_id_timestamp", "logs", ["flow_run_id", "timestamp"])
    where = sa.text("task_run_id IS NOT NULL")
    op.create_index("ix_logs_task_run_id", "logs", ["task_run_id"], sqlite_where=where)

    op.create_table(
        "task_run_inputs",
        sa.Column("task_run_id", ID, nullable=False),
        sa.Column("upstream_task_run_id", ID, nullable=False),
        sa.Column("parameter", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("task_run_id", "upstream_task_run_id", "parameter", name="pk_task_run_inputs"),
    )


def downgrade() -> None:
    for table in ("task_run_inputs", "logs", "states", "task_runs", "flow_runs", "flows"):
        op.drop_table(table)
