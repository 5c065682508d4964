"""`headwater work-pool storage inspect POOL` and `work-pool storage configure KIND POOL ...`.

A pool's storage configuration (`WorkPool.storage_configuration`) names bundle steps
and a result storage block. Prefect 3.9.1 configures it for S3, GCS and Azure Blob
Storage (its integrations' bundle functions and bucket blocks); headwater has no bundle
submission nor those blocks, so it configures the part it can use without a cloud:
the pool's result storage block, a `local-file-system` or `remote-file-system` block
named `default-<pool>-result-storage` (the name Prefect gives its bucket block).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from headwater.cli._output import print_json, print_rich

if TYPE_CHECKING:
    from headwater.client.schemas.objects import WorkPoolStorageConfiguration

__all__ = ["storage_app"]

storage_app = typer.Typer(name="storage", help="Inspect and configure the storage of a work pool.",
                          no_args_is_help=True)
configure_app = typer.Typer(name="configure", help="Configure the storage of a work pool.", no_args_is_help=True)
storage_app.add_typer(configure_app, name="configure")

_INTEGRATIONS = (("prefect_aws", "S3"), ("prefect_gcp", "GCS"), ("prefect_azure", "Azure Blob Storage"))


def storage_type(storage: WorkPoolStorageConfiguration, result_block_type: str | None) -> str | None:
    """What kind of storage this is, as `storage inspect` names it (None: nothing configured).

    Bundle steps name their integration (S3, GCS, Azure Blob Storage, else Unknown), as in
    Prefect; without bundle steps, the result storage block's type slug.
    """
    steps = [s for s in (storage.bundle_upload_step, storage.bundle_execution_step) if s]
    if not steps:
        return result_block_type
    for module, name in _INTEGRATIONS:
        if any(module in function for step in steps for function in step):
            return name
    return "Unknown"


def _step_arguments(step: dict[str, Any] | None) -> dict[str, Any] | None:
    """The arguments of a bundle step `{"module.function": {arguments}}` (None without one)."""
    if not step:
        return None
    arguments = next(iter(step.values()))
    return arguments if isinstance(arguments, dict) else {"arguments": arguments}


@storage_app.command("inspect")
def inspect_storage(
    name: Annotated[str, typer.Argument(help="The work pool's name.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="json for a JSON document.")] = None,
) -> None:
    """Show the storage configuration of a work pool."""
    from headwater.client.orchestration import get_client

    if output is not None and output.lower() != "json":
        raise typer.BadParameter("only 'json' is supported", param_hint="--output")
    with get_client(sync_client=True) as client:
        storage = client.read_work_pool(name).storage_configuration
        block = None
        if storage.default_result_storage_block_id is not None:
            block = client.read_block_document(storage.default_result_storage_block_id)
    block_type = block.block_type.slug if block is not None and block.block_type is not None else None
    kind = storage_type(storage, block_type)
    if kind is None:
        if output:
            typer.echo("{}")
        else:
            typer.secho(f"No storage configuration found for work pool {name!r}", fg="yellow")
        return
    upload, execution = _step_arguments(storage.bundle_upload_step), _step_arguments(storage.bundle_execution_step)
    result_storage = f"{block_type}/{block.name}" if block is not None else None
    if output:
        document: dict[str, Any] = {"type": kind}
        for key, value in (("upload", upload), ("execution", execution), ("result_storage", result_storage)):
            if value is not None:
                document[key] = value
        print_json(document)
        return
    rows = [("type", kind)]
    prefix = "" if execution is None or execution == upload else "upload."
    rows += [(f"{prefix}{key}", _text(value)) for key, value in (upload or {}).items()]
    if execution is not None and execution != upload:
        rows += [(f"execution.{key}", _text(value)) for key, value in execution.items()]
    if block is not None:
        rows += [("result_storage", str(result_storage)), ("result_storage.id", str(block.id))]
        rows += [(f"result_storage.{key}", _text(value)) for key, value in sorted((block.data or {}).items())]
    _print_panel(f"Storage Configuration for {name}", rows)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _print_panel(title: str, rows: list[tuple[str, str]]) -> None:
    from rich.panel import Panel
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    table.add_column("Setting", style="cyan")
    table.add_column("Value")
    for key, value in rows:
        table.add_row(key, value)
    print_rich(Panel(table, title=f"[bold]{title}[/bold]", expand=False))


def _configure_result_storage(name: str, block: Any) -> None:
    """Save `block` as the pool's result storage block and point the pool's storage at it.

    The pool's bundle steps stay as they are (headwater sets none).
    """
    from headwater.client.orchestration import get_client
    from headwater.client.schemas.actions import WorkPoolUpdate

    with get_client(sync_client=True) as client:
        storage = client.read_work_pool(name).storage_configuration  # ObjectNotFound names the pool
        slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")  # block names are lowercase with dashes
        block_id = block.save(f"default-{slug}-result-storage", overwrite=True, client=client)
        client.update_work_pool(name, WorkPoolUpdate(storage_configuration=storage.model_copy(
            update={"default_result_storage_block_id": block_id})))


@configure_app.command("local-file-system")
def configure_local_file_system(
    name: Annotated[str, typer.Argument(help="The work pool's name.")],
    base_path: Annotated[str, typer.Option("--base-path", help="The directory runs keep their results in.")],
) -> None:
    """Keep the results of the pool's runs in a directory (a `local-file-system` block).

    headwater only (Prefect 3.9.1 configures S3, GCS or Azure Blob Storage).
    """
    from headwater.filesystems import LocalFileSystem

    if not base_path.strip():
        raise typer.BadParameter("give a directory", param_hint="--base-path")
    # Absolute: the pool's workers and runs read it from their own working directories.
    _configure_result_storage(name, LocalFileSystem(basepath=str(Path(base_path).expanduser().resolve())))
    typer.echo(f"Configured local file system storage for work pool {name!r}")


@configure_app.command("remote-file-system")
def configure_remote_file_system(
    name: Annotated[str, typer.Argument(help="The work pool's name.")],
    base_path: Annotated[str, typer.Option(
        "--base-path", help="An fsspec URL runs keep their results under (s3://bucket/results, memory://...).")],
) -> None:
    """Keep the results of the pool's runs under an fsspec URL (a `remote-file-system` block).

    headwater only (Prefect 3.9.1 configures S3, GCS or Azure Blob Storage).
    """
    from headwater.filesystems import RemoteFileSystem

    if "://" not in base_path:
        raise typer.BadParameter(f"{base_path!r} is not a URL (scheme://path)", param_hint="--base-path")
    _configure_result_storage(name, RemoteFileSystem(basepath=base_path))
    typer.echo(f"Configured remote file system storage for work pool {name!r}")
