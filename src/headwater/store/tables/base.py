"""The one `MetaData` every table is defined on, and the column types the areas share."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData, String

__all__ = ["ID", "SERIAL_ID", "metadata"]

# Explicit constraint names keep migrations and create_all identical on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)
# 64-bit on PostgreSQL (logs outgrow 2**31); SQLite needs plain INTEGER for a rowid key.
SERIAL_ID = BigInteger().with_variant(Integer, "sqlite")
