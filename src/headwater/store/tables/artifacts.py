"""Artifacts and their collections, and assets with their materializations and lineage."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Double, Index, String, Table, Text

from headwater.store.tables.base import ID, metadata

__all__ = [
    "artifact_collections",
    "artifacts",
    "asset_dependencies",
    "asset_materializations",
    "assets",
]

# 0009: artifacts (`store/artifacts.py`), written by the batch writer when made in a run
# (store/batches.py) and by the operations otherwise. No foreign keys to the runs: an
# artifact may name a run whose record is in the same or a later batch, or made elsewhere.
# `artifact_collections` holds the latest version of each key (Prefect's notion); the
# other fields of a collection are read from its latest artifact.
artifacts = Table(
    "artifacts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("key", String(255), nullable=True),
    Column("type", String(64), nullable=True),
    Column("description", Text, nullable=True),
    Column("data", JSON, nullable=True),
    Column("metadata", JSON, nullable=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_artifacts_key_created", artifacts.c.key, artifacts.c.created)
Index("ix_artifacts_flow_run_id", artifacts.c.flow_run_id)
Index("ix_artifacts_task_run_id", artifacts.c.task_run_id)

artifact_collections = Table(
    "artifact_collections",
    metadata,
    Column("id", ID, primary_key=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("latest_id", ID, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

# 0010: assets (`store/assets.py`), written by the batch writer when a `@materialize`
# task run ends (store/batches.py). `assets` holds each key's latest properties and
# when it was last seen; `asset_materializations` one row per asset per materializing
# task run; `asset_dependencies` the lineage edges seen so far (upstream -> downstream).
# No foreign keys: a materialization may name runs written in a later batch.
assets = Table(
    "assets",
    metadata,
    Column("key", String(512), primary_key=True),
    Column("properties", JSON, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

asset_materializations = Table(
    "asset_materializations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("asset_key", String(512), nullable=False),
    Column("status", String(16), nullable=False),
    Column("by", String(255), nullable=True),
    Column("metadata", JSON, nullable=True),
    Column("upstream", JSON, nullable=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("created", Double, nullable=False),
)
Index("ix_asset_materializations_asset_key_created", asset_materializations.c.asset_key,
      asset_materializations.c.created)
Index("ix_asset_materializations_flow_run_id", asset_materializations.c.flow_run_id)

asset_dependencies = Table(
    "asset_dependencies",
    metadata,
    Column("upstream_key", String(512), primary_key=True),
    Column("downstream_key", String(512), primary_key=True),
    Column("created", Double, nullable=False),
)
Index("ix_asset_dependencies_downstream_key", asset_dependencies.c.downstream_key)
