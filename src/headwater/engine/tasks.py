"""Tasks: functions whose every call is a tracked, retriable task run."""

from __future__ import annotations

import atexit
import hashlib
import inspect
import sys
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from typing_extensions import ParamSpec, Unpack

from headwater.core.states import State, StateType
from headwater.engine.context import flow_run_var, tags_var
from headwater.engine.definition import UNBOUND, Definition
from headwater.engine.drivers import run_async, run_generator, run_sync
from headwater.engine.options import RunOptionsDict, TaskOptions
from headwater.engine.futures import (
    HeadwaterFuture,
    HeadwaterFutureList,
    collect_futures,
    failure_allowed,
    has_futures,
)
from headwater.engine.mapping import expand_map_calls
from headwater.engine.runs import FlowRun, TaskRun
from headwater.engine.startup import orchestrator_for_new_run
from headwater.engine.static.building import Placeholder, building_flow_var, refuse_placeholders
from headwater.engine.static.taskapi import TaskApiMixin

if TYPE_CHECKING:
    from headwater.engine.background.futures import BackgroundFuture

__all__ = ["Task", "TaskOptionsDict", "task"]

P = ParamSpec("P")
R = TypeVar("R")
_PENDING = StateType.PENDING

class TaskOptionsDict(RunOptionsDict, total=False):
    """The keyword options of `@task`, for type checkers (validated by TaskOptions)."""

    retry_condition_fn: Callable[..., bool]
    task_run_name: str | Callable[[], str]
    cache_policy: Any
    cache_key_fn: Callable[..., str | None]
    cache_expiration: Any
    refresh_cache: bool
    result_storage_key: str
    cache_result_in_memory: bool
    isolation_level: str
    on_commit: list[Callable[..., Any]]
    on_rollback: list[Callable[..., Any]]
    asset_deps: list[Any]


