"""`headwater deploy FILE.py:FLOW --name N ...` and `headwater deployment run|ls|inspect|backfill|pause|resume|delete`.

Deployments go to the server when `HEADWATER_API_URL` is set, else into the embedded
database. `deployment run --watch` streams the run's logs and exits with its outcome:
0 Completed, 1 anything else.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from headwater.cli._control import open_control
from headwater.cli._output import OutputFormat, format_log_line, format_time, print_json, print_rich, state_text

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import DeploymentInfo

__all__ = ["app", "deploy_flow"]

app = typer.Typer(name="deployment", help="Run, list and inspect deployments.", no_args_is_help=True)

_FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")

DeploymentRef = Annotated[str, typer.Argument(metavar="FLOW/DEPLOYMENT", help="'flow-name/deployment-name' or an id.")]
ParamOption = Annotated[
    Optional[list[str]],
    typer.Option("--param", "-p", metavar="KEY=VALUE", help="A parameter (repeatable); VALUE is JSON or text."),
]
OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table for people, json for scripts.")]


def _parameters(pairs: list[str], schema: dict[str, Any] | None) -> dict[str, Any]:
    """`-p key=value` pairs; values are JSON, or text as typed for string parameters."""
    from headwater.cli._input import parse_pairs

    properties = (schema or {}).get("properties", {})
    return parse_pairs(pairs, lambda key: properties.get(key, {}).get("type") == "string")


JobVariableOption = Annotated[Optional[list[str]], typer.Option(
    "--job-variable", "-jv", metavar="KEY=VALUE",
    help="A job variable for the worker (repeatable), e.g. -jv env='{\"MODE\": \"prod\"}'; VALUE is JSON or text.")]


def deploy_flow(
    entrypoint: Annotated[Optional[str], typer.Argument(
        metavar="[ENTRYPOINT]", help="path/to/file.py:flow or package.module:flow; leave out to deploy from the "
                                     "project file (headwater.yaml or prefect.yaml)")] = None,
    name: Annotated[Optional[list[str]], typer.Option(
        "--name", "-n", help="The deployment's name (unique per flow); without ENTRYPOINT, a deployment of the "
                             "project file (repeatable).")] = None,
    deploy_all: Annotated[bool, typer.Option("--all", help="Deploy every deployment of the project file.")] = False,
    project_file: Annotated[Optional[str], typer.Option(
        "--prefect-file", "--file", metavar="FILE", help="The project file (default: headwater.yaml, else "
                                                          "prefect.yaml, here).")] = None,
    job_variable: JobVariableOption = None,
    cron: Annotated[Optional[list[str]], typer.Option(help="A cron schedule, e.g. '0 9 * * 1-5' (repeatable).")] = None,
    interval: Annotated[Optional[float], typer.Option(help="An interval schedule, in seconds.", min=0.001)] = None,
    rrule: Annotated[Optional[str], typer.Option(help="An RFC 5545 rule, e.g. 'FREQ=DAILY;BYHOUR=9'.")] = None,
    timezone_name: Annotated[str, typer.Option("--timezone", help="IANA time zone of the schedules.")] = "UTC",
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", metavar="KEY=VALUE", help="A parameter default (repeatable); VALUE is JSON or text.")] = None,
    pool: Annotated[Optional[list[str]], typer.Option(
        "--pool", "-p", metavar="POOL", show_default=False,
        help="The work pool whose workers run it \\[default: default]. (-p KEY=VALUE, with '=', is still read "
             "as a --param, headwater's older form.)")] = None,
    project: Annotated[str, typer.Option(help="The project it belongs to.")] = "default",
    create_project: Annotated[bool, typer.Option(help="Create the project if it does not exist.")] = False,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="A tag of its runs (repeatable).")] = None,
    description: Annotated[Optional[str], typer.Option("--description", "-d", help="What it is for.")] = None,
    version: Annotated[Optional[str], typer.Option(help="A version label.")] = None,
    concurrency_limit: Annotated[Optional[int], typer.Option(min=0, help="Most runs at once.")] = None,
    catchup: Annotated[str, typer.Option(help="Late scheduled runs: all, latest or skip.")] = "all",
    paused: Annotated[bool, typer.Option(help="Create it paused (no scheduled runs).")] = False,
) -> None:
    """Deploy a flow: register it (or update it in place) for the workers of a pool.

    Example: headwater deploy flows/etl.py:etl --name nightly --cron '0 3 * * *' -p etl --param rows=1000

    Without ENTRYPOINT, deploys from the project file: `headwater deploy --all`, or
    `headwater deploy -n nightly`.
    """
    import os
    import sys

    from headwater.cli._input import parse_job_variables
    from headwater.engine.deployments import deploy, to_deployment
    from headwater.engine.entrypoints import load_flow, split_entrypoint

    job_variables = parse_job_variables(job_variable or [])
    if entrypoint is None:
        _deploy_project(project_file, name or [], deploy_all, job_variables)
        return
    if deploy_all or not name or len(name) != 1:
        raise typer.BadParameter("with an ENTRYPOINT, give one --name (--all deploys a project file's deployments)",
                                 param_hint="--name")

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    pool_name, param = _pool_and_params(pool or [], param or [])
    flow_obj = load_flow(entrypoint)
    source, attribute = split_entrypoint(entrypoint)
    if source.endswith(".py") or "/" in source or "\\" in source:
        source = os.path.abspath(os.path.expanduser(source))
    from headwater.engine.deployments import parameter_schema

    defaults = _parameters(param or [], parameter_schema(flow_obj))
    deployment = to_deployment(
        flow_obj, name[0], job_variables=job_variables, cron=cron or None, interval=interval, rrule=rrule, timezone=timezone_name,
        parameters=defaults, tags=tag, description=description, version=version, paused=paused,
        concurrency_limit=concurrency_limit, catchup=catchup, project=project, work_pool_name=pool_name,
        entrypoint=f"{source}:{attribute}", create_project=create_project,
    )
    (info,) = deploy(deployment)
    _report_deployed(info)


def _deploy_project(file: str | None, names: list[str], deploy_all: bool, job_variables: dict[str, Any]) -> None:
    """`headwater deploy --all` / `-n NAME`: the project file's deployments."""
    from headwater.deployments.project import deploy_project, find_project_file

    path = find_project_file(file)
    registered = deploy_project(path, names, all_=deploy_all, job_variables=job_variables, echo=typer.echo)
    for info in registered:
        _report_deployed(info)


