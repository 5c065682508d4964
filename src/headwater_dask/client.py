"""`PrefectDaskClient`, as in `prefect_dask.client`: a `distributed.Client` whose
`submit` and `map` run headwater tasks as task runs.

    with PrefectDaskClient(cluster) as client:
        future = client.submit(add, 1, 2)      # a Dask future; the worker runs a task run
        future.result()                        # 3

Other callables are submitted to Dask as usual.
"""

from __future__ import annotations

import asyncio
from typing import Any

from distributed import Client

__all__ = ["PrefectDaskClient"]


def _run_task(task: Any, parameters: dict[str, Any], return_type: str) -> Any:
    """On the worker: the task run, through headwater's engine."""
    from headwater.task_engine import run_task_async, run_task_sync

    if task.isasync:
        return asyncio.run(run_task_async(task, parameters=parameters, return_type=return_type))  # type: ignore[arg-type]  # return_type is one of ReturnType's values
    return run_task_sync(task, parameters=parameters, return_type=return_type)  # type: ignore[arg-type]  # return_type is one of ReturnType's values


class PrefectDaskClient(Client):
    """A Dask client that runs headwater tasks given to `submit` and `map` as task runs."""

    def submit(self, func: Any, *args: Any, key: Any = None, workers: Any = None, resources: Any = None,
               retries: Any = None, priority: int = 0, fifo_timeout: str = "100 ms",
               allow_other_workers: bool = False, actor: bool = False, actors: bool = False, pure: bool = True,
               **kwargs: Any) -> Any:
        """Submit a task (as a task run, with retries, caching and history) or any callable."""
        from headwater.engine.tasks import Task

        options = dict(key=key, workers=workers, resources=resources, retries=retries, priority=priority,
                       fifo_timeout=fifo_timeout, allow_other_workers=allow_other_workers, actor=actor,
                       actors=actors, pure=pure)
        if not isinstance(func, Task):
            return super().submit(func, *args, **options, **kwargs)
        from headwater.utilities.callables import get_call_parameters

        return_type = kwargs.pop("return_type", "result")
        kwargs.pop("wait_for", None)
        kwargs.pop("dependencies", None)
        parameters = kwargs.pop("parameters", None)
        if parameters is None:
            parameters = get_call_parameters(func, args, kwargs)
        return super().submit(_run_task, func, parameters, return_type, **options)

    def map(self, func: Any, *iterables: Any, key: Any = None, workers: Any = None, retries: Any = None,
            resources: Any = None, priority: int = 0, allow_other_workers: bool = False,
            fifo_timeout: str = "100 ms", actor: bool = False, actors: bool = False, pure: bool = True,
            batch_size: Any = None, **kwargs: Any) -> Any:
        """Map a task (one task run per item, futures in order) or any callable over iterables."""
        from headwater.engine.tasks import Task

        options = dict(key=key, workers=workers, retries=retries, resources=resources, priority=priority,
                       allow_other_workers=allow_other_workers, fifo_timeout=fifo_timeout, actor=actor,
                       actors=actors, pure=pure)
        if not isinstance(func, Task):
            return super().map(func, *iterables, batch_size=batch_size, **options, **kwargs)
        return [self.submit(func, *args, **options, **kwargs) for args in zip(*iterables)]
