"""`headwater flow-run ...`: list, inspect and read the logs of recorded flow runs.

`--output json` is a stable contract for scripts (docs/cli.md):

- `flow-run ls --output json` prints a JSON list of flow run objects, newest first.
- `flow-run inspect ID --output json` prints one flow run object with its `task_runs`
  and its state history `states`.
- `flow-run logs ID --output json` prints a JSON list of log objects, oldest first.

A flow run object has `id`, `name`, `flow_name`, `state`, `parameters`, `tags`,
`parent_task_run_id`, `run_count`, `created`, `start_time`, `end_time`, `heartbeat`
and `duration_s` (seconds, or null while unfinished). A state object has `type`
(`COMPLETED`, `FAILED`, ...), `name` (`Completed`, `Retrying`, ...), `message`,
`timestamp` and `details`. A task run object has `id`, `name`, `task_name`,
`task_key`, `flow_run_id`, `dynamic_key`, `state`, `tags`, `run_count`, `created`,
`start_time`, `end_time`, `duration_s` and `upstream` (ids of the task runs whose
results fed it); the `state.details` of a task run whose result was cached or
persisted hold `cache_key`, `storage_key` (where the record is) and `expires`. A log object has `flow_run_id`, `task_run_id`, `level` (a number,
20 = INFO), `logger`, `message` and `timestamp`. Timestamps are ISO 8601 in UTC;
new keys may be added, existing ones keep their meaning.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from headwater.cli._control import open_history
from headwater.cli._output import (
    OutputFormat,
    format_duration,
    format_log_line,
    format_time,
    print_json,
    print_rich,
    short_id,
    show_state,
    state_text,
)

if TYPE_CHECKING:
    from rich.text import Text

    from headwater.core.schemas import FlowRunInfo, StateInfo, TaskRunInfo

__all__ = [
    "app",
    "cancel_flow_run",
    "flow_run_document",
    "inspect_flow_run",
    "list_flow_runs",
    "resume_flow_run",
    "retry_flow_run",
    "show_flow_run_logs",
]

app = typer.Typer(name="flow-run", help="List, inspect, cancel, retry and resume flow runs.", no_args_is_help=True)

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_STATE_NAMES = {name.upper(): name for name in (
    "Scheduled", "Late", "AwaitingRetry", "AwaitingConcurrencySlot", "Pending", "Running", "Retrying", "Paused",
    "Suspended", "Completed", "Cached", "RolledBack", "Failed", "TimedOut", "Crashed", "Cancelling", "Cancelled")}
_DEFAULT_NUM_LOGS = 20

FlowRunRef = Annotated[
    str, typer.Argument(metavar="ID", help="Flow run id, a unique id prefix (4+ characters) or its name.")
]
OutputOption = Annotated[
    OutputFormat, typer.Option("--output", "-o", help="table for people, json for scripts.")
]


@app.command("ls")
def list_flow_runs(
    flow_name: Annotated[Optional[list[str]], typer.Option(
        "--flow-name", "--flow", "-f", help="Only runs of the flow with this name (repeatable).")] = None,
    state: Annotated[Optional[list[str]], typer.Option(
        "--state", "-s", help="Only runs whose state has this name (repeatable): Completed, Failed, Late, "
                              "Retrying, ... (case-insensitive for these; a custom name as written).")] = None,
    state_type: Annotated[Optional[list[str]], typer.Option(
        "--state-type", help="Only runs whose state is of this type (repeatable): COMPLETED, FAILED, RUNNING, "
                             "...")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many runs.")] = 20,
    output: OutputOption = OutputFormat.table,
) -> None:
    """List flow runs, newest first.

    With `--output json`, prints a JSON list of flow run objects (see `flow-run inspect`).
    """
    state_types = [_state_type(value) for value in state_type] if state_type else None
    state_names = [_state_name(value) for value in state] if state else None
    with open_history() as store:
        runs = store.list_flow_runs(state_types=state_types, state_names=state_names, flow_names=flow_name or None,
                                    limit=limit)
    if output is OutputFormat.json:
        print_json([run.model_dump(mode="json") for run in runs])
        return
    if not runs:
        typer.echo("No flow runs found.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("ID", "NAME", "FLOW", "STATE", "START", "DURATION"):
        table.add_column(column, no_wrap=column in ("ID", "START"))
    for run in runs:
        table.add_row(
            short_id(run.id),
            run.name,
            run.flow_name,
            state_text(run.state),
            format_time(run.start_time),
            format_duration(run.duration_s),
        )
    print_rich(table)


@app.command("inspect")
def inspect_flow_run(flow_run: FlowRunRef, output: OutputOption = OutputFormat.table) -> None:
    """Show one flow run: its parameters, final state and task runs.

    With `--output json`, prints one object: the flow run's fields (`id`, `name`,
    `flow_name`, `state{type,name,message,timestamp,details}`, `parameters`, `tags`,
    `start_time`, `end_time`, `duration_s`, ...), plus `task_runs` (each with `id`,
    `name`, `task_name`, `state`, `start_time`, `end_time`, `duration_s` and
    `upstream` task run ids) and `states` (the flow run's state history, oldest first).
    """
    with open_history() as store:
        run = store.read_flow_run(flow_run)
        task_runs = store.read_task_runs(run.id)
        states = store.read_states(run.id)
    if output is OutputFormat.json:
        print_json(flow_run_document(run, task_runs, states))
        return
    _print_flow_run(run, task_runs)


def flow_run_document(run: FlowRunInfo, task_runs: list[TaskRunInfo], states: list[StateInfo]) -> dict[str, Any]:
    """The `inspect --output json` object: the flow run's fields, `task_runs` and `states`."""
    document = run.model_dump(mode="json")
    document["task_runs"] = [task_run.model_dump(mode="json") for task_run in task_runs]
    document["states"] = [state.model_dump(mode="json") for state in states]
    return document


def _print_flow_run(run: FlowRunInfo, task_runs: list[TaskRunInfo]) -> None:
    import json

    from rich.table import Table
    from rich.text import Text

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    state = state_text(run.state)
    if run.state is not None:
        state.append(f" ({run.state.type})", style="dim")
        if run.state.message:
            state.append(f": {run.state.message}")
    rows: list[tuple[str, str | Text]] = [
        ("Flow run", run.name),
        ("ID", run.id),
        ("Flow", run.flow_name),
        ("State", state),
        ("Parameters", json.dumps(run.parameters, ensure_ascii=False)),
        ("Tags", ", ".join(run.tags) or "-"),
        ("Start", format_time(run.start_time)),
        ("End", format_time(run.end_time)),
        ("Duration", format_duration(run.duration_s)),
    ]
    if run.parent_task_run_id:
        rows.append(("Parent task run", run.parent_task_run_id))
    for label, value in rows:
        summary.add_row(label, value)
    print_rich(summary)
    typer.echo()
    if not task_runs:
        typer.echo("No task runs.")
        return
    names = {task_run.id: task_run.name for task_run in task_runs}
    table = Table(
        title=f"Task runs ({len(task_runs)})", title_justify="left", box=None, header_style="bold", pad_edge=False
    )
    with_results = any(_result_details(task_run) for task_run in task_runs)
    columns = ("ID", "NAME", "STATE", "START", "DURATION", "UPSTREAM", *(("RESULT",) if with_results else ()))
    for column in columns:
        table.add_column(column, no_wrap=column in ("ID", "START"))
    for task_run in task_runs:
        cells: list[str | Text] = [
            short_id(task_run.id),
            task_run.name,
            state_text(task_run.state),
            format_time(task_run.start_time),
            format_duration(task_run.duration_s),
            ", ".join(names.get(up, short_id(up)) for up in task_run.upstream) or "-",
        ]
        if with_results:
            cells.append(_result_text(task_run))
        table.add_row(*cells)
    print_rich(table)


def _result_details(task_run: TaskRunInfo) -> dict[str, Any] | None:
    details = task_run.state.details if task_run.state is not None else None
    return details if details and details.get("storage_key") else None


def _result_text(task_run: TaskRunInfo) -> str:
    """Where a cached or persisted result is: the cache key, the record, the expiry."""
    details = _result_details(task_run)
    if details is None:
        return "-"
    parts = []
    if details.get("cache_key"):
        parts.append(f"key {str(details['cache_key'])[:12]}")
    parts.append(str(details["storage_key"]))
    if details.get("expires"):
        from datetime import datetime

        parts.append(f"expires {format_time(datetime.fromisoformat(str(details['expires'])))}")
    return " ".join(parts)


@app.command("logs")
def show_flow_run_logs(
    flow_run: FlowRunRef,
    level: Annotated[
        str, typer.Option("--level", "-l", help="Show this level and above: DEBUG, INFO, WARNING, ERROR, CRITICAL.")
    ] = "DEBUG",
    head: Annotated[bool, typer.Option(
        "--head", "-h", help=f"Show only the first lines ({_DEFAULT_NUM_LOGS}, or --num-logs).")] = False,
    tail: Annotated[bool, typer.Option(
        "--tail", "-t", help=f"Show only the last lines ({_DEFAULT_NUM_LOGS}, or --num-logs).")] = False,
    num_logs: Annotated[Optional[int], typer.Option(
        "--num-logs", "-n", min=1, help=f"How many lines --head / --tail show \\[default: {_DEFAULT_NUM_LOGS}]; "
                                        "alone, it shows the first N.", show_default=False)] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest lines first.")] = False,
    output: OutputOption = OutputFormat.table,
) -> None:
    """Print the log lines a flow run and its task runs recorded, oldest first.

    With `--output json`, prints a JSON list of log objects (`flow_run_id`,
    `task_run_id`, `level`, `logger`, `message`, `timestamp`).
    """
    if head and tail:
        raise typer.BadParameter("give --head or --tail, not both", param_hint="--head/--tail")
    min_level = _log_level(level)
    count = num_logs or _DEFAULT_NUM_LOGS if head or tail or num_logs else None
    with open_history() as store:
        run = store.read_flow_run(flow_run)
        lines = store.iter_logs(flow_run_id=run.id, min_level=min_level, newest_first=tail or reverse, limit=count)
        if tail and not reverse:
            # The newest `count` lines, read newest first, are printed in time order.
            lines = reversed(list(lines))
        if output is OutputFormat.json:
            print_json([line.model_dump(mode="json") for line in lines])
            return
        task_run_names = {task_run.id: task_run.name for task_run in store.read_task_runs(run.id)}
        printed = 0
        for line in lines:
            typer.echo(format_log_line(line, run.name, task_run_names))
            printed += 1
    if not printed:
        typer.echo(f"No logs at {logging.getLevelName(min_level)} or above for flow run {run.name!r}.")


@app.command("cancel")
def cancel_flow_run(flow_run: FlowRunRef) -> None:
    """Cancel a flow run: not started yet, it is Cancelled at once; running, its worker
    stops its process (SIGTERM, then SIGKILL after a grace period) and it ends Cancelled."""
    from headwater.cli._control import open_control
    with open_control() as control:
        show_state(control.cancel_flow_run(control.lookup_flow_run(flow_run).id))


@app.command("retry")
def retry_flow_run(flow_run: FlowRunRef) -> None:
    """Run a finished flow run of a deployment again, under the same id: its worker picks
    it up, and tasks that completed with persisted, cached results are not run again
    (see docs/deployments.md, "Resume from failure")."""
    from headwater.cli._control import open_control
    from headwater.exceptions import HeadwaterError

    with open_control() as control:
        run = control.lookup_flow_run(flow_run)
        if control.deployment_of_flow_run(run.id) is None:
            raise HeadwaterError(f"flow run {run.name!r} was not created from a deployment, so no worker would run "
                                 f"it again; run the flow again instead (headwater run FILE.py:FLOW)")
        show_state(control.retry_flow_run(run.id))

@app.command("resume")
def resume_flow_run(
    flow_run: FlowRunRef,
    inputs: Annotated[list[str], typer.Option(
        "--input", "-i", metavar="KEY=VALUE",
        help="A field of the input the run waits for (repeatable); values are read as JSON, text for text fields.",
    )] = [],  # noqa: B006  # typer reads the default; it is never mutated
    input_json: Annotated[Optional[str], typer.Option(
        "--input-json", metavar="JSON", help="The whole input as one JSON object (fields given with -i win).",
    )] = None,
) -> None:
    """Resume a paused or suspended flow run, with the input it waits for. Input that
    fails the run's model is refused with each field's problem, and the run stays paused."""
    import json

    from headwater.cli._control import open_control
    from headwater.cli._input import parse_pairs
    from headwater.core.flow_run_input_schemas import ResumeRequest
    from headwater.exceptions import HeadwaterError, ObjectNotFound

    given: dict[str, Any] = {}
    if input_json is not None:
        try:
            given = json.loads(input_json)
        except ValueError as exc:
            raise typer.BadParameter(f"not JSON: {exc}", param_hint="--input-json") from None
        if not isinstance(given, dict):
            raise typer.BadParameter("expected a JSON object ({\"field\": value, ...})", param_hint="--input-json")
    with open_control() as control:
        run = control.lookup_flow_run(flow_run)
        if run.state is None or run.state.type != "PAUSED":
            now = run.state.name if run.state is not None else "no state"
            raise HeadwaterError(f"flow run {run.name!r} is not paused (it is {now}); only a paused or suspended "
                                 f"run can be resumed")
        states = control.read_flow_run_states(run.id)
        keyset = ((states[-1].details or {}).get("run_input_keyset") if states else None) or {}
        text_fields: set[str] = set()
        if keyset and inputs:
            try:
                schema = json.loads(control.read_flow_run_input(run.id, keyset["schema"]).value)
                text_fields = {name for name, prop in (schema.get("properties") or {}).items()
                               if isinstance(prop, dict) and prop.get("type") == "string"}
            except (ObjectNotFound, ValueError, AttributeError):
                pass  # no schema yet: the server says so below
        given.update(parse_pairs(inputs, lambda key: key in text_fields))
        result = control.resume_flow_run(run.id, ResumeRequest(run_input=given if (given or keyset) else None))
    if result.status == "ACCEPT" and result.state is not None:
        show_state(result.state)
        return
    errors = result.details.get("errors") or []
    if errors:
        raise HeadwaterError(f"the input was refused; flow run {run.name!r} stays paused:\n  " + "\n  ".join(errors))
    if result.state is not None and result.state.type == "FAILED":
        raise HeadwaterError(f"flow run {run.name!r} can no longer be resumed: {result.state.message}")
    raise HeadwaterError(f"cannot resume flow run {run.name!r}: {result.details.get('reason', result.status)}")


def _state_type(value: str) -> str:
    from headwater.core.states import StateType

    try:
        return StateType(value.upper()).value
    except ValueError:
        choices = ", ".join(t.value for t in StateType)
        raise typer.BadParameter(f"unknown state type {value!r}; choose from {choices} (or filter by state name "
                                 f"with --state)", param_hint="--state-type") from None


def _state_name(value: str) -> str:
    """A state name as recorded: the standard ones in any case ('late' -> 'Late'), others as typed."""
    standard = _STATE_NAMES.get(value.replace("_", "").replace(" ", "").upper())
    if standard is None:
        # Custom names are legitimate (`Completed(name="Skipped")`), so a note, not an error.
        typer.echo(f"Note: {value!r} is not a standard state name; listing runs whose state is named exactly that.",
                   err=True)
        return value
    return standard


def _log_level(value: str) -> int:
    if value.isdigit():
        return int(value)
    if value.upper() in _LEVELS:
        return int(logging.getLevelName(value.upper()))
    raise typer.BadParameter(
        f"unknown log level {value!r}; choose from {', '.join(_LEVELS)} or a number", param_hint="--level"
    )
