"""Server: when scheduled flow runs are due, and the record batches already written.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-12

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default) works on both databases without
    # rebuilding the table, which batch mode would do on SQLite.
    op.add_column("flow_runs", sa.Column("expected_start_time", sa.Double(), nullable=True))
    op.create_table(
        "received_batches",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("received", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_received_batches"),
    )
    op.create_index("ix_received_batches_received", "received_batches", ["received"])


def downgrade() -> None:
    op.drop_table("received_batches")
    with op.batch_alter_table("flow_runs") as batch:
        batch.drop_column("expected_start_time")
