"""Deployments: the collision strategy of their concurrency limit (ENQUEUE or CANCEL_NEW).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default): existing deployments read as ENQUEUE.
    op.add_column("deployments", sa.Column("concurrency_options", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("concurrency_options")
