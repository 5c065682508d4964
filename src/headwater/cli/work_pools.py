"""`headwater work-pool create NAME [--type process] [--concurrency-limit N]`, `work-pool ls`, `work-pool update`;
`work-pool storage ...` is in cli/work_pool_storage.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from headwater.cli._output import OutputFormat, print_json, print_rich
from headwater.cli.work_pool_storage import storage_app

__all__ = ["app"]

app = typer.Typer(name="work-pool", help="Create, list and change work pools.", no_args_is_help=True)
app.add_typer(storage_app, name="storage")


@app.command("create")
def create_work_pool(
    name: Annotated[str, typer.Argument(help="The pool's name.")],
    pool_type: Annotated[str, typer.Option(
        "--type", "-t", help="The kind of infrastructure; headwater runs flows as local processes: process.")
    ] = "process",
    concurrency_limit: Annotated[Optional[int], typer.Option(min=0, help="Most runs of the pool at once.")] = None,
    description: Annotated[Optional[str], typer.Option(help="What it is for.")] = None,
    paused: Annotated[bool, typer.Option(help="Create it paused (its workers claim nothing).")] = False,
    base_job_template: Annotated[Optional[Path], typer.Option(
        "--base-job-template", metavar="FILE", help="A JSON file: the pool's job template (default: the type's; see "
                                                    "`work-pool get-default-base-job-template`).")] = None,
) -> None:
    """Create a work pool; start workers for it with `headwater worker start --pool NAME`."""
    from headwater.cli._control import open_control
    from headwater.cli._input import check_pool_type, check_project_name
    from headwater.core.deployment_schemas import WorkPoolCreate

    check_project_name(name)
    check_pool_type(pool_type, "--type")
    with open_control() as control:
        pool = control.create_work_pool(WorkPoolCreate(name=name, concurrency_limit=concurrency_limit,
                                                       description=description, paused=paused,
                                                       type=pool_type.strip().lower(),
                                                       base_job_template=_read_template(base_job_template)))
    limit = f", at most {pool.concurrency_limit} run(s) at once" if pool.concurrency_limit is not None else ""
    typer.echo(f"Created work pool {pool.name!r}{limit}. Start a worker: headwater worker start --pool {pool.name}")


def _read_template(path: Path | None) -> dict[str, Any]:
    """A base job template from a JSON file ({} for none)."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {str(path)!r}: {exc.strerror}", param_hint="--base-job-template")
    except ValueError as exc:
        raise typer.BadParameter(f"{str(path)!r} is not JSON: {exc}", param_hint="--base-job-template")
    if not isinstance(data, dict):
        raise typer.BadParameter(f"{str(path)!r} must hold a JSON object with job_configuration and variables",
                                 param_hint="--base-job-template")
    return data


@app.command("get-default-base-job-template")
def default_base_job_template(
    pool_type: Annotated[str, typer.Option("--type", "-t", help="The work pool type.")] = "process",
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Write it to this file instead.")] = None,
) -> None:
    """Print the job template a pool of this type gets by default (JSON), to edit and pass to
    `work-pool create --base-job-template FILE`."""
    from headwater.cli._input import check_pool_type
    from headwater.core.job_templates import default_base_job_template as template_of

    check_pool_type(pool_type, "--type")
    text = json.dumps(template_of(pool_type.strip().lower()), indent=2)
    if file is None:
        typer.echo(text)
        return
    file.write_text(text + "\n")
    typer.echo(f"Wrote the {pool_type} type's base job template to {file}.")


@app.command("inspect")
def inspect_work_pool(
    name: Annotated[str, typer.Argument(help="The pool's name.")],
) -> None:
    """Show a work pool with its base job template, as JSON."""
    from headwater.cli._control import open_control

    with open_control() as control:
        pool = control.read_work_pool(name)
    print_json(pool.model_dump(mode="json"))


@app.command("update")
def update_work_pool(
    name: Annotated[str, typer.Argument(help="The pool's name.")],
    concurrency_limit: Annotated[Optional[int], typer.Option(min=0, help="Most runs at once.")] = None,
    no_limit: Annotated[bool, typer.Option("--no-limit", help="Remove the concurrency limit.")] = False,
    pause: Annotated[Optional[bool], typer.Option("--pause/--resume", help="Pause or resume the pool.")] = None,
    base_job_template: Annotated[Optional[Path], typer.Option(
        "--base-job-template", metavar="FILE", help="A JSON file: the pool's new job template.")] = None,
) -> None:
    """Change a pool's concurrency limit, or pause / resume it."""
    from headwater.cli._control import open_control
    from headwater.core.deployment_schemas import WorkPoolUpdate

    changes: dict[str, object] = {}
    if concurrency_limit is not None:
        changes["concurrency_limit"] = concurrency_limit
    if no_limit:
        changes["clear_concurrency_limit"] = True
    if pause is not None:
        changes["paused"] = pause
    if base_job_template is not None:
        changes["base_job_template"] = _read_template(base_job_template)
    with open_control() as control:
        pool = control.update_work_pool(name, WorkPoolUpdate(**changes))
    typer.echo(f"Work pool {pool.name!r}: limit {pool.concurrency_limit if pool.concurrency_limit is not None else 'none'}"
               f", {'paused' if pool.paused else 'active'}.")


@app.command("ls")
def list_work_pools(
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")] = OutputFormat.table,
) -> None:
    """List work pools with their status, workers online and runs in progress."""
    from headwater.cli._control import open_control

    with open_control() as control:
        pools = control.list_work_pools()
    if output is OutputFormat.json:
        print_json([p.model_dump(mode="json") for p in pools])
        return
    if not pools:
        typer.echo("No work pools. Create one with `headwater work-pool create NAME`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("NAME", "TYPE", "STATUS", "WORKERS", "RUNS", "LIMIT"):
        table.add_column(column)
    for p in pools:
        table.add_row(p.name, p.type, p.status, str(p.workers_online), str(p.active_runs),
                      str(p.concurrency_limit) if p.concurrency_limit is not None else "-")
    print_rich(table)
