"""An index for finding the subflows of a flow run's task runs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_flow_runs_parent_task_run_id",
        "flow_runs",
        ["parent_task_run_id"],
        sqlite_where=sa.text("parent_task_run_id IS NOT NULL"),
        postgresql_where=sa.text("parent_task_run_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_flow_runs_parent_task_run_id", table_name="flow_runs")
