"""Concurrency limits and the leases that hold their slots (`store/limits.py`)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Double, Index, Integer, PrimaryKeyConstraint, String, Table

from headwater.store.tables.base import ID, metadata

__all__ = ["concurrency_leases", "concurrency_limits"]

# Concurrency limits (store/limits.py). A limit is keyed by `name`: the global limit's
# name, or `tag:<tag>` for a tag limit. Slots in use = the slots of unexpired leases
# + the rate-limit slots still decaying, kept as an "occupancy at a time" pair
# (`decaying_slots` as of `decay_updated`) so decay needs no background ticker.
concurrency_limits = Table(
    "concurrency_limits",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("limit", Integer, nullable=False),
    Column("slot_decay_per_second", Double, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("decaying_slots", Double, nullable=False),
    Column("decay_updated", Double, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

# One row per limit a lease holds slots of; a lease over several limits has one row
# for each, sharing the id. `holder` says who holds it (pid, host, run id).
concurrency_leases = Table(
    "concurrency_leases",
    metadata,
    Column("id", ID, nullable=False),
    Column("limit_name", String(255), nullable=False),
    Column("slots", Integer, nullable=False),
    Column("holder", JSON, nullable=False),
    Column("expires", Double, nullable=False),
    Column("created", Double, nullable=False),
    PrimaryKeyConstraint("id", "limit_name"),
    Index(None, "limit_name", "expires"),
)
