"""Background task runs: the queue task workers claim from, and the task workers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "background_task_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("task_key", sa.String(255), nullable=False),
        sa.Column("task_name", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("storage", sa.Text(), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("lease_expires", sa.Double(), nullable=True),
        sa.Column("state_type", sa.String(16), nullable=True),
        sa.Column("state_name", sa.String(64), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=True),
        sa.Column("parameters", sa.LargeBinary(), nullable=True),
        sa.Column("outcome", sa.LargeBinary(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_background_task_runs"),
    )
    op.create_index("ix_background_task_runs_status_task_key_created", "background_task_runs",
                    ["status", "task_key", "created"])
    op.create_table(
        "task_workers",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("task_keys", sa.JSON(), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("running", sa.Integer(), nullable=False),
        sa.Column("started", sa.Double(), nullable=False),
        sa.Column("last_heartbeat", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_task_workers"),
    )


def downgrade() -> None:
    op.drop_table("task_workers")
    op.drop_index("ix_background_task_runs_status_task_key_created", table_name="background_task_runs")
    op.drop_table("background_task_runs")