class Task(TaskApiMixin, Definition[P, R]):
    """A function whose calls are task runs: recorded, retried, timed out, logged.

    Calling a task inside a flow runs it at once and returns its result (or raises
    its exception); outside any flow it runs as a standalone task run. Pass
    `return_state=True` to get the final `State` instead.
    """

    options_class = TaskOptions
    kind = "task"
    options: TaskOptions
    tracks_assets = False  # whether its runs record assets (headwater.assets); set by asset_deps or @materialize

    def __init__(self, fn: Callable[P, R] | None = None, options: TaskOptions | None = None, **given: Any) -> None:
        if fn is None or isinstance(fn, str):  # Prefect 1: `class T(Task): def run(...)`, Task(name=...)
            from headwater.engine.static.taskapi import init_class_task

            init_class_task(self, fn, options, given)
        else:
            super().__init__(fn, options, **given)
        source = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', self.name)}"
        self.task_key = f"{getattr(fn, '__qualname__', self.name)}-{hashlib.md5(source.encode()).hexdigest()[:8]}"
        self.isgenerator = inspect.isgeneratorfunction(fn)
        o = self.options
        if o.asset_deps:
            self.tracks_assets = True
        # Whether runs of this task look up or write results (engine/caching.py);
        # decided once here so that plain tasks pay nothing for caching.
        self.uses_results = bool(o.cache_policy is not None or o.cache_key_fn is not None or o.persist_result
                                 or o.refresh_cache)
        self.uses_transactions = bool(o.on_commit or o.on_rollback)  # engine/task_transactions.py
        # `with tags(...)` open where the task is defined: Prefect 1 tags the task itself, which only
        # static flows follow (engine/static/graph.py); `@flow` runs are tagged where they run, as in Prefect 3.
        self.definition_tags = tags_var.get()

    @property
    def retry_delay_seconds(self) -> float | list[float]:
        """The delay before each retry, as Prefect keeps it: a number, or a list (a callable
        such as `exponential_backoff(...)` is asked for the list of `retries` delays)."""
        delay = self.options.retry_delay_seconds
        if callable(delay):
            return list(delay(self.options.retries))
        return list(delay) if isinstance(delay, tuple) else delay

    @overload
    def __call__(self: Task[P, Coroutine[Any, Any, R]], *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, R]: ...
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        building = building_flow_var.get()
        if building is not None:  # inside `with Flow(...)`: add a node, run nothing (engine/static)
            return building.add_call(self, args, kwargs)
        if Placeholder.created:
            refuse_placeholders(self.name, args, kwargs)
        return_state = kwargs.pop("return_state", False)
        wait_for = kwargs.pop("wait_for", None)
        if self._bound_to is not UNBOUND:
            args = self.bind_args(args)
        flow_run = flow_run_var.get()
        orchestrator = flow_run.orchestrator if flow_run is not None else orchestrator_for_new_run()
        run = TaskRun(self, args, kwargs, flow_run, orchestrator)
        if _has_dependencies(run, wait_for):
            _depend(run, list(wait_for or ()))  # waited for in this thread before the call
        if self.isasync:  # as in Prefect: a coroutine, to await (or asyncio.run) wherever it is called
            return _result_of(run, run_async(run), return_state)
        if self.isgenerator and not return_state:  # streamed to the caller, as in Prefect
            return run_generator(run)
        return _call_result(run, run_sync(run), return_state)

    @property
    def asset_deps(self) -> list[Any]:
        """The assets its runs read (`@task(asset_deps=[...])`), as `headwater.assets.Asset`s."""
        return list(self.options.asset_deps)

    def on_commit(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(transaction)` when this task's transaction commits."""
        from headwater.engine.task_transactions import add_task_hook

        return add_task_hook(self, "on_commit", fn)

    def on_rollback(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(transaction)` when this task's transaction rolls back."""
        from headwater.engine.task_transactions import add_task_hook

        return add_task_hook(self, "on_rollback", fn)

    def submit(self, *args: Any, **kwargs: Any) -> HeadwaterFuture[R]:
        """Hand a call to the flow's task runner; returns a future at once.

        Futures among the arguments (also inside lists, dicts and dataclasses) are
        waited for and replaced by their results before the task runs; `wait_for=[...]`
        orders without passing data. If any of them failed, this task does not run.
        """
        building = building_flow_var.get()
        if building is not None:
            return building.add_call(self, args, kwargs)  # type: ignore[return-value]  # in a `with Flow` block: a graph node (Prefect 1)
        if Placeholder.created:
            refuse_placeholders(self.name, args, kwargs)
        wait_for = kwargs.pop("wait_for", None) or ()
        return_state = kwargs.pop("return_state", False)
        if self._bound_to is not UNBOUND:
            args = self.bind_args(args)
        flow_run = flow_run_var.get()
        orchestrator = flow_run.orchestrator if flow_run is not None else orchestrator_for_new_run()
        run = TaskRun(self, args, kwargs, flow_run, orchestrator)
        future = _submit(run, flow_run, list(wait_for))
        return future.final_state() if return_state else future  # type: ignore[return-value]  # return_state=True: the State

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> BackgroundFuture[R]:
        """Queue a run for a task worker (`headwater.task_worker.serve`); a future at once.

        Works in any process that reaches the same control plane and task scheduling
        storage: a web handler, a script, a flow. `.result()` on the future waits.
        """
        return self.apply_async(args, kwargs)

    def apply_async(self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None,
                    wait_for: Iterable[Any] | None = None, dependencies: Any = None) -> BackgroundFuture[R]:
        """Queue a run for a task worker with these arguments, after the runs of
        `wait_for` (futures) have ended; returns its future at once.

        Raises:
            ParameterBindError: the arguments do not fit the task's signature.
        """
        from headwater.engine.background.submit import apply_async

        return apply_async(self, args, kwargs, wait_for)

    def serve(self) -> None:
        """Run a task worker for this task in this process until it is stopped
        (`headwater.task_worker.serve(self)`): it runs the runs `delay()` queues."""
        from headwater.task_worker import serve

        serve(self)

    def map(self, *args: Any, **kwargs: Any) -> HeadwaterFutureList[R]:
        """Submit one task run per element of the iterable arguments; with
        `deferred=True`, queue one background run per element for task workers instead.

        Example:
            >>> futures = fetch.map(["a", "b"], unmapped(client))
            >>> futures.result()
        """
        building = building_flow_var.get()
        if building is not None:  # mapped when the static flow runs
            return building.add_call(self, args, kwargs, mapped=True)  # type: ignore[return-value]  # in a `with Flow` block: a graph node (Prefect 1)
        wait_for = list(kwargs.pop("wait_for", None) or ())
        return_state = kwargs.pop("return_state", False)
        deferred = kwargs.pop("deferred", False)
        calls = expand_map_calls(self.name, args, kwargs)
        if deferred:  # one background run per element, for task workers (as `apply_async`)
            queued: HeadwaterFutureList[R] = HeadwaterFutureList(
                self.apply_async(call_args, call_kwargs, wait_for=wait_for)  # type: ignore[misc]  # background futures quack like HeadwaterFuture
                for call_args, call_kwargs in calls)
            return [future.final_state() for future in queued] if return_state else queued  # type: ignore[return-value]  # return_state=True: the States
        flow_run = flow_run_var.get()
        orchestrator = flow_run.orchestrator if flow_run is not None else orchestrator_for_new_run()
        futures: HeadwaterFutureList[R] = HeadwaterFutureList()
        for call_args, call_kwargs in calls:
            call_args = self.bind_args(call_args)
            futures.append(_submit(TaskRun(self, call_args, call_kwargs, flow_run, orchestrator), flow_run, wait_for))
        if return_state:  # as in Prefect: the final states, waited for, instead of futures
            return [future.final_state() for future in futures]  # type: ignore[return-value]  # return_state=True: the States
        return futures


def _submit(run: TaskRun, flow_run: FlowRun | None, wait_for: list[Any]) -> HeadwaterFuture[Any]:
    if _has_dependencies(run, wait_for):
        _depend(run, wait_for)
    else:
        run.announce()
    runner = flow_run.task_runner() if flow_run is not None else _standalone_runner()
    return runner.submit(run, run.dependencies)


def _has_dependencies(run: TaskRun, wait_for: Any) -> bool:
    """Whether `run` waits for anything (cheap for the plain arguments most calls pass)."""
    return bool(wait_for) or any(map(has_futures, run.args)) or any(map(has_futures, run.kwargs.values()))


def _depend(run: TaskRun, wait_for: list[Any]) -> None:
    """Make the futures in `run`'s arguments and in `wait_for` its dependencies, with graph edges."""
    data = [f for value in (*run.args, *run.kwargs.values()) for f in collect_futures(value)]
    ordering = [f for value in wait_for for f in collect_futures(value)]
    for future in (*data, *ordering):
        future.observed = True  # its outcome is handled by this task run
    names = _parameter_names(run, data)
    run.dependencies = list(dict.fromkeys([*data, *ordering]))
    run.resolve_inputs = True
    if "headwater.utilities.annotations" in sys.modules:  # no allow_failure(...) can exist before
        run.failure_allowed = failure_allowed((*run.args, *run.kwargs.values(), *wait_for))
    run.announce(tuple(dict.fromkeys(
        [(names.get(id(f), "arg"), f.task_run_id, "data") for f in data]
        + [("wait_for", f.task_run_id, "wait_for") for f in ordering]
    )))


def _parameter_names(run: TaskRun, futures: list[Any]) -> dict[int, str]:
    """Which parameter each future came in through (for the graph's edge labels)."""
    if not futures:
        return {}
    names: dict[int, str] = {}
    try:
        bound = run.task.signature.bind_partial(*run.args, **run.kwargs).arguments
    except TypeError:
        bound = {f"arg{i}": a for i, a in enumerate(run.args)} | run.kwargs
    for name, value in bound.items():
        for future in collect_futures(value):
            names.setdefault(id(future), name)
    return names


_standalone: list[Any] = []


def _standalone_runner() -> Any:
    """Tasks submitted outside any flow share one thread runner for the process."""
    if not _standalone:
        from headwater.engine.task_runners import ThreadPoolTaskRunner

        runner = ThreadPoolTaskRunner()
        runner.ensure_started()
        # Its threads are daemons: finish what was submitted before the interpreter
        # stops them. Registered after the orchestrator's exit hook, so it runs first
        # (atexit is last in, first out) and that hook then flushes these runs.
        atexit.register(runner.shutdown)
        _standalone.append(runner)
    return _standalone[0]


async def _result_of(run: TaskRun, running: Coroutine[Any, Any, State[Any]], return_state: bool) -> Any:
    return _call_result(run, await running, return_state)


def _call_result(run: TaskRun, state: State[Any], return_state: bool) -> Any:
    """What calling a task gives back once its run has ended in `state`."""
    if return_state:
        return state
    if state.type is _PENDING:  # NotReady: an upstream did not complete; Prefect returns None
        return None
    if state is run.returned_state:
        return state  # as in Prefect: a task that returned a state by hand gives that state
    return state.result_sync()


@overload
def task(fn: Callable[P, R], /) -> Task[P, R]: ...
@overload
def task(**options: Unpack[TaskOptionsDict]) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(fn: Any = None, /, **options: Any) -> Any:
    """Make a function a task, bare (`@task`) or with options (`@task(retries=3)`).

    Args:
        fn: the function (when used bare).
        **options: see `TaskOptionsDict`: name, retries, retry_delay_seconds,
            retry_jitter_factor, retry_condition_fn, timeout_seconds, tags, log_prints,
            task_run_name, hooks (on_completion, on_failure, ...), caching options.

    Raises:
        InvalidDefinitionError: not a function, or an invalid option.

    Example:
        >>> @task(retries=3, retry_delay_seconds=[1, 2, 4])
        ... def fetch(x: int) -> int:
        ...     return x
    """
    if fn is not None:
        return Task(fn, **options)
    from headwater.engine.options import build_options
    from headwater.engine.static.taskapi import split_prefect1_options

    prefect1, options = split_prefect1_options(options)  # trigger=, state_handlers=, ... (static flows)
    validated = build_options(TaskOptions, options)  # bad options fail at decoration time

    def decorate(function: Callable[P, R]) -> Task[P, R]:
        made = Task(function, validated)
        made.prefect1 = prefect1
        return made

    return decorate
