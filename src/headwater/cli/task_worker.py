"""`headwater task-worker start MODULE:task [FILE.py:task ...] [--limit N] [--timeout S]`, `task-worker ls`."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_json, print_rich

__all__ = ["app", "load_task"]

app = typer.Typer(name="task-worker", help="Run task workers that execute background task runs (task.delay).",
                  no_args_is_help=True)


def load_task(entrypoint: str) -> Any:
    """The task an entrypoint (`package.module:task` or `path/file.py:task`) names.

    Raises:
        EntrypointError: the module cannot be imported, has no such attribute, or it is
            not a task; the message names the entrypoint and what to do.
    """
    from headwater.engine.entrypoints import load_source, split_entrypoint
    from headwater.engine.tasks import Task
    from headwater.exceptions import EntrypointError

    try:
        source, attribute = split_entrypoint(entrypoint)
    except EntrypointError:
        raise EntrypointError(f"task {entrypoint!r}: give it as package.module:task or path/to/file.py:task") \
            from None
    try:
        module = load_source(source)
    except EntrypointError as exc:
        raise EntrypointError(f"task {entrypoint!r} cannot be imported by this worker: {exc}") from None
    value: Any = module
    try:
        for part in attribute.split("."):
            value = getattr(value, part)
    except AttributeError:
        tasks = sorted(name for name, v in vars(module).items() if isinstance(v, Task))
        found = f"tasks there: {', '.join(tasks)}" if tasks else "no tasks there; decorate a function with @task"
        raise EntrypointError(f"task {entrypoint!r}: {source} has no attribute {attribute!r} ({found})") from None
    if not isinstance(value, Task):
        raise EntrypointError(f"task {entrypoint!r} is {type(value).__name__}, not a task; decorate it with @task")
    return value


@app.command("start")
def start(
    tasks: Annotated[list[str], typer.Argument(help="The tasks to serve: package.module:task or file.py:task.")],
    limit: Annotated[int, typer.Option("--limit", "-l", min=1, help="Most runs at once.")] = 10,
    timeout: Annotated[Optional[float], typer.Option(min=0, help="Stop after this many seconds.")] = None,
) -> None:
    """Serve the tasks: claim their background task runs as they are queued and run
    them, until Ctrl+C. With HEADWATER_API_URL set the runs come from that server."""
    import os
    import sys

    from headwater.task_worker import serve

    if os.getcwd() not in sys.path:  # `package.module` is found from here, as with `python -m`
        sys.path.insert(0, os.getcwd())
    loaded = [load_task(entrypoint) for entrypoint in tasks]  # every task checked before anything runs
    names = ", ".join(t.name for t in loaded)
    print(f"Serving {names} (limit {limit}); Ctrl+C to stop.", file=sys.stderr, flush=True)
    serve(*loaded, limit=limit, timeout=timeout)


@app.command("ls")
def list_task_workers(
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")] = OutputFormat.table,
) -> None:
    """List task workers with their status and the tasks they serve."""
    from headwater.cli._control import open_control

    with open_control() as control:
        found = control.list_task_workers()
    if output is OutputFormat.json:
        print_json([w.model_dump(mode="json") for w in found])
        return
    from rich.table import Table

    table = Table("Name", "Status", "Tasks", "Running", "Limit", "Last heartbeat")
    for w in found:
        table.add_row(w.name, w.status, ", ".join(w.task_keys), str(w.running), str(w.limit or "-"),
                      format_time(w.last_heartbeat))
    print_rich(table)
