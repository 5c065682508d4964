"""`AssetOperations`: the assets part of the control plane (`Operations` inherits it).

Materializations reach the store through the engine's record batches
(store/batches.py), not through here; these are the operations of the REST API and
of the client's in-process transport: list and count assets, read one with its
neighbours, its materializations and its lineage, and delete one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.core.asset_schemas import (
        AssetCount,
        AssetFilterRequest,
        AssetInfo,
        AssetMaterializationInfo,
        MaterializationFilterRequest,
    )
    from headwater.store import Store

__all__ = ["AssetOperations"]


class AssetOperations:
    """Read, list, count and delete assets; read their materializations and lineage."""

    if TYPE_CHECKING:
        store: Store

    def filter_assets(self, request: AssetFilterRequest) -> list[AssetInfo]:
        """One page of the assets matching the request, each with its latest materialization."""
        return self.store.assets.filter_assets(request, sort=request.sort or "KEY_ASC", limit=request.limit,
                                               offset=request.offset or 0)

    def count_assets(self, request: AssetCount) -> int:
        """How many assets match the request."""
        return self.store.assets.count_assets(request)

    def read_asset(self, key: str) -> AssetInfo:
        """The asset `key` with its latest materialization and direct neighbours. Raises `ObjectNotFound`."""
        return self.store.assets.read_asset(key)

    def filter_asset_materializations(self, request: MaterializationFilterRequest) -> list[AssetMaterializationInfo]:
        """Materializations, newest first: of one asset and/or one flow run."""
        return self.store.assets.filter_materializations(asset_key=request.asset_key, flow_run_id=request.flow_run_id,
                                                         limit=request.limit, offset=request.offset or 0)

    def read_asset_lineage(self, key: str) -> list[tuple[str, str]]:
        """The (upstream, downstream) edges reachable from `key`. Raises `ObjectNotFound`."""
        return self.store.assets.read_lineage(key)

    def delete_asset(self, key: str) -> None:
        """Delete the asset `key` with its materializations and edges. Raises `ObjectNotFound`."""
        self.store.assets.delete_asset(key)
