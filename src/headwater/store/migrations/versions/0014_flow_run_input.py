"""Flow run input: JSON values keyed by (flow run, key), for paused runs and send_input.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "flow_run_input",
        sa.Column("id", ID, nullable=False),
        sa.Column("flow_run_id", ID, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(255), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flow_run_input"),
    )
    op.create_index("ix_flow_run_input_flow_run_id_key", "flow_run_input", ["flow_run_id", "key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_flow_run_input_flow_run_id_key", table_name="flow_run_input")
    op.drop_table("flow_run_input")
