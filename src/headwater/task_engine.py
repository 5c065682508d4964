"""Running one task from its parameters, as in `prefect.task_engine`.

    from headwater.task_engine import run_task_sync

    state = run_task_sync(add, parameters={"x": 1, "y": 2}, return_type="state")

Each function runs the task as a call would (inside the current flow run if there is
one, else as a standalone task run), through headwater's one run life cycle: retries,
caching, time-outs, hooks and history are the same. Used by code that ships a task
and its parameters somewhere else to run, such as `PrefectDaskClient`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Any, Literal

from headwater.exceptions import TaskRunTimeoutError
from headwater.utilities.callables import parameters_to_args_kwargs

__all__ = [
    "TaskRunTimeoutError",
    "run_generator_task_async",
    "run_generator_task_sync",
    "run_task",
    "run_task_async",
    "run_task_sync",
]

ReturnType = Literal["state", "result"]


def _call(task: Any, parameters: dict[str, Any] | None, wait_for: Any, return_type: ReturnType) -> Any:
    if return_type not in ("state", "result"):
        raise ValueError(f"return_type must be 'state' or 'result', not {return_type!r}")
    args, kwargs = parameters_to_args_kwargs(task.fn, parameters or {})
    if wait_for is not None:
        kwargs["wait_for"] = wait_for if isinstance(wait_for, (list, tuple, set)) else [wait_for]
    return task(*args, **kwargs, return_state=return_type == "state")


def run_task_sync(task: Any, task_run_id: Any = None, task_run: Any = None, parameters: dict[str, Any] | None = None,
                  wait_for: Any = None, return_type: ReturnType = "result", dependencies: Any = None,
                  context: dict[str, Any] | None = None) -> Any:
    """Run a (non-async) task with `parameters` and return its result or final state.

    Args:
        task: the task.
        task_run_id, task_run, dependencies, context: accepted for Prefect's callers;
            headwater makes the task run itself and finds its context in this process.
        parameters: the arguments by parameter name.
        wait_for: futures or states to wait for first.
        return_type: "result" (raise if the run failed) or "state".
    """
    return _call(task, parameters, wait_for, return_type)


async def run_task_async(task: Any, task_run_id: Any = None, task_run: Any = None,
                         parameters: dict[str, Any] | None = None, wait_for: Any = None,
                         return_type: ReturnType = "result", dependencies: Any = None,
                         context: dict[str, Any] | None = None) -> Any:
    """Run an async task with `parameters` and return its result or final state (see `run_task_sync`)."""
    outcome = _call(task, parameters, wait_for, return_type)
    if hasattr(outcome, "__await__"):
        outcome = await outcome
    return outcome


def run_generator_task_sync(task: Any, task_run_id: Any = None, task_run: Any = None,
                            parameters: dict[str, Any] | None = None, wait_for: Any = None,
                            return_type: ReturnType = "result", dependencies: Any = None,
                            context: dict[str, Any] | None = None) -> Generator[Any, None, None]:
    """Run a generator task, yielding its items as they come.

    Raises:
        ValueError: `return_type` is not "result" (a generator yields results).
    """
    if return_type != "result":
        raise ValueError("The return_type for a generator task must be 'result'")
    yield from _call(task, parameters, wait_for, "result")


async def run_generator_task_async(task: Any, task_run_id: Any = None, task_run: Any = None,
                                   parameters: dict[str, Any] | None = None, wait_for: Any = None,
                                   return_type: ReturnType = "result", dependencies: Any = None,
                                   context: dict[str, Any] | None = None) -> AsyncGenerator[Any, None]:
    """Run an async generator task, yielding its items as they come.

    Raises:
        ValueError: `return_type` is not "result".
    """
    if return_type != "result":
        raise ValueError("The return_type for a generator task must be 'result'")
    async for item in _call(task, parameters, wait_for, "result"):
        yield item


def run_task(task: Any, task_run_id: Any = None, task_run: Any = None, parameters: dict[str, Any] | None = None,
             wait_for: Any = None, return_type: ReturnType = "result", dependencies: Any = None,
             context: dict[str, Any] | None = None) -> Any:
    """Run any task: sync tasks at once, async ones as a coroutine to await,
    generator tasks as a generator."""
    arguments = dict(task_run_id=task_run_id, task_run=task_run, parameters=parameters, wait_for=wait_for,
                     return_type=return_type, dependencies=dependencies, context=context)
    if getattr(task, "isgenerator", False):
        return run_generator_task_sync(task, **arguments)
    if getattr(task, "isasync", False):
        import inspect

        if inspect.isasyncgenfunction(task.fn):
            return run_generator_task_async(task, **arguments)
        return run_task_async(task, **arguments)
    return run_task_sync(task, **arguments)
