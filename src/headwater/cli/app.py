"""The `headwater` command: the root Typer app, `version`, and central error handling.

Every `HeadwaterError` a command raises (a user mistake, a missing run, an unusable
database) is printed as one `Error: ...` line on stderr with exit code 1; usage
errors keep Typer's exit code 2. Commands import the store and the engine inside
their bodies, so `headwater --help` loads neither.
"""

from __future__ import annotations

import platform
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from headwater.cli import (
    artifacts,
    assets,
    blocks,
    config,
    database,
    automations,
    deployments,
    events,
    flow_runs,
    limits,
    project_files,
    projects,
    server,
    task_worker,
    variables,
    work_pools,
    worker,
)
from headwater.cli._output import mask_url, print_error
from headwater.cli.run import run_flow
from headwater.exceptions import HeadwaterError

__all__ = ["app", "main"]


class _HeadwaterGroup(TyperGroup):
    """The root command group; turns headwater's errors into one line and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HeadwaterError as exc:
            print_error(str(exc) or type(exc).__name__)
            raise typer.Exit(code=1) from None


app = typer.Typer(
    name="headwater",
    cls=_HeadwaterGroup,
    help="headwater: run Python workflows and inspect their history.",
    no_args_is_help=True,
    add_completion=False,
    # Locals can hold secrets (API keys, database passwords); never print them.
    pretty_exceptions_show_locals=False,
)
app.command("run")(run_flow)
app.add_typer(flow_runs.app, name="flow-run")
app.add_typer(config.app, name="config")
app.add_typer(database.app, name="database")
app.add_typer(server.app, name="server")
app.add_typer(limits.gcl_app, name="gcl")
app.add_typer(limits.tag_app, name="concurrency-limit")
app.command("deploy")(deployments.deploy_flow)
app.command("init")(project_files.init_project)
app.add_typer(deployments.app, name="deployment")
app.add_typer(projects.app, name="project")
app.add_typer(projects.create_app, name="create")
app.add_typer(work_pools.app, name="work-pool")
app.add_typer(worker.app, name="worker")
app.add_typer(worker.agent_app, name="agent")
app.add_typer(variables.app, name="variable")
app.add_typer(events.app, name="event")
app.add_typer(automations.app, name="automation")
app.add_typer(artifacts.app, name="artifact")
app.add_typer(assets.app, name="asset")
app.add_typer(blocks.app, name="block")
app.add_typer(task_worker.app, name="task-worker")


@app.command("version")
def show_version() -> None:
    """Show headwater's version, Python's, and where history goes."""
    from headwater._version import __version__
    from headwater.core.settings import get_settings

    settings = get_settings()
    rows = [
        ("Version", __version__),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Platform", platform.platform(terse=True)),
        ("Home", str(settings.home)),
        ("Database", mask_url(settings.database_url_resolved)),
        ("API", settings.api_url or "embedded"),
    ]
    for label, value in rows:
        typer.echo(f"{label + ':':<10} {value}")


def main() -> None:
    """Entry point of the `headwater` console script."""
    try:
        app()
    except HeadwaterError as exc:
        # Raised outside any command (while building the app or completing words).
        print_error(str(exc) or type(exc).__name__)
        sys.exit(1)
