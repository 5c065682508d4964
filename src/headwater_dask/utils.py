"""Dask clients for code inside flows and tasks, as in `prefect_dask.utils`.

    @task
    def summarise():
        with get_dask_client() as client:
            return client.compute(frame.describe()).result()

Inside a task run on a `DaskTaskRunner`'s worker, the client connects to that
worker's scheduler; inside a flow run on one, to the flow's cluster; elsewhere a
`distributed.Client()` as Dask makes it by default (a new local cluster), so the same
code runs in tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

__all__ = ["get_async_dask_client", "get_dask_client"]


def _client_kwargs(async_client: bool, timeout: int | float | str | timedelta | None,
                   client_kwargs: dict[str, Any]) -> dict[str, Any]:
    """What `distributed.Client` is given: where the current run's cluster is, and whether async."""
    from headwater.context import FlowRunContext, TaskRunContext

    task_context = TaskRunContext.get()
    flow_context = FlowRunContext.get()
    kwargs: dict[str, Any]
    if task_context is not None and _on_dask_worker():
        import distributed

        scheduler: Any = distributed.get_client().scheduler
        kwargs = {"address": scheduler.address, "asynchronous": bool(task_context.task.isasync)}
    elif flow_context is not None and getattr(flow_context.task_runner, "client", None) is not None:
        runner = flow_context.task_runner
        kwargs = {**runner.client_kwargs, "address": runner.client.scheduler_info()["address"],
                  "asynchronous": bool(flow_context.flow.isasync)}
    else:
        kwargs = {"address": None, "asynchronous": async_client}
    if timeout is not None:
        kwargs["timeout"] = timeout
    kwargs.update(client_kwargs)
    kwargs.pop("set_as_default", None)
    return kwargs


def _on_dask_worker() -> bool:
    try:
        import distributed

        distributed.get_worker()
    except (ImportError, ValueError):
        return False
    return True


@contextlib.contextmanager
def get_dask_client(timeout: int | float | str | timedelta | None = None, **client_kwargs: Any) -> Iterator[Any]:
    """A temporary `distributed.Client` connected to the current run's cluster.

    Args:
        timeout: how long connecting may take (Dask's default when None).
        **client_kwargs: more arguments for `distributed.Client`; they win over the
            task runner's `client_kwargs`.
    """
    import distributed

    with distributed.Client(**_client_kwargs(False, timeout, client_kwargs)) as client:
        yield client


@contextlib.asynccontextmanager
async def get_async_dask_client(timeout: int | float | str | timedelta | None = None,
                                **client_kwargs: Any) -> AsyncIterator[Any]:
    """`get_dask_client` for async code: an asynchronous `distributed.Client`."""
    import distributed

    kwargs = _client_kwargs(True, timeout, client_kwargs)
    kwargs["asynchronous"] = True
    async with distributed.Client(**kwargs) as client:
        yield client
