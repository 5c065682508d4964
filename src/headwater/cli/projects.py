"""`headwater project create NAME` and `headwater project ls`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_json, print_rich

__all__ = ["app"]

app = typer.Typer(name="project", help="Create and list projects (deployments are grouped by project).",
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
