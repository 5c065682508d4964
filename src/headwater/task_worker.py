"""Task workers, as in `prefect.task_worker`: serve tasks whose runs are queued by
`task.delay(...)` / `task.apply_async(...)` in other processes.

    from headwater import task
    from headwater.task_worker import serve

    @task
    def add(x: int, y: int) -> int:
        return x + y

    serve(add, limit=10)   # in the worker process; elsewhere: add.delay(1, 2).result()

The runs are claimed from the control plane (the embedded database, or the server
at `HEADWATER_API_URL`) under leases; see `headwater.engine.background`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.engine.background.worker import TaskWorker

if TYPE_CHECKING:
    from headwater.engine.tasks import Task
    from headwater.results import ResultStore

__all__ = ["StopTaskWorker", "TaskWorker", "aserve", "create_status_server", "read_parameters", "serve",
           "should_try_to_read_parameters", "store_parameters"]


class StopTaskWorker(Exception):
    """Raised to stop a task worker from inside (Prefect's name)."""


def serve(*tasks: Task[..., Any], limit: int | None = 10, status_server_port: int | None = None,
          timeout: float | None = None) -> None:
    """Run the background task runs of `tasks` as they are queued, until Ctrl-C or `timeout`.

    Args:
        *tasks: the tasks to serve.
        limit: how many runs at once (None: no limit but a pool of 100 threads).
        status_server_port: serve the worker's status as JSON at
            `http://127.0.0.1:PORT/status` while it runs.
        timeout: stop after this many seconds (the runs in progress finish first).

    Raises:
        TypeError: one of `tasks` is not a task.
    """
    worker = TaskWorker(*tasks, limit=limit)
    server = _start_status_server(worker, status_server_port) if status_server_port is not None else None
    try:
        worker.run(timeout=timeout)
    finally:
        if server is not None:
            server.should_exit = True


async def aserve(*tasks: Task[..., Any], limit: int | None = 10, status_server_port: int | None = None,
                 timeout: float | None = None) -> None:
    """`serve` for async code: the worker runs in a thread, the event loop stays free."""
    import asyncio

    await asyncio.to_thread(serve, *tasks, limit=limit, status_server_port=status_server_port, timeout=timeout)


def create_status_server(task_worker: TaskWorker) -> Any:
    """A small FastAPI app answering `GET /status` with what the worker is doing."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/status")
    def status() -> dict[str, Any]:
        return task_worker.status()

    return app


def _start_status_server(worker: TaskWorker, port: int) -> Any:
    import threading

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_status_server(worker), host="127.0.0.1", port=port,
                                          log_level="warning"))
    threading.Thread(target=server.run, name="headwater-task-worker-status", daemon=True).start()
    return server


def should_try_to_read_parameters(task: Task[..., Any], task_run: Any) -> bool:
    """Whether a run's parameters are in storage: always, for headwater's background runs."""
    return True


async def store_parameters(result_store: ResultStore, identifier: UUID | str, parameters: dict[str, Any]) -> None:
    """Write a run's parameters where task workers read them (`parameters/<id>` of the
    result store's storage location)."""
    from headwater.engine.background.storage import write_parameters

    write_parameters(_location(result_store), str(identifier), parameters, [])


async def read_parameters(result_store: ResultStore, identifier: UUID | str) -> dict[str, Any]:
    """Read back what `store_parameters` wrote.

    Raises:
        MissingResult: there is no such record.
    """
    from headwater.engine.background.storage import read_parameters as read

    return read(_location(result_store), str(identifier))[0]


def _location(result_store: Any) -> str:
    import os

    storage = getattr(result_store, "result_storage", None)
    if isinstance(storage, (str, os.PathLike)):
        return os.fspath(storage)
    basepath = getattr(storage, "basepath", None)
    if basepath:
        return str(basepath)
    from headwater.core.settings import get_settings

    return get_settings().task_scheduling_storage_resolved
