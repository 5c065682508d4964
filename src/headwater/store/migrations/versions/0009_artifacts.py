"""Artifacts: what runs show people, and the latest version of each key.

Revision ID: 0009
Revises: 0007 (0008 is being written in parallel; the chain is set when both are merged)
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "artifacts",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(255), nullable=True),
        sa.Column("type", sa.String(64), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=True),
        sa.Column("flow_run_id", ID, nullable=True),
        sa.Column("task_run_id", ID, nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_artifacts"),
    )
    op.create_index("ix_artifacts_key_created", "artifacts", ["key", "created"])
    op.create_index("ix_artifacts_flow_run_id", "artifacts", ["flow_run_id"])
    op.create_index("ix_artifacts_task_run_id", "artifacts", ["task_run_id"])
    op.create_table(
        "artifact_collections",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("latest_id", ID, nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_artifact_collections"),
        sa.UniqueConstraint("key", name="uq_artifact_collections_key"),
    )


def downgrade() -> None:
    op.drop_table("artifact_collections")
    op.drop_index("ix_artifacts_task_run_id", table_name="artifacts")
    op.drop_index("ix_artifacts_flow_run_id", table_name="artifacts")
    op.drop_index("ix_artifacts_key_created", table_name="artifacts")
    op.drop_table("artifacts")
