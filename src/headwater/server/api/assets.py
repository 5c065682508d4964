"""Assets: `POST /api/assets/filter` and `/count`, `GET|DELETE /api/assets/key?key=...`
(the paths Prefect Cloud's `asset` commands use; a key is a URI, so it travels as a
query parameter), `GET /api/assets/key/lineage?key=...` and
`POST /api/assets/materializations/filter`.

An unknown key is a 404; a malformed body or key a 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from headwater.core.asset_schemas import (
    MAX_ASSET_KEY_LENGTH,
    AssetCount,
    AssetFilterRequest,
    AssetInfo,
    AssetMaterializationInfo,
    MaterializationFilterRequest,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/assets", tags=["assets"])

KeyParam = Annotated[str, Query(min_length=1, max_length=MAX_ASSET_KEY_LENGTH, pattern=r"^[^\x00]*$",
                                description="The asset's key, e.g. s3://bucket/file.csv")]


@router.post("/filter", summary="List assets")
def filter_assets(ops: OpsDep, body: AssetFilterRequest = Body(default_factory=AssetFilterRequest)
                  ) -> list[AssetInfo]:
    """One page of the assets matching the filter (by key unless `sort` says otherwise),
    each with its latest materialization."""
    return ops.filter_assets(body)


@router.post("/count", summary="Count assets")
def count_assets(ops: OpsDep, body: AssetCount = Body(default_factory=AssetCount)) -> int:
    """How many assets match the filter."""
    return ops.count_assets(body)


@router.post("/materializations/filter", summary="List materializations")
def filter_asset_materializations(
        ops: OpsDep, body: MaterializationFilterRequest = Body(default_factory=MaterializationFilterRequest)
) -> list[AssetMaterializationInfo]:
    """Materializations, newest first: of one asset (`asset_key`) and/or one flow run."""
    return ops.filter_asset_materializations(body)


@router.get("/key", summary="Read an asset")
def read_asset(key: KeyParam, ops: OpsDep) -> AssetInfo:
    """The asset with this key, its latest materialization and its direct upstream and
    downstream keys; 404 if there is none."""
    return ops.read_asset(key)


@router.get("/key/lineage", summary="Read an asset's lineage")
def read_asset_lineage(key: KeyParam, ops: OpsDep) -> list[tuple[str, str]]:
    """The (upstream, downstream) edges reachable from the asset, up and down; 404 if there is none."""
    return ops.read_asset_lineage(key)


@router.delete("/key", status_code=204, summary="Delete an asset")
def delete_asset(key: KeyParam, ops: OpsDep) -> Response:
    """Delete the asset with its materializations and lineage edges; 404 if there is none."""
    ops.delete_asset(key)
    return Response(status_code=204)