def _report_deployed(info: DeploymentInfo) -> None:
    typer.echo(f"Deployed {info.full_name!r} (id {info.id}) to work pool {info.work_pool_name!r}, project "
               f"{info.project!r}.")
    for schedule in info.schedules:
        upcoming = ", ".join(format_time(t) for t in schedule.next_runs[:2])
        typer.echo(f"  schedule: {schedule.description}; next: {upcoming or '-'}")
    typer.echo(f"Run it:         headwater deployment run '{info.full_name}'")
    typer.echo(f"Start a worker: headwater worker start --pool {info.work_pool_name}")


def _pool_and_params(values: list[str], params: list[str]) -> tuple[str, list[str]]:
    """Split `-p/--pool` values: Prefect's `-p POOL`, and headwater's older `-p KEY=VALUE` parameters."""
    pools = [value for value in values if "=" not in value]
    if len(set(pools)) > 1:
        raise typer.BadParameter(f"a deployment has one work pool, got {', '.join(repr(p) for p in pools)}; "
                                 f"pass parameters as --param KEY=VALUE", param_hint="-p/--pool")
    return (pools[0] if pools else "default"), [*params, *(value for value in values if "=" in value)]


@app.command("run")
def run_deployment(
    deployment: DeploymentRef,
    param: ParamOption = None,
    params: Annotated[Optional[str], typer.Option(
        "--params", metavar="JSON", help="Parameters as one JSON object ('-' reads it from stdin); -p values win.")
    ] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="A tag of this run (repeatable).")] = None,
    flow_run_name: Annotated[Optional[str], typer.Option(
        "--flow-run-name", help="The run's name; '{param}' fields are filled from its parameters.")] = None,
    start_in: Annotated[Optional[str], typer.Option(
        help="Due after this long: '2 hours', 'in 10 minutes', '1h30m', or seconds.")] = None,
    start_at: Annotated[Optional[str], typer.Option(
        help="Due at: '2026-12-05 10:00' (local time), '17:30', '5:30pm', 'tomorrow 9am', ISO 8601.")] = None,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Stream its logs; exit with its outcome.")] = False,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", "--watch-timeout", help="With --watch: give up after this many seconds.")] = None,
    job_variable: JobVariableOption = None,
) -> None:
    """Create a flow run of a deployment; a worker of its pool runs it.

    Parameters are checked against the flow's type hints now: a bad value is refused
    here, not when the worker starts it. With --watch, exits 0 if the run Completed.
    """
    from headwater.cli._input import parse_job_variables
    from headwater.core.clock import now_datetime
    from headwater.core.deployment_schemas import DeploymentRunCreate

    job_variables = parse_job_variables(job_variable or [])
    due = _due(start_in, start_at, now_datetime())
    with open_control() as control:
        info = control.read_deployment(deployment)
        parameters = {**_json_params(params), **_parameters(param or [], info.parameter_schema)}
        name = _run_name(flow_run_name, {**info.parameters, **parameters}) if flow_run_name is not None else None
        run = control.create_deployment_run(info.id, DeploymentRunCreate(
            parameters=parameters, scheduled_time=due, tags=tag or [], name=name, job_variables=job_variables))
    typer.echo(f"Created flow run {run.name!r} (id {run.id}) of {info.full_name!r}"
               f"{'' if info.work_pool_name is None else f' in work pool {info.work_pool_name!r}'}"
               f"{'' if due is None else f', due {format_time(due)}'}.")
    if not watch:
        typer.echo(f"Follow it with `headwater flow-run logs {run.id}`.")
        return
    raise typer.Exit(code=watch_flow_run(run.id, run.name, timeout))


