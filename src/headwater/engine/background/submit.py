"""`task.delay()` and `task.apply_async()`: queue a task run for a task worker.

The call's parameters are written to the task scheduling storage, then the run is
queued SCHEDULED through the control plane (the embedded database or the server),
and a `BackgroundFuture` comes back at once. Nothing runs here: a task worker serving
the task (`headwater.task_worker.serve`) claims and runs it, in any process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from headwater.engine.background.futures import BackgroundFuture

if TYPE_CHECKING:
    from headwater.engine.tasks import Task

__all__ = ["apply_async", "background_key"]


def background_key(task: Task[..., Any]) -> str:
    """The key task workers find a task's runs by: its function's name and a hash of its
    code, the same whether the function's module was run as `__main__` or imported."""
    fn = task.fn
    code = getattr(fn, "__code__", None)
    digest = hashlib.md5(code.co_code if code is not None else repr(fn).encode()).hexdigest()[:8]
    return f"{getattr(fn, '__qualname__', task.name).rsplit('.', 1)[-1]}-{digest}"


def _awaited_ids(wait_for: Iterable[Any] | None) -> list[str]:
    """The run ids a worker waits for: background futures' ids; a future of this
    process (a `.submit()`) is waited for here, since no worker can see it."""
    from headwater.engine.futures import HeadwaterFuture

    ids: list[str] = []
    for item in wait_for or ():
        if isinstance(item, BackgroundFuture):
            ids.append(item.task_run_id)
        elif isinstance(item, HeadwaterFuture):
            item.wait()
        else:
            raise TypeError(f"wait_for takes futures of task runs, not {type(item).__name__}")
    return ids


def apply_async(task: Task[..., Any], args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None,
                wait_for: Iterable[Any] | None = None, *, task_run_id: str | None = None,
                name: str | None = None, flow_run_id: str | None = None) -> BackgroundFuture[Any]:
    """Queue a run of `task` with these arguments for a task worker; a future at once.

    `task_run_id`, `name` and `flow_run_id` are given by `PrefectTaskRunner`, whose runs
    a flow has announced already.

    Raises:
        ParameterBindError: the arguments do not fit the task's signature.
        SerializationError: an argument cannot be pickled.
    """
    from headwater.client.kept import kept_client
    from headwater.core.background_schemas import BackgroundRunCreate
    from headwater.core.ids import new_id
    from headwater.core.settings import get_settings
    from headwater.engine.background.storage import pack_parameters
    from headwater.utilities.callables import get_call_parameters

    parameters = get_call_parameters(task.fn, tuple(args or ()), dict(kwargs or {}))
    awaited = _awaited_ids(wait_for)
    task_run_id = task_run_id or new_id()
    location = get_settings().task_scheduling_storage_resolved
    inline = pack_parameters(location, task_run_id, parameters, awaited)
    name = name or f"{task.name}-{task_run_id[-3:]}"
    options = task.options
    kept_client().transport.create_background_task_run(BackgroundRunCreate(
        id=task_run_id, name=name, task_key=background_key(task), task_name=task.name,
        tags=list(options.tags), retries=options.retries, storage=location, flow_run_id=flow_run_id,
        parameters=inline))
    return BackgroundFuture(task_run_id, name)
