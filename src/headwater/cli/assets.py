"""`headwater asset ls|inspect|delete` (Prefect Cloud's `prefect cloud asset` verbs and
options, plus `inspect`).

Each command goes through the client's transport (`cli/_control.py`), so it works the
same on the embedded database and against a server.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_error, print_json, print_rich

__all__ = ["app"]

app = typer.Typer(name="asset", help="List, inspect and delete assets: the data flows make.", no_args_is_help=True)

OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")]


@app.command("ls")
def list_assets(
    prefix: Annotated[Optional[str], typer.Option("--prefix", "-p", help="Filter assets by key prefix.")] = None,
    search: Annotated[Optional[str], typer.Option("--search", "-s", help="Filter assets by key substring.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-l", min=1, max=10_000,
                                       help="Maximum number of assets to return.")] = 50,
    output: OutputOption = OutputFormat.table,
) -> None:
    """List assets with their latest materialization."""
    from headwater.cli._control import open_control
    from headwater.core.asset_schemas import AssetCount, AssetFilterRequest

    key: dict[str, list[str]] = {}
    if prefix:
        key["prefix"] = [prefix]
    if search:
        key["search"] = [search]
    criteria = {"filter": {"key": key}} if key else {}
    with open_control() as control:
        found = control.filter_assets(AssetFilterRequest.model_validate({**criteria, "limit": limit}))
        total = control.count_assets(AssetCount.model_validate(criteria))
    if output is OutputFormat.json:
        print_json([a.model_dump(mode="json") for a in found])
        return
    if not found:
        typer.echo("No assets found. Make one with `@materialize(\"s3://bucket/file.csv\")` on a task.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("KEY", no_wrap=True)
    table.add_column("LAST MATERIALIZED", no_wrap=True)
    table.add_column("STATUS", no_wrap=True)
    table.add_column("BY", no_wrap=True)
    for asset in found:
        last = asset.last_materialization
        table.add_row(asset.key, format_time(last.created) if last else "-", last.status if last else "-",
                      (last.by or "-") if last else "-")
    print_rich(table)
    typer.echo(f"\nShowing {len(found)} of {total} asset(s)")


@app.command("inspect")
def inspect_asset(
    key: Annotated[str, typer.Argument(help="The asset's key, e.g. s3://bucket/data.csv.")],
    limit: Annotated[int, typer.Option("--limit", "-l", min=0, max=10_000,
                                       help="How many materializations to show.")] = 10,
    output: OutputOption = OutputFormat.table,
) -> None:
    """Show an asset: properties, upstream and downstream assets, latest materializations."""
    from headwater.cli._control import open_control
    from headwater.core.asset_schemas import MaterializationFilterRequest
    from headwater.exceptions import ObjectNotFound

    with open_control() as control:
        try:
            asset = control.read_asset(key)
        except ObjectNotFound:
            print_error(f"Asset {key!r} not found. List the assets with `headwater asset ls`.")
            raise typer.Exit(code=1) from None
        history = control.filter_asset_materializations(MaterializationFilterRequest(asset_key=key, limit=limit))
    if output is OutputFormat.json:
        print_json({**asset.model_dump(mode="json"), "materializations": [m.model_dump(mode="json") for m in history]})
        return
    rows = [("Key", asset.key), ("Properties", json.dumps(asset.properties) if asset.properties else "-"),
            ("Upstream", ", ".join(asset.upstream) or "-"), ("Downstream", ", ".join(asset.downstream) or "-"),
            ("Last seen", format_time(asset.updated))]
    for label, value in rows:
        typer.echo(f"{label + ':':<12} {value}")
    typer.echo("Materializations:" if history else "Materializations: none (only read by other assets' tasks)")
    for m in history:
        typer.echo(f"  {format_time(m.created)}  {m.status:<9}  by {m.by or '-'}  flow run {m.flow_run_id or '-'}"
                   + (f"  metadata {json.dumps(m.metadata)}" if m.metadata else ""))


@app.command("delete")
def delete_asset(
    key: Annotated[str, typer.Argument(help="The key of the asset to delete.")],
    force: Annotated[bool, typer.Option("--force", "-f", help="Skip confirmation prompt.")] = False,
) -> None:
    """Delete an asset by its key, with its materializations and lineage."""
    from headwater.cli._control import open_control
    from headwater.exceptions import ObjectNotFound

    if sys.stdin.isatty() and not force and not typer.confirm(
            f"Are you sure you want to delete asset {key!r}?", default=False):
        typer.echo("Deletion aborted.")
        raise typer.Exit(code=1)
    with open_control() as control:
        try:
            control.delete_asset(key)
        except ObjectNotFound:
            print_error(f"Asset {key!r} not found.")
            raise typer.Exit(code=1) from None
    typer.echo(f"Deleted asset {key!r}.")
