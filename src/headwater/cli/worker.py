"""`headwater worker start --pool NAME [-l/--limit N] [-n/--name W] [-t/--type process]`, `worker ls`, and Prefect 1's
`headwater agent local start` (a worker of the default pool)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_json, print_rich

__all__ = ["agent_app", "app", "start_worker"]

app = typer.Typer(name="worker", help="Run workers that execute deployments' flow runs.", no_args_is_help=True)
agent_app = typer.Typer(name="agent", help="Prefect 1's agents: `agent local start` is a worker of the default pool.",
                        no_args_is_help=True)
local_app = typer.Typer(name="local", help="The local agent.", no_args_is_help=True)
agent_app.add_typer(local_app, name="local")

LimitOption = Annotated[Optional[int], typer.Option("--limit", "-l", min=1, help="Most flow runs at once.")]
NameOption = Annotated[Optional[str], typer.Option("--name", "-n", help="The worker's name \\[default: host-pid].")]


@app.command("start")
def start_worker(
    pool: Annotated[str, typer.Option("--pool", "-p", help="The work pool to take runs from.")],
    limit: LimitOption = None,
    name: NameOption = None,
    worker_type: Annotated[Optional[str], typer.Option(
        "--type", "-t", help="The kind of worker; headwater's workers are process workers: process.")] = None,
    poll_interval: Annotated[Optional[float], typer.Option(
        min=0.01, help="Seconds between looks for due runs \\[default: HEADWATER_WORKER_POLL_INTERVAL_SECONDS, 0.5].",
        show_default=False)] = None,
    heartbeat_interval: Annotated[float, typer.Option(min=0.05, help="Seconds between heartbeats.")] = 2.0,
    prefetch: Annotated[float, typer.Option(
        "--prefetch", "--prefetch-seconds", min=0, help="Claim runs due this many seconds ahead.")] = 5.0,
    cancel_grace: Annotated[float, typer.Option(min=0, help="Seconds between SIGTERM and SIGKILL.")] = 10.0,
    run_once: Annotated[bool, typer.Option("--run-once", help="Claim once, wait for those runs, then stop.")] = False,
) -> None:
    """Poll the pool for due flow runs and run each in its own process until Ctrl+C.

    With HEADWATER_API_URL set it talks to that server; otherwise it works on the
    database directly and also creates the scheduled runs.
    """
    import signal
    import sys

    from headwater.cli._input import check_pool_type

    if worker_type is not None:
        check_pool_type(worker_type, "--type")
    from headwater.core.settings import get_settings
    from headwater.client.transport import open_transport
    from headwater.worker import Worker
    from headwater.worker.runner import show_worker_logs

    show_worker_logs()
    settings = get_settings()
    control = open_transport(settings)
    if poll_interval is None:
        poll_interval = settings.worker_poll_interval_seconds
    worker = Worker(control, name=name, work_pool_name=pool, limit=limit, poll_interval=poll_interval,
                    heartbeat_interval=heartbeat_interval, prefetch_seconds=prefetch,
                    cancel_grace_seconds=cancel_grace, run_scheduler=not settings.api_url)
    try:
        worker.register()
        sys.stderr.write(f"headwater worker {worker.name!r} on work pool {pool!r} ({control.url}), "
                         f"{'no limit' if limit is None else f'at most {limit} run(s) at once'}, looking for runs "
                         f"every {worker.poll_interval:g} s. Ctrl+C stops it.\n")
        sys.stderr.flush()
        signal.signal(signal.SIGTERM, lambda *_: worker.stop())
        if run_once:
            worker.run_once()
            worker.drain()
            return
        try:
            worker.run()
        except KeyboardInterrupt:
            worker.shutdown()
    finally:
        control.close()


@local_app.command("start")
def start_local_agent(limit: LimitOption = None, name: NameOption = None) -> None:
    """Start a worker on the default pool (what `prefect agent local start` did)."""
    start_worker(pool="default", limit=limit, name=name)


@app.command("ls")
def list_workers(
    pool: Annotated[Optional[str], typer.Option("--pool", help="Only this pool's workers.")] = None,
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")] = OutputFormat.table,
) -> None:
    """List workers with their status and the flow runs they are running."""
    from headwater.cli._control import open_control

    with open_control() as control:
        found = control.list_workers(pool)
    if output is OutputFormat.json:
        print_json([w.model_dump(mode="json") for w in found])
        return
    if not found:
        typer.echo("No workers have connected yet. Start one with `headwater worker start --pool NAME`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("POOL", "NAME", "STATUS", "HOST", "PID", "RUNS", "LAST HEARTBEAT"):
        table.add_column(column)
    for w in found:
        table.add_row(w.work_pool_name, w.name, w.status, w.host, str(w.pid), str(len(w.running)),
                      format_time(w.last_heartbeat))
    print_rich(table)
