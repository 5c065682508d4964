"""`AssetMethods`: the client's methods for assets, part of `SyncPrefectClient`.

Prefect 3's own client has no asset methods (its assets live in Prefect Cloud's
events); these follow its naming (`read_*`, `count_*`, `delete_*`) and return the
operations' models (`AssetInfo`, `AssetMaterializationInfo`). Materializations are
recorded by `@materialize` tasks through the run's history, not through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.asset_schemas import AssetInfo, AssetMaterializationInfo, AssetSort

__all__ = ["AssetMethods"]


def _key_filter(prefix: str | None, search: str | None) -> dict[str, object] | None:
    key: dict[str, list[str]] = {}
    if prefix:
        key["prefix"] = [prefix]
    if search:
        key["search"] = [search]
    return {"key": key} if key else None


class AssetMethods:
    """The assets methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    def read_assets(self, *, prefix: str | None = None, search: str | None = None, sort: AssetSort = "KEY_ASC",
                    limit: int | None = None, offset: int = 0) -> list[AssetInfo]:
        """The assets, each with its latest materialization.

        Args:
            prefix: only keys starting with this.
            search: only keys containing this (case-insensitive).
            sort: "KEY_ASC", "KEY_DESC" or "UPDATED_DESC".
        """
        from headwater.core.asset_schemas import AssetFilterRequest

        request = AssetFilterRequest.model_validate(
            {"filter": _key_filter(prefix, search), "sort": sort, "limit": limit, "offset": offset})
        return self._ops().filter_assets(request)

    def count_assets(self, *, prefix: str | None = None, search: str | None = None) -> int:
        """How many assets there are (with `prefix` / containing `search`)."""
        from headwater.core.asset_schemas import AssetCount

        return self._ops().count_assets(AssetCount.model_validate({"filter": _key_filter(prefix, search)}))

    def read_asset(self, key: str) -> AssetInfo:
        """The asset `key` with its latest materialization and direct upstream and downstream keys.

        Raises:
            ObjectNotFound: no asset has this key.
        """
        return self._ops().read_asset(key)

    def read_asset_materializations(self, key: str | None = None, *, flow_run_id: str | None = None,
                                    limit: int | None = None, offset: int = 0) -> list[AssetMaterializationInfo]:
        """Materializations, newest first: of the asset `key` and/or made in one flow run."""
        from headwater.core.asset_schemas import MaterializationFilterRequest

        request = MaterializationFilterRequest(asset_key=key, flow_run_id=str(flow_run_id) if flow_run_id else None,
                                               limit=limit, offset=offset)
        return self._ops().filter_asset_materializations(request)

    def read_asset_lineage(self, key: str) -> list[tuple[str, str]]:
        """The (upstream, downstream) key pairs reachable from `key`, up and down.

        Raises:
            ObjectNotFound: no asset has this key.
        """
        return self._ops().read_asset_lineage(key)

    def delete_asset(self, key: str) -> None:
        """Delete the asset `key` with its materializations and lineage edges.

        Raises:
            ObjectNotFound: no asset has this key.
        """
        self._ops().delete_asset(key)
