"""`headwater artifact ls|inspect|delete` (Prefect's `prefect artifact` verbs and options).

Each command goes through the client's transport (`cli/_control.py`), so it works the
same on the embedded database and against a server.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional
from uuid import UUID

import typer

from headwater.cli._output import OutputFormat, format_time, print_error, print_json, print_rich

if TYPE_CHECKING:
    from headwater.core.artifact_schemas import ArtifactInfo

__all__ = ["app"]

app = typer.Typer(name="artifact", help="Inspect and delete artifacts: what runs show people.",
                  no_args_is_help=True)

OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")]


def _request(**fields: Any) -> Any:
    from headwater.core.artifact_schemas import ArtifactFilterRequest

    return ArtifactFilterRequest.model_validate(fields)


def _preview(data: Any) -> str:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return " ".join(text.split())


@app.command("ls")
def list_artifacts(
    limit: Annotated[int, typer.Option(min=0, max=10_000, help="The maximum number of artifacts to return.")] = 100,
    all_versions: Annotated[bool, typer.Option("--all/--no-all", "-a",
                                               help="Every version of each key, not only the latest.")] = False,
    output: OutputOption = OutputFormat.table,
) -> None:
    """List artifacts: the latest version of each key (every version, and those without a key, with --all)."""
    from headwater.cli._control import open_control

    with open_control() as control:
        request = _request(limit=limit, sort="KEY_ASC")
        found: list[Any] = (control.filter_artifacts(request) if all_versions
                            else control.filter_latest_artifacts(request))
    if output is OutputFormat.json:
        print_json([a.model_dump(mode="json") for a in found])
        return
    if not found:
        typer.echo("No artifacts. Make one in a flow with `headwater.artifacts.create_markdown_artifact(...)`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("KEY", no_wrap=True)
    table.add_column("TYPE", no_wrap=True)
    table.add_column("DATA", max_width=50, no_wrap=True, overflow="ellipsis")
    table.add_column("UPDATED", no_wrap=True)
    for artifact in found:
        table.add_row(getattr(artifact, "latest_id", artifact.id), artifact.key or "-", artifact.type or "-",
                      _preview(artifact.data), format_time(artifact.updated))
    print_rich(table)


@app.command("inspect")
def inspect_artifact(
    key: Annotated[str, typer.Argument(metavar="KEY", help="The artifacts' key.")],
    limit: Annotated[int, typer.Option(min=0, max=10_000, help="The maximum number of artifacts to return.")] = 10,
    output: OutputOption = OutputFormat.table,
) -> None:
    """Show the versions of an artifact key, newest first."""
    from headwater.cli._control import open_control

    with open_control() as control:
        found = control.filter_artifacts(_request(artifacts={"key": {"any_": [key]}}, sort="CREATED_DESC",
                                                  limit=limit))
    if not found:
        print_error(f"Artifact {key!r} not found. List the artifacts with `headwater artifact ls`.")
        raise typer.Exit(code=1)
    if output is OutputFormat.json:
        print_json([a.model_dump(mode="json") for a in found])
        return
    for number, artifact in enumerate(found):
        if number:
            typer.echo("")
        _print_artifact(artifact)


def _print_artifact(artifact: ArtifactInfo) -> None:
    rows = [("Id", artifact.id), ("Key", artifact.key or "-"), ("Type", artifact.type or "-"),
            ("Description", artifact.description or "-"), ("Flow run", artifact.flow_run_id or "-"),
            ("Task run", artifact.task_run_id or "-"), ("Created", format_time(artifact.created)),
            ("Updated", format_time(artifact.updated))]
    for label, value in rows:
        typer.echo(f"{label + ':':<13} {value}")
    typer.echo("Data:")
    typer.echo(artifact.data if isinstance(artifact.data, str) else json.dumps(artifact.data, indent=2))


@app.command("delete")
def delete_artifact(
    key: Annotated[Optional[str], typer.Argument(metavar="KEY", help="The key of the artifact to delete.")] = None,
    artifact_id: Annotated[Optional[UUID], typer.Option("--id", help="The ID of the artifact to delete.")] = None,
) -> None:
    """Delete an artifact by id (--id), or every version of a key."""
    from headwater.cli._control import open_control
    from headwater.exceptions import ObjectNotFound

    if (key is None) == (artifact_id is None):
        print_error("Give the artifact's KEY (every version is deleted) or its --id, not both.")
        raise typer.Exit(code=1)
    with open_control() as control:
        if artifact_id is not None:
            try:
                control.delete_artifact(str(artifact_id))
            except ObjectNotFound:
                print_error(f"Artifact with id '{artifact_id}' not found!")
                raise typer.Exit(code=1) from None
            typer.echo(f"Deleted artifact with id '{artifact_id}'.")
            return
        versions = control.filter_artifacts(_request(artifacts={"key": {"any_": [key]}}))
        if not versions:
            print_error(f"Artifact with key '{key}' not found!")
            raise typer.Exit(code=1)
        if sys.stdin.isatty() and not typer.confirm(
                f"Are you sure you want to delete {len(versions)} artifact(s) with key {key!r}?", default=False):
            typer.echo("Deletion aborted.")
            raise typer.Exit(code=1)
        for artifact in versions:
            control.delete_artifact(artifact.id)
    typer.echo(f"Deleted {len(versions)} artifact(s) with key '{key}'.")
