"""Loggers by name and for runs, as in `prefect.logging.loggers`.

`get_run_logger()` (engine/logging.py) is the usual way in; the functions here build
the same loggers from a run object, as state hooks do:

    def on_failure(flow, flow_run, state):
        flow_run_logger(flow_run, flow).error("failed: %s", state.message)

Given a run that is executing in this process (what hooks and `get_run_context()`
receive), the logger is that run's own: its lines are shown and stored with the run.
Given any other object with `id` and `name` (runs read from the API), it is a logger
adapter that carries those as `extra` fields.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from headwater.engine.logging import RunLogger, get_run_logger

__all__ = [
    "LogEavesdropper",
    "PrefectLogAdapter",
    "disable_logger",
    "disable_run_logger",
    "get_worker_logger",
    "patch_print",
    "print_as_log",
    "flow_run_logger",
    "get_logger",
    "get_run_logger",
    "task_run_logger",
]

_ROOT = "headwater"


if TYPE_CHECKING:
    # It wraps a logger, or the logger of a live run (flow_run_logger with extra fields).
    _LoggerAdapter = logging.LoggerAdapter[logging.Logger | RunLogger]
else:  # logging's classes take type arguments at run time only from Python 3.11
    _LoggerAdapter = logging.LoggerAdapter


class PrefectLogAdapter(_LoggerAdapter):
    """A LoggerAdapter whose own `extra` fields merge with those of each call (instead of
    replacing them, as the stock adapter does)."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        kwargs["extra"] = {**(self.extra or {}), **(kwargs.get("extra") or {})}
        return msg, kwargs

    def getChild(self, suffix: str, extra: dict[str, Any] | None = None) -> PrefectLogAdapter:  # noqa: N802
        inner = self.logger
        # A live run's logger has no children of its own: the child logs to the same run.
        child = RunLogger(inner.logger.getChild(suffix), inner.run) if isinstance(inner, RunLogger) \
            else inner.getChild(suffix)
        return PrefectLogAdapter(child, {**(self.extra or {}), **(extra or {})})


def get_logger(name: str | None = None) -> logging.Logger:
    """The `headwater` logger, or its child `name` (a full `headwater.x` name is kept;
    Prefect's `prefect.x` names map to `headwater.x`).

    Example:
        >>> get_logger("my_module").name
        'headwater.my_module'
    """
    if not name:
        return logging.getLogger(_ROOT)
    if name == "prefect" or name.startswith("prefect."):
        name = _ROOT + name[len("prefect"):]
    if name == _ROOT or name.startswith(_ROOT + "."):
        return logging.getLogger(name)
    return logging.getLogger(f"{_ROOT}.{name}")


def _live_run(run: Any) -> Any:
    """The engine's run behind `run` (itself, or the run a context view wraps), or None."""
    from headwater.engine.runs import Run

    if isinstance(run, Run):
        return run
    inner = getattr(run, "_run", None)
    return inner if isinstance(inner, Run) else None


def _with_extra(logger: RunLogger, kwargs: dict[str, Any]) -> logging.LoggerAdapter[Any]:
    return PrefectLogAdapter(logger, kwargs) if kwargs else logger


def flow_run_logger(flow_run: Any = None, flow: Any = None, flow_run_id: Any = None,
                    **kwargs: Any) -> logging.LoggerAdapter[Any]:
    """A logger for a flow run; keyword arguments become `extra` fields of its records.

    Raises:
        ValueError: neither `flow_run` nor `flow_run_id` is given.
    """
    if flow_run is None and flow_run_id is None:
        raise ValueError("Either 'flow_run' or 'flow_run_id' must be provided.")
    run = _live_run(flow_run)
    if run is not None and not run.is_task:
        return _with_extra(run.logger, kwargs)
    return PrefectLogAdapter(get_logger("flow_runs"), {
        "flow_run_name": getattr(flow_run, "name", "<unknown>"),
        "flow_run_id": str(getattr(flow_run, "id", flow_run_id)),
        "flow_name": getattr(flow, "name", "<unknown>"),
        **kwargs,
    })


