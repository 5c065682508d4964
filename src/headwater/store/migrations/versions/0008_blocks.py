"""Blocks: block types, block schemas and block documents.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "block_types",
        sa.Column("id", ID, nullable=False),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("logo_url", sa.Text(), nullable=True),
        sa.Column("documentation_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("code_example", sa.Text(), nullable=True),
        sa.Column("is_protected", sa.Boolean(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_block_types"),
        sa.UniqueConstraint("slug", name="uq_block_types_slug"),
    )
    op.create_table(
        "block_schemas",
        sa.Column("id", ID, nullable=False),
        sa.Column("checksum", sa.String(255), nullable=False),
        sa.Column("version", sa.String(255), nullable=False),
        sa.Column("block_type_id", ID, nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["block_type_id"], ["block_types.id"],
                                name="fk_block_schemas_block_type_id_block_types"),
        sa.PrimaryKeyConstraint("id", name="pk_block_schemas"),
    )
    op.create_index("ix_block_schemas_checksum_version", "block_schemas", ["checksum", "version"], unique=True)
    op.create_index("ix_block_schemas_block_type_id_created", "block_schemas", ["block_type_id", "created"])
    op.create_table(
        "block_documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("block_type_id", ID, nullable=False),
        sa.Column("block_schema_id", ID, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("is_anonymous", sa.Boolean(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["block_type_id"], ["block_types.id"],
                                name="fk_block_documents_block_type_id_block_types"),
        sa.ForeignKeyConstraint(["block_schema_id"], ["block_schemas.id"],
                                name="fk_block_documents_block_schema_id_block_schemas"),
        sa.PrimaryKeyConstraint("id", name="pk_block_documents"),
    )
    op.create_index("ix_block_documents_block_type_id_name", "block_documents", ["block_type_id", "name"],
                    unique=True)


def downgrade() -> None:
    op.drop_table("block_documents")
    op.drop_table("block_schemas")
    op.drop_table("block_types")