def _json_params(text: str | None) -> dict[str, Any]:
    """`--params`: one JSON object, or '-' to read it from stdin."""
    import json
    import sys

    if text is None:
        return {}
    if text == "-":
        text = sys.stdin.read()
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise typer.BadParameter(f"not JSON ({exc}); give an object such as '{{\"rows\": 10}}'",
                                 param_hint="--params") from None
    from headwater.cli._input import check_json_depth

    check_json_depth(value, "--params")
    if not isinstance(value, dict):
        raise typer.BadParameter(f"must be a JSON object of parameter names to values, not {type(value).__name__}",
                                 param_hint="--params")
    return value


def _due(start_in: str | None, start_at: str | None, now: datetime) -> datetime | None:
    """When the run is due from `--start-in` / `--start-at`; None means now."""
    from headwater.cli._when import WhenError, parse_start_at, parse_start_in

    if start_in is not None and start_at is not None:
        raise typer.BadParameter("give either --start-in or --start-at, not both", param_hint="--start-at")
    try:
        if start_in is not None:
            return now + parse_start_in(start_in)
        if start_at is not None:
            return parse_start_at(start_at, now)
    except WhenError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start-in" if start_in is not None else "--start-at") from None
    return None


def _run_name(template: str, parameters: dict[str, Any]) -> str:
    """`--flow-run-name` with `{name}` fields filled from the run's parameters."""
    try:
        return template.format(**parameters)
    except KeyError as exc:
        raise typer.BadParameter(f"{{{exc.args[0]}}} is not a parameter of this run; parameters: "
                                 f"{', '.join(sorted(parameters)) or 'none'}", param_hint="--flow-run-name") from None
    except (ValueError, IndexError, AttributeError) as exc:
        raise typer.BadParameter(f"cannot fill in {template!r}: {exc}; write literal braces as {{{{ and }}}}",
                                 param_hint="--flow-run-name") from None


def watch_flow_run(flow_run_id: str, name: str, timeout: float | None) -> int:
    """Print a run's log lines and state changes until it ends; 0 if it Completed."""
    from headwater.cli._control import open_history

    deadline = None if timeout is None else time.monotonic() + timeout
    printed = 0
    last_state = None
    task_names: dict[str, str] = {}

    def show(lines: list[Any]) -> None:
        if any(line.task_run_id and line.task_run_id not in task_names for line in lines):
            task_names.update({t.id: t.name for t in history.read_task_runs(flow_run_id)})
        for line in lines:
            typer.echo(format_log_line(line, name, task_names))

    with open_history() as history:
        while True:
            run = history.read_flow_run(flow_run_id)
            lines = history.read_logs(flow_run_id=flow_run_id, offset=printed, limit=1000)
            show(lines)
            printed += len(lines)
            state = run.state
            if state is not None and (state.type, state.name) != last_state:
                last_state = (state.type, state.name)
                typer.echo(f"Flow run {name!r} is {state.name}" + (f": {state.message}" if state.message else ""))
            if state is not None and state.type in _FINAL:
                show(history.read_logs(flow_run_id=flow_run_id, offset=printed, limit=1000))
                return 0 if state.type == "COMPLETED" else 1
            if deadline is not None and time.monotonic() > deadline:
                typer.echo(f"Stopped watching after {timeout:g} s; the run goes on.", err=True)
                return 1
            time.sleep(0.3)


