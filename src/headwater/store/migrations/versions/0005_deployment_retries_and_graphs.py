"""Deployments: the flow's retry policy (applied to runs whose process dies) and a
Prefect 1 style flow's static graph.

Revision ID: 0005
Revises: 0004
Create Date: 2026-05-14

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable, no default): no table rebuild on SQLite; existing
    # deployments read as "no retries, no static graph".
    op.add_column("deployments", sa.Column("retries", sa.Integer(), nullable=True))
    op.add_column("deployments", sa.Column("retry_delay_seconds", sa.JSON(), nullable=True))
    op.add_column("deployments", sa.Column("static_graph", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("static_graph")
        batch.drop_column("retry_delay_seconds")
        batch.drop_column("retries")