def task_run_logger(task_run: Any, task: Any = None, flow_run: Any = None, flow: Any = None,
                    **kwargs: Any) -> logging.LoggerAdapter[Any]:
    """A logger for a task run; keyword arguments become `extra` fields of its records."""
    run = _live_run(task_run)
    if run is not None and run.is_task:
        return _with_extra(run.logger, kwargs)
    flow_run_id = getattr(task_run, "flow_run_id", None)
    return PrefectLogAdapter(get_logger("task_runs"), {
        "task_run_id": str(getattr(task_run, "id", None)),
        "flow_run_id": str(flow_run_id) if flow_run_id is not None else None,
        "task_run_name": getattr(task_run, "name", "<unknown>"),
        "task_name": getattr(task, "name", "<unknown>"),
        "flow_run_name": getattr(flow_run, "name", "<unknown>"),
        "flow_name": getattr(flow, "name", "<unknown>"),
        **kwargs,
    })


@contextlib.contextmanager
def disable_logger(name: str) -> Iterator[None]:
    """Disable the logger `name` for the block, then restore it as it was.

    A Prefect name (`prefect.flow_runs`) disables headwater's logger of that name too
    (`headwater.flow_runs`), where the records are logged.
    """
    loggers = [logging.getLogger(name)]
    if name == "prefect" or name.startswith("prefect."):
        loggers.append(get_logger(name))
    was = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, was):
            logger.disabled = disabled


@contextlib.contextmanager
def disable_run_logger() -> Iterator[None]:
    """Silence run loggers for the block. Inside it, `get_run_logger()` called outside
    any run (a task's `.fn` called directly, in a test) returns a silent logger instead
    of raising.

    Example:
        >>> with disable_run_logger():  # doctest: +SKIP
        ...     assert my_task.fn(2) == 4
    """
    with disable_logger(f"{_ROOT}.flow_runs"), disable_logger(f"{_ROOT}.task_runs"):
        yield


def get_worker_logger(worker: Any, name: str | None = None) -> logging.Logger:
    """The logger of a worker: `headwater.workers.<its name>`."""
    return get_logger("workers").getChild(name or str(getattr(worker, "name", "worker")))


def print_as_log(*args: Any, **kwargs: Any) -> None:
    """`print` that, inside a run with `log_prints=True`, logs the line to the run's logger."""
    from headwater.engine.logging import print_to_run_log

    print_to_run_log(*args, **kwargs)


@contextlib.contextmanager
def patch_print() -> Iterator[None]:
    """Make the builtin `print` behave as `print_as_log` for the block."""
    import builtins

    original = builtins.print
    builtins.print = print_as_log
    try:
        yield
    finally:
        builtins.print = original


class LogEavesdropper(logging.Handler):
    """Collect what a logger (and its children) logs during a block.

    Example:
        >>> with LogEavesdropper("headwater.demo") as heard:
        ...     logging.getLogger("headwater.demo.child").warning("careful")
        >>> heard.text()
        '[WARNING]: careful'
    """

    def __init__(self, eavesdrop_on: str, level: int = logging.NOTSET) -> None:
        super().__init__(level=level)
        self.eavesdrop_on = eavesdrop_on
        # Level and message only: what is shown back must not leak paths or versions.
        self.setFormatter(logging.Formatter("[%(levelname)s]: %(message)s"))
        self._lines: list[str] = []
        self._target: logging.Logger | None = None
        self._previous_level = logging.NOTSET

    def __enter__(self) -> LogEavesdropper:
        self._target = logging.getLogger(self.eavesdrop_on)
        self._previous_level = self._target.level
        self._target.setLevel(self.level)
        self._target.addHandler(self)
        self._lines = []
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._target is not None:
            self._target.removeHandler(self)
            self._target.setLevel(self._previous_level)

    def emit(self, record: logging.LogRecord) -> None:
        self._lines.append(self.format(record))

    def text(self) -> str:
        """The collected lines, one per record."""
        return "\n".join(self._lines)


# The logger type `get_run_logger()` returns, under the name Prefect code may annotate with.
LoggingAdapter = RunLogger
