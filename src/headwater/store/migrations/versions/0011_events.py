"""Events: what happened to which resource, in Prefect 3's shape; and the marks that
find `states` rows by time (the events of state changes are read from them) without
an index on `states.timestamp`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.String(36)
SERIAL_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", ID, nullable=False),
        sa.Column("occurred", sa.Double(), nullable=False),
        sa.Column("event", sa.String(1024), nullable=False),
        sa.Column("resource_id", sa.String(1024), nullable=False),
        sa.Column("resource", sa.Text(), nullable=False),
        sa.Column("related", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("follows", ID, nullable=True),
        sa.Column("received", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_occurred", "events", ["occurred"])
    op.create_index("ix_events_resource_id_occurred", "events", ["resource_id", "occurred"])
    op.create_index("ix_events_received", "events", ["received"])
    op.create_table(
        "state_marks",
        sa.Column("id", SERIAL_ID, autoincrement=True, nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("state_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_state_marks"),
    )
    op.create_index("ix_state_marks_at", "state_marks", ["at"])


def downgrade() -> None:
    op.drop_table("state_marks")
    op.drop_table("events")
