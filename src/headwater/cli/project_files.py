"""`headwater init`: write a starter project file (deployed by `headwater deploy --all`)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

__all__ = ["init_project"]


def init_project(
    name: Annotated[Optional[str], typer.Option("--name", help="The project's name (default: the directory's).")] = None,
    recipe: Annotated[Optional[str], typer.Option(
        help="local (runs start in this directory) or git (runs check out this repository's origin); default: "
             "git in a repository with an origin, else local.")] = None,
    file_name: Annotated[str, typer.Option(
        "--file", help="The file to write: headwater.yaml, or prefect.yaml (the same schema).")] = "headwater.yaml",
) -> None:
    """Write a starter project file here, listing deployments and how runs fetch the code."""
    from headwater.deployments.base import initialize_project

    if file_name not in ("headwater.yaml", "prefect.yaml"):
        raise typer.BadParameter("the project file is headwater.yaml or prefect.yaml", param_hint="--file")
    try:
        written = initialize_project(name=name, recipe=recipe, file_name=file_name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--recipe") from None
    if not written:
        typer.echo(f"{file_name} exists already here; nothing written.")
        return
    typer.echo(f"Wrote {file_name}. Fill in its deployments (name, entrypoint, work_pool), then run "
               "`headwater deploy --all`.")
