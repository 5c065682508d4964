"""`headwater project create NAME`, `headwater project ls`, and Prefect 1's verb-first
`headwater create project NAME`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_json, print_rich

__all__ = ["app", "create_app"]

app = typer.Typer(name="project", help="Create and list projects (deployments are grouped by project).",
                  no_args_is_help=True)
create_app = typer.Typer(name="create", help="Create things, Prefect 1's way round: `headwater create project NAME`.",
                         no_args_is_help=True)


@app.command("create")
def create_project(
    name: Annotated[str, typer.Argument(help="The project's name.")],
    description: Annotated[Optional[str], typer.Option(help="What it holds.")] = None,
) -> None:
    """Create a project; deploy into it with `--project NAME` (or flow.register(project_name=NAME))."""
    from headwater.cli._control import open_control
    from headwater.cli._input import check_project_name
    from headwater.core.deployment_schemas import ProjectCreate

    check_project_name(name)
    with open_control() as control:
        project = control.create_project(ProjectCreate(name=name, description=description))
    typer.echo(f"Created project {project.name!r}.")


@create_app.command("project")
def create_project_prefect1(
    name: Annotated[str, typer.Argument(help="The project's name.")],
    description: Annotated[Optional[str], typer.Option("--description", "-d", help="What it holds.")] = None,
    skip_if_exists: Annotated[bool, typer.Option(
        "--skip-if-exists", help="Do nothing if the project exists (it is never created twice either way).")] = False,
) -> None:
    """Create a project (Prefect 1's `prefect create project`); a project that exists is left as it is.

    Prints 'NAME created', or 'NAME already exists'; exits 0 either way, as Prefect 1 does.
    """
    from headwater.cli._control import open_control
    from headwater.cli._input import check_project_name
    from headwater.core.deployment_schemas import ProjectCreate
    from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound

    check_project_name(name)
    with open_control() as control:
        # Checked first with or without --skip-if-exists (it only spared Prefect 1 a request).
        try:
            control.read_project(name)
        except ObjectNotFound:
            pass
        else:
            typer.echo(f"{name} already exists")
            return
        try:
            control.create_project(ProjectCreate(name=name, description=description))
        except ObjectAlreadyExists:  # created meanwhile by someone else: the same outcome
            typer.echo(f"{name} already exists")
            return
    typer.echo(f"{name} created")


@app.command("ls")
def list_projects(
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")] = OutputFormat.table,
) -> None:
    """List projects with how many deployments each has."""
    from headwater.cli._control import open_control

    with open_control() as control:
        projects = control.list_projects()
    if output is OutputFormat.json:
        print_json([p.model_dump(mode="json") for p in projects])
        return
    if not projects:
        typer.echo("No projects. Create one with `headwater project create NAME`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("NAME", "DEPLOYMENTS", "CREATED", "DESCRIPTION"):
        table.add_column(column)
    for p in projects:
        table.add_row(p.name, str(p.deployments), format_time(p.created), p.description or "-")
    print_rich(table)
