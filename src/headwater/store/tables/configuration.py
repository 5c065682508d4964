"""What users keep for their flows to read: variables and blocks."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Double, ForeignKey, Index, String, Table, Text

from headwater.store.tables.base import ID, metadata

__all__ = ["block_documents", "block_schemas", "block_types", "variables"]

# 0007: variables, named JSON values (`store/variables.py`). `value` holds any JSON
# (None is stored as JSON null); its size is bounded by the operation (`variable_max_bytes`).
variables = Table(
    "variables",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("value", JSON, nullable=True),
    Column("tags", JSON, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

# 0008: blocks (`store/blocks.py`): block types by slug, their schemas by checksum, and
# named documents. A document's `data` holds its values; secret values are encrypted by
# the operations before they get here (`operations/block_secrets.py`).
block_types = Table(
    "block_types",
    metadata,
    Column("id", ID, primary_key=True),
    Column("slug", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("logo_url", Text, nullable=True),
    Column("documentation_url", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("code_example", Text, nullable=True),
    Column("is_protected", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
block_schemas = Table(
    "block_schemas",
    metadata,
    Column("id", ID, primary_key=True),
    Column("checksum", String(255), nullable=False),
    Column("version", String(255), nullable=False),
    Column("block_type_id", ID, ForeignKey("block_types.id"), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("capabilities", JSON, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "checksum", "version", unique=True),
    Index(None, "block_type_id", "created"),
)
block_documents = Table(
    "block_documents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("block_type_id", ID, ForeignKey("block_types.id"), nullable=False),
    Column("block_schema_id", ID, ForeignKey("block_schemas.id"), nullable=False),
    Column("data", JSON, nullable=False),
    Column("is_anonymous", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "block_type_id", "name", unique=True),
)
