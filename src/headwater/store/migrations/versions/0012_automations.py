"""Automations: their documents, the actions they took (one per firing and action,
unique), and how far the trigger service has read the events.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "automations",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("owner_resource", sa.String(1024), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_automations"),
    )
    op.create_index("ix_automations_name", "automations", ["name"])
    op.create_index("ix_automations_owner_resource", "automations", ["owner_resource"])
    op.create_table(
        "automation_actions",
        sa.Column("id", ID, nullable=False),
        sa.Column("automation_id", ID, nullable=False),
        sa.Column("firing_key", sa.String(255), nullable=False),
        sa.Column("action_index", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_automation_actions"),
        sa.UniqueConstraint("automation_id", "firing_key", "action_index", name="uq_automation_actions_firing"),
    )
    op.create_index("ix_automation_actions_automation_id_created", "automation_actions",
                    ["automation_id", "created"])
    op.create_table(
        "automation_cursor",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("received", sa.Double(), nullable=False),
        sa.Column("state_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_automation_cursor"),
    )


def downgrade() -> None:
    op.drop_table("automation_cursor")
    op.drop_table("automation_actions")
    op.drop_table("automations")
