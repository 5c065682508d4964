"""Work pools: their storage configuration (Prefect's `WorkPoolStorageConfiguration`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables/` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default): existing pools read as "no storage configured".
    op.add_column("work_pools", sa.Column("storage_configuration", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_pools") as batch:
        batch.drop_column("storage_configuration")
