"""Concurrency limits and the leases that hold their slots.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-11

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "concurrency_limits",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=False),
        sa.Column("slot_decay_per_second", sa.Double(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("decaying_slots", sa.Double(), nullable=False),
        sa.Column("decay_updated", sa.Double(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_concurrency_limits"),
        sa.UniqueConstraint("name", name="uq_concurrency_limits_name"),
    )
    op.create_table(
        "concurrency_leases",
        sa.Column("id", ID, nullable=False),
        sa.Column("limit_name", sa.String(255), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("holder", sa.JSON(), nullable=False),
        sa.Column("expires", sa.Double(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", "limit_name", name="pk_concurrency_leases"),
    )
    op.create_index("ix_concurrency_leases_limit_name_expires", "concurrency_leases", ["limit_name", "expires"])


def downgrade() -> None:
    op.drop_table("concurrency_leases")
    op.drop_table("concurrency_limits")
