"""Flows: functions whose every call is a recorded flow run."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import sys
import threading
import typing
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar, overload
from uuid import UUID

from typing_extensions import ParamSpec, Unpack

from headwater.core.states import State
from headwater.engine.context import adopted_flow_run_var, flow_run_var
from headwater.engine.definition import Definition
from headwater.engine.drivers import run_async, run_sync
from headwater.engine.options import FlowOptions, RunOptionsDict
from headwater.engine.runs import FlowRun
from headwater.engine.startup import orchestrator_for_new_run
from headwater.engine.static.building import building_flow_var
from headwater.exceptions import InvalidDefinitionError, TerminationSignal

__all__ = ["RESERVED_NAME_CHARACTERS", "Flow", "FlowOptionsDict", "ParameterSchema", "check_flow_name", "flow"]

P = ParamSpec("P")
R = TypeVar("R")


class FlowOptionsDict(RunOptionsDict, total=False):
    """The keyword options of `@flow`, for type checkers (validated by FlowOptions)."""

    flow_run_name: str | Callable[[], str]
    validate_parameters: bool
    task_runner: Any


@dataclasses.dataclass
class ParameterSchema:
    """A flow's parameters as a JSON schema object (what `Flow.parameters` gives)."""

    properties: dict[str, Any] = dataclasses.field(default_factory=dict)
    required: list[str] = dataclasses.field(default_factory=list)
    definitions: dict[str, Any] = dataclasses.field(default_factory=dict)
    title: str = "Parameters"
    type: str = "object"

    def model_dump(self) -> dict[str, Any]:
        """The schema as a dict."""
        return dataclasses.asdict(self)


