"""`AssetContext` (Prefect's `prefect.context.AssetContext`): the assets of the running task run.

Prefect keeps one in a context variable for every task run. headwater's engine keeps
the same facts on the running `TaskRun` (engine/asset_tracking.py) and records the
materializations when the run ends, so `AssetContext.get()` builds a view when asked:
plain task runs pay nothing for it.
"""

from __future__ import annotations

import json
from typing import Any, Optional
from uuid import UUID

from pydantic import BaseModel, Field, PrivateAttr

from headwater.core.asset_schemas import Asset
from headwater.engine.asset_tracking import add_metadata, upstream_assets
from headwater.engine.context import task_run_var

__all__ = ["AssetContext"]


class AssetContext(BaseModel):
    """The asset facts of the executing task run.

    Attributes:
        direct_asset_dependencies: the task's `asset_deps`.
        downstream_assets: the assets a `@materialize` task makes (empty for other tasks).
        upstream_assets: the assets of the upstream task runs whose results it received.
        materialized_by: the `by=` of `@materialize`.
        task_run_id: the task run's id.
        materialization_metadata: what `add_asset_metadata` added, by asset key.
    """

    direct_asset_dependencies: set[Asset] = Field(default_factory=set)
    downstream_assets: set[Asset] = Field(default_factory=set)
    upstream_assets: set[Asset] = Field(default_factory=set)
    materialized_by: Optional[str] = None
    task_run_id: Optional[UUID] = None
    materialization_metadata: dict[str, dict[str, Any]] = Field(default_factory=dict)
    copy_to_child_ctx: bool = False
    _run: Any = PrivateAttr(default=None)

    @classmethod
    def get(cls) -> AssetContext | None:
        """The context of the executing task run, or None outside task runs."""
        run = task_run_var.get()
        if run is None:
            return None
        task = run.task
        ctx = cls(direct_asset_dependencies=set(task.options.asset_deps),
                  downstream_assets=set(getattr(task, "assets", None) or ()),
                  upstream_assets=set(upstream_assets(run).values()),
                  materialized_by=getattr(task, "materialized_by", None), task_run_id=UUID(run.id),
                  materialization_metadata=dict(run.asset_metadata or {}))
        ctx._run = run
        return ctx

    def add_asset_metadata(self, asset_key: str, metadata: dict[str, Any]) -> None:
        """Merge `metadata` into the materialization of `asset_key` (recorded with it).

        Raises:
            ValueError: the task does not materialize `asset_key`.
        """
        if asset_key not in {asset.key for asset in self.downstream_assets}:
            raise ValueError("Can only add metadata to assets that are arguments to @materialize")
        if self._run is not None and self._run is task_run_var.get():
            add_metadata(asset_key, metadata, "")
        self.materialization_metadata[asset_key] = self.materialization_metadata.get(asset_key, {}) | metadata

    @staticmethod
    def asset_as_resource(asset: Asset) -> dict[str, str]:
        """The asset as an event's resource (Prefect's labels: id, name, description, url, owners)."""
        resource = {"prefect.resource.id": asset.key}
        properties = asset.properties.model_dump(exclude_unset=True) if asset.properties else {}
        for field, label in (("name", "prefect.resource.name"), ("description", "prefect.asset.description"),
                             ("url", "prefect.asset.url")):
            if properties.get(field) is not None:
                resource[label] = properties[field]
        if properties.get("owners") is not None:
            resource["prefect.asset.owners"] = json.dumps(properties["owners"])
        return resource

    @staticmethod
    def asset_as_related(asset: Asset) -> dict[str, str]:
        """The asset as an event's related resource."""
        return {"prefect.resource.id": asset.key, "prefect.resource.role": "asset"}

    @staticmethod
    def related_materialized_by(by: str) -> dict[str, str]:
        """The tool that materialized the assets, as an event's related resource."""
        return {"prefect.resource.id": by, "prefect.resource.role": "asset-materialized-by"}