@app.command("ls")
def list_deployments(
    project: Annotated[Optional[str], typer.Option(help="Only this project's.")] = None,
    pool: Annotated[Optional[str], typer.Option("--pool", help="Only this work pool's.")] = None,
    output: OutputOption = OutputFormat.table,
) -> None:
    """List deployments, grouped by project."""
    with open_control() as control:
        found = control.list_deployments(project=project, work_pool_name=pool)
    if output is OutputFormat.json:
        print_json([d.model_dump(mode="json") for d in found])
        return
    if not found:
        typer.echo("No deployments. Create one with `headwater deploy FILE.py:FLOW --name NAME`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("PROJECT", "DEPLOYMENT", "POOL", "SCHEDULES", "NEXT RUN", "STATUS"):
        table.add_column(column)
    for d in sorted(found, key=lambda d: (d.project, d.full_name)):
        upcoming = min((t for s in d.schedules for t in s.next_runs[:1]), default=None)
        status = "paused" if d.paused else d.status.lower().replace("_", " ")
        table.add_row(d.project, d.full_name, d.work_pool_name or "(served)",
                      "; ".join(s.description for s in d.schedules) or "-", format_time(upcoming), status)
    print_rich(table)


@app.command("inspect")
def inspect_deployment(deployment: DeploymentRef, output: OutputOption = OutputFormat.table) -> None:
    """Show a deployment: entrypoint, parameters and their schema, schedules, status."""
    with open_control() as control:
        info = control.read_deployment(deployment)
    if output is OutputFormat.json:
        print_json(info.model_dump(mode="json"))
        return
    _print_deployment(info)


def _print_deployment(info: DeploymentInfo) -> None:
    import json

    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("Deployment", info.full_name), ("ID", info.id), ("Project", info.project),
        ("Work pool", info.work_pool_name or "(served by flow.serve())"), ("Entrypoint", info.entrypoint),
        ("Parameters", json.dumps(info.parameters)), ("Tags", ", ".join(info.tags) or "-"),
        ("Paused", "yes" if info.paused else "no"), ("Catch-up", info.catchup),
        ("Concurrency limit", str(info.concurrency_limit) if info.concurrency_limit is not None else "-"),
        ("Status", info.status), ("Version", info.version or "-"), ("Description", info.description or "-"),
        ("Job variables", json.dumps(info.job_variables) if info.job_variables else "-"),
        ("Pull steps", "; ".join(f"{name.rpartition('.')[2]} {json.dumps(inputs)}" for step in info.pull_steps or []
                                 for name, inputs in step.items()) or "-"),
    ]
    for label, value in rows:
        grid.add_row(label, value)
    for schedule in info.schedules:
        upcoming = ", ".join(format_time(t) for t in schedule.next_runs)
        grid.add_row("Schedule", f"{schedule.description}{'' if schedule.active else ' (inactive)'}; next: "
                                 f"{upcoming or '-'}")
    print_rich(grid)


def _when(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date-time; use ISO 8601, e.g. 2024-05-01T00:00",
                                 param_hint=option) from None
    return moment if moment.tzinfo else moment.astimezone()


@app.command("backfill")
def backfill_deployment(
    deployment: DeploymentRef,
    start: Annotated[str, typer.Option(help="From (ISO 8601, local time unless it has an offset).")],
    end: Annotated[str, typer.Option(help="To (ISO 8601), included.")],
) -> None:
    """Create the runs the deployment's schedules had due from START to END (existing ones are kept)."""
    from headwater.core.deployment_schemas import BackfillRequest

    first, last = _when(start, "--start"), _when(end, "--end")
    if last < first:
        raise typer.BadParameter("the end is before the start", param_hint="--end")
    with open_control() as control:
        result = control.backfill(deployment, BackfillRequest(start=first, end=last))
    typer.echo(f"Created {result.created} run(s); {result.existing} existed already.")


def _set_paused(deployment: str, paused: bool) -> None:
    from headwater.core.deployment_schemas import DeploymentUpdate

    with open_control() as control:
        info = control.update_deployment(deployment, DeploymentUpdate(paused=paused))
    typer.echo(f"{info.full_name!r} is {'paused: no scheduled runs' if paused else 'active again'}.")


@app.command("pause")
def pause_deployment(deployment: DeploymentRef) -> None:
    """Pause a deployment's schedules (runs scheduled ahead are deleted)."""
    _set_paused(deployment, True)


@app.command("resume")
def resume_deployment(deployment: DeploymentRef) -> None:
    """Resume a paused deployment's schedules."""
    _set_paused(deployment, False)


@app.command("delete")
def delete_deployment(deployment: DeploymentRef) -> None:
    """Delete a deployment and its runs not started yet (run history stays)."""
    with open_control() as control:
        control.delete_deployment(deployment)
    typer.echo(f"Deleted {deployment!r}.")
