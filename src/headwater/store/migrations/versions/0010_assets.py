"""Assets: each key's properties, its materializations, and the lineage edges.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "assets",
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_assets"),
    )
    op.create_table(
        "asset_materializations",
        sa.Column("id", ID, nullable=False),
        sa.Column("asset_key", sa.String(512), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("by", sa.String(255), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=True),
        sa.Column("upstream", sa.JSON(), nullable=True),
        sa.Column("flow_run_id", ID, nullable=True),
        sa.Column("task_run_id", ID, nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_asset_materializations"),
    )
    op.create_index("ix_asset_materializations_asset_key_created", "asset_materializations",
                    ["asset_key", "created"])
    op.create_index("ix_asset_materializations_flow_run_id", "asset_materializations", ["flow_run_id"])
    op.create_table(
        "asset_dependencies",
        sa.Column("upstream_key", sa.String(512), nullable=False),
        sa.Column("downstream_key", sa.String(512), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("upstream_key", "downstream_key", name="pk_asset_dependencies"),
    )
    op.create_index("ix_asset_dependencies_downstream_key", "asset_dependencies", ["downstream_key"])


def downgrade() -> None:
    op.drop_index("ix_asset_dependencies_downstream_key", table_name="asset_dependencies")
    op.drop_table("asset_dependencies")
    op.drop_index("ix_asset_materializations_flow_run_id", table_name="asset_materializations")
    op.drop_index("ix_asset_materializations_asset_key_created", table_name="asset_materializations")
    op.drop_table("asset_materializations")
    op.drop_table("assets")