class Flow(Definition[P, R]):
    """A function whose calls are flow runs. Called inside another flow, a subflow.

    Calling a flow runs it and returns its result, or raises the exception that
    failed it; `return_state=True` returns the final `State` instead. Parameters are
    validated against the type hints before the body runs.
    """

    options_class = FlowOptions
    kind = "flow"
    options: FlowOptions
    _default_runner: Any = None  # what `task_runner` shows when none was given
    # What a task run does when an upstream it needs did not complete: Prefect 3 leaves
    # it Pending ("NotReady"); Prefect 1's static flows (StaticFlow) fail it. Set only
    # by Prefect 1's flows, it is also what marks their other rules (any flow name;
    # run logs not handed to Prefect-named loggers, engine/log_bridge.py).
    fails_on_upstream_failure = False
    # Set by `from_source`: where the code came from and the entrypoint within it.
    _storage: Any = None
    _entrypoint: str | None = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # Prefect 1 style: `with Flow("name") as flow:` builds a static graph (engine/static).
        if cls is Flow and ((args and isinstance(args[0], str)) or (not args and "fn" not in kwargs)):
            from headwater.engine.static.flow import StaticFlow

            return super().__new__(StaticFlow)
        return super().__new__(cls)

    def __init__(self, fn: Callable[P, R], options: FlowOptions | None = None, **given: Any) -> None:
        super().__init__(fn, options, **given)
        # The flag that marks Prefect 1's rules (StaticFlow): its `Flow("...")` took any name.
        if not self.fails_on_upstream_failure:
            check_flow_name(self.name)
        self._adapters: dict[str, Any] | None = None

    @property
    def task_runner(self) -> Any:
        """The task runner each run of this flow starts from (a copy per run): the one
        given to `@flow(task_runner=...)`, else a `ThreadPoolTaskRunner`, as in Prefect."""
        runner = self.options.task_runner
        if runner is not None:
            return runner
        if self._default_runner is None:
            from headwater.engine.task_runners import ThreadPoolTaskRunner

            self._default_runner = ThreadPoolTaskRunner()
        return self._default_runner

    @property
    def parameters(self) -> ParameterSchema:
        """The JSON schema of the flow's parameters (`.properties`, `.required`), as Prefect's
        `Flow.parameters` gives it; computed on each access (rarely read)."""
        from headwater.engine.deployments import parameter_schema

        schema = parameter_schema(self)
        return ParameterSchema(properties=schema["properties"], required=list(schema.get("required", [])),
                               definitions=schema.get("$defs", {}))

    @staticmethod
    def default_name(fn: Callable[..., Any]) -> str:
        # A lambda's "<lambda>" would hold reserved characters; Prefect names it so.
        return getattr(fn, "__name__", type(fn).__name__).replace("_", "-").replace("<lambda>", "unknown-lambda")

    def parameter_adapters(self) -> dict[str, Any]:
        """Validators for the annotated parameters, built on first use."""
        if self._adapters is None:
            from headwater.engine.parameters import build_adapters

            try:
                hints = typing.get_type_hints(self.fn)
            except Exception:  # unresolvable forward references: validate what we can
                hints = {k: v for k, v in getattr(self.fn, "__annotations__", {}).items() if not isinstance(v, str)}
            self._adapters = build_adapters(self.signature, hints)
        return self._adapters

    @overload
    def __call__(self: Flow[P, Coroutine[Any, Any, R]], *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, R]: ...
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if building_flow_var.get() is not None:
            raise InvalidDefinitionError(
                f"flow {self.name!r} was called inside a `with Flow(...)` block; a static flow's graph holds "
                "tasks only: call the flow's tasks in the block, or run the flow before or after it"
            )
        return_state = kwargs.pop("return_state", False)
        args = self.bind_args(args)
        parent = flow_run_var.get()
        if parent is not None or adopted_flow_run_var.get() is None:
            from headwater.engine.parameters import bind_parameters

            # As in Prefect, arguments the signature refuses are the caller's error, raised
            # here (ParameterBindError) before any run exists; bad values fail the run
            # instead. A run created elsewhere (a worker's deployment run) exists already:
            # it records the failure rather than staying unfinished.
            bind_parameters(self.signature, args, kwargs, f"flow {self.name!r}")
        orchestrator = parent.orchestrator if parent is not None else orchestrator_for_new_run()
        run = FlowRun(self, args, kwargs, parent, orchestrator)
        if self.isasync:
            return _result_of(run_async(run), return_state)
        with _sigterm_raises(parent is None):
            state = run_sync(run)
        return state if return_state else state.result_sync()


    # -- deployments (thin: engine/deployments.py does the work) -----------------------
    @classmethod
    def from_source(cls, source: Any, entrypoint: str) -> Flow[..., Any]:
        """Load a flow from code elsewhere: a git URL, a `GitRepository`, a local
        directory, an fsspec URL or a storage block; deploying it records where from.

        Example:
            >>> etl = flow.from_source("https://github.com/org/etl.git", "etl.py:pipeline")  # doctest: +SKIP
            >>> etl.deploy("nightly", work_pool_name="local")  # doctest: +SKIP

        Raises:
            GitError: the repository, branch or commit cannot be had (named).
            EntrypointError: the entrypoint names no flow in that code.
        """
        from headwater.engine.code_source import flow_from_source

        return flow_from_source(source, entrypoint)

    def to_deployment(self, name: str, **options: Any) -> Any:
        """Describe a deployment of this flow, for `headwater.serve(...)` / `headwater.deploy(...)`.

        Options: cron, interval (seconds or timedelta), rrule, timezone, anchor_date,
        parameters, tags, description, version, paused, concurrency_limit, catchup
        ("all" | "latest" | "skip"), project, work_pool_name, entrypoint, triggers
        (deployment triggers: each becomes an automation that runs the deployment).
        """
        from headwater.engine.deployments import to_deployment

        options.setdefault("caller_globals", sys._getframe(1).f_globals)
        return to_deployment(self, name, **options)

    def serve(self, name: str | None = None, *, limit: int | None = None, **options: Any) -> None:
        """Register a deployment of this flow and run its scheduled and triggered runs in
        this process until Ctrl+C; no worker needed.

        Example:
            >>> if __name__ == "__main__":  # doctest: +SKIP
            ...     pipeline.serve(name="hourly", cron="0 * * * *", parameters={"n": 3})
        """
        from headwater.engine.deployments import serve, to_deployment

        options.setdefault("caller_globals", sys._getframe(1).f_globals)
        serve(to_deployment(self, name or self.name, **options), limit=limit)

    def deploy(self, name: str, work_pool_name: str | None = None, *, image: Any = None, build: bool = True,
               push: bool = True, print_next_steps: bool = True, ignore_warnings: bool = False,
               **options: Any) -> UUID | None:
        """Register (or update) a deployment of this flow for the workers of a work pool
        (default "default"); returns its id (a UUID, as in Prefect; None in a worker's
        child process, which registers nothing). Options as `to_deployment`.

        Prefect's image options (`image`, `build`, `push`) are for Docker pools, which
        headwater does not have: `build` and `push` are accepted and do nothing, an `image`
        is refused. `print_next_steps` and `ignore_warnings` are accepted; headwater prints
        no summary table.

        Raises:
            InvalidDefinitionError: an `image` was given.
        """
        from headwater.engine.deployments import deploy, to_deployment

        if image is not None:
            raise InvalidDefinitionError(
                f"deploy(image={image!r}): headwater has no Docker work pools; a process work pool's worker "
                "runs the flow from its file or its git source (flow.from_source): deploy without image=")
        options.setdefault("caller_globals", sys._getframe(1).f_globals)
        registered = deploy(to_deployment(self, name, work_pool_name=work_pool_name, **options))
        return UUID(registered[0].id) if registered else None

