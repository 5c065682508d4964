"""The Assets pages: every asset with its latest materialization, and one asset with
its materializations and its lineage graph (upstream and downstream assets), drawn by
graph.py's layered layout and SVG, as a static flow's graph is.

An asset key is a URI, so the asset page takes it as a query parameter
(`/asset?key=s3://bucket/file.csv`). Everything shown is escaped by the templates
and by graph.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from headwater.core.asset_schemas import AssetCount, AssetFilterRequest, MaterializationFilterRequest
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import operations_of
from headwater.server.ui.graph import layout_graph, render_graph_svg
from headwater.server.ui.templating import render
from headwater.store.ui_queries import EdgeRow, TaskRunRow

__all__ = ["lineage_svg", "router"]

router = APIRouter(include_in_schema=False)

_PAGE = 200


def _label(key: str) -> str:
    """A node's short label: the key's last path segment (the whole key is in the lists)."""
    tail = key.rstrip("/").rsplit("/", 1)[-1]
    return tail or key


def lineage_svg(key: str, edges: list[tuple[str, str]]) -> Markup:
    """The lineage around `key` as SVG: each asset one node (`key` itself marked), each
    (upstream, downstream) pair one arrow."""
    keys = list(dict.fromkeys([key, *(k for edge in edges for k in edge)]))
    # graph.py lays out task runs: each asset stands in as a run of its own task, so
    # none are grouped, and the edges are "data" inputs.
    rows = [TaskRunRow(id=k, name=_label(k), task_name=_label(k), task_key=f"asset:{k}", dynamic_key=0,
                       state_type=None, state_name=None, created=float(i), start_time=None, end_time=None,
                       updated=0.0) for i, k in enumerate(keys)]
    layout = layout_graph(rows, [EdgeRow(task_run_id=down, upstream_id=up, parameter="", kind="data")
                                 for up, down in edges])
    for node in layout.nodes:
        node.kind = "current" if node.run_ids[0] == key else "asset"
        node.states.clear()
    return render_graph_svg(layout, "", static=True)


@router.get("/assets", response_class=HTMLResponse)
def assets_page(request: Request) -> HTMLResponse:
    """Every asset with its latest materialization."""
    ops = operations_of(request)
    assets = ops.filter_assets(AssetFilterRequest(sort="KEY_ASC", limit=_PAGE))
    total = ops.count_assets(AssetCount())
    return render(request, "assets.html", {"assets": assets, "total": total})


@router.get("/asset", response_class=HTMLResponse)
def asset_page(request: Request, key: str = "") -> HTMLResponse:
    """One asset: properties, lineage graph, materializations (newest first)."""
    from headwater.server.ui.pages_runs import not_found_page

    ops = operations_of(request)
    try:
        asset = ops.read_asset(key)
        edges = ops.read_asset_lineage(key)
    except ObjectNotFound:
        return not_found_page(request, f"There is no asset with key {key!r}.")
    materializations = ops.filter_asset_materializations(MaterializationFilterRequest(asset_key=key, limit=_PAGE))
    return render(request, "asset.html", {"asset": asset, "graph": lineage_svg(key, edges), "edges": edges,
                                          "materializations": materializations})