async def _result_of(running: Coroutine[Any, Any, State[Any]], return_state: bool) -> Any:
    state = await running
    return state if return_state else state.result_sync()


@contextlib.contextmanager
def _sigterm_raises(top_level: bool) -> Iterator[None]:
    """While a top-level flow runs in the main thread, SIGTERM, or SIGHUP (its terminal
    closed), ends it as Crashed (recorded and flushed) instead of killing the process
    silently. A signal the program handles itself is left to it."""
    if not top_level or threading.current_thread() is not threading.main_thread():
        yield
        return
    installed: dict[int, Any] = {}

    def terminate(signum: int, frame: Any) -> None:
        if signum == signal.SIGTERM:
            raise TerminationSignal("SIGTERM")
        raise TerminationSignal("Execution was aborted by a termination signal (SIGHUP: its terminal was closed).")

    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is None:
            continue  # Windows has no SIGHUP
        previous = signal.getsignal(signum)
        if previous in (signal.SIG_DFL, None):
            installed[signum] = previous
            signal.signal(signum, terminate)
    try:
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)


RESERVED_NAME_CHARACTERS = ("/", "%", "&", ">", "<")
"""Characters Prefect 3 refuses in flow and deployment names (they would break URLs)."""


def check_flow_name(name: str) -> None:
    """Refuse a flow or deployment name holding a reserved character, as Prefect 3 does.

    Raises:
        InvalidNameError: the name holds one of `RESERVED_NAME_CHARACTERS`; the message,
            Prefect's, names the name and the characters.
    """
    if any(c in name for c in RESERVED_NAME_CHARACTERS):
        from headwater.exceptions import InvalidNameError

        raise InvalidNameError(f"Name {name!r} contains an invalid character. "
                               f"Must not contain any of: {list(RESERVED_NAME_CHARACTERS)}.")


@overload
def flow(fn: Callable[P, R], /) -> Flow[P, R]: ...
@overload
def flow(**options: Unpack[FlowOptionsDict]) -> Callable[[Callable[P, R]], Flow[P, R]]: ...


def flow(fn: Any = None, /, **options: Any) -> Any:
    """Make a function a flow, bare (`@flow`) or with options (`@flow(log_prints=True)`).

    Args:
        fn: the function (when used bare).
        **options: see `FlowOptionsDict`: name, flow_run_name, retries,
            retry_delay_seconds, timeout_seconds, log_prints, validate_parameters,
            task_runner, tags, hooks (on_completion, on_failure, on_crashed, ...).

    Raises:
        InvalidDefinitionError: not a function, or an invalid option.

    Example:
        >>> @flow(log_prints=True)
        ... def pipeline(n: int = 3):
        ...     print(n)
    """
    if fn is not None:
        return Flow(fn, **options)
    from headwater.engine.options import build_options

    validated = build_options(FlowOptions, options)

    def decorate(function: Callable[P, R]) -> Flow[P, R]:
        return Flow(function, validated)

    return decorate


flow.from_source = Flow.from_source  # type: ignore[attr-defined]  # Prefect's `flow.from_source(...)`
