"""Run logging: the console format Prefect users know, and every line stored.

    09:08:12.322 | INFO    | Task run 'fetch-0c9' - Finished in state Completed()

Records logged through a run's logger carry the run (`record.hw_run`); the
`RunLogHandler` turns them into `LogEmitted` records for the orchestrator, and the
console handler prints them with the run's label. `log_prints=True` sends `print()`
calls made inside the run to its logger. Handlers attached to the `prefect` logger or
to root receive the records too (engine/log_bridge.py).
"""

from __future__ import annotations

import builtins
import contextvars
import io
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.engine.log_bridge import PrefectNameBridge
from headwater.orchestrator.records import LogEmitted, truncate_message

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.runs import Run

__all__ = ["RunLogger", "configure_logging", "engine_logger", "get_run_logger", "log_fast"]

engine_logger = logging.getLogger("headwater.engine")
flow_run_logger = logging.getLogger("headwater.flow_runs")
task_run_logger = logging.getLogger("headwater.task_runs")


# Generic in the type stubs; subscripted at runtime only from Python 3.11.
if TYPE_CHECKING:
    _LoggerAdapter = logging.LoggerAdapter[logging.Logger]
    _StreamHandler = logging.StreamHandler[Any]
else:
    _LoggerAdapter = logging.LoggerAdapter
    _StreamHandler = logging.StreamHandler


class RunLogger(_LoggerAdapter):
    """A logger bound to one flow run or task run; what `get_run_logger()` returns."""

    def __init__(self, logger: logging.Logger, run: Run, extra: Mapping[str, object] | None = None) -> None:
        fields: dict[str, object] = {**extra, "hw_run": run} if extra else {"hw_run": run}
        super().__init__(logger, fields)
        self.run = run
        self._fields = fields

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        extra = kwargs.get("extra")
        kwargs["extra"] = {**extra, **self._fields} if extra else self._fields
        return msg, kwargs

    def getChild(self, suffix: str, extra: Mapping[str, object] | None = None) -> RunLogger:  # noqa: N802 - logging's name
        """A logger for a part of the run's code: named `<this logger>.<suffix>`, its records
        carry the same run (stored with it, labelled by their logger name on the console)
        and this logger's fields, plus `extra` if given; as Prefect's run logger adapter does."""
        return RunLogger(self.logger.getChild(suffix), self.run, {**self._fields, **extra} if extra else self._fields)


class _EngineRecord(logging.LogRecord):
    """A LogRecord for the engine's own lines, filled in directly: the stock
    constructor's path parsing and process-name lookup cost more than the rest of a
    task run's logging."""

    def __init__(self, name: str, level: int, message: str, run: Run) -> None:  # noqa: D107
        created = clock.now()
        self.name = name
        self.msg = message
        self.args = None
        self.levelname = _LEVEL_NAMES.get(level) or logging.getLevelName(level)
        self.levelno = level
        self.pathname = __file__
        self.filename = _FILENAME
        self.module = "logging"
        self.exc_info = None
        self.exc_text = None
        self.stack_info = None
        self.lineno = 0
        self.funcName = "log_fast"
        self.created = created
        self.msecs = (created - int(created)) * 1000
        self.relativeCreated = (created - _STARTED) * 1000
        self.thread = threading.get_ident()
        self.threadName = threading.current_thread().name
        self.processName = _process_name()
        self.process = os.getpid()
        self.taskName = None
        self.hw_run = run


_FILENAME = os.path.basename(__file__)
_LABELLED = frozenset({flow_run_logger.name, task_run_logger.name})
_LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}
_STARTED = time.time()
_process_names: dict[int, str] = {}


def _process_name() -> str:
    pid = os.getpid()
    name = _process_names.get(pid)
    if name is None:
        mp = sys.modules.get("multiprocessing")
        name = mp.current_process().name if mp is not None else "MainProcess"
        _process_names[pid] = name
    return name


def log_fast(run: Run, level: int, message: str) -> None:
    """Log one of the engine's own lines for `run` without looking up the caller's
    frame or building an adapter (together more than the rest of a task run's logging)."""
    logger = task_run_logger if run.is_task else flow_run_logger
    if logger.isEnabledFor(level):
        logger.handle(_EngineRecord(logger.name, level, message, run))


class ConsoleFormatter(logging.Formatter):
    """`HH:MM:SS.mmm | LEVEL   | <run label or logger> - message`.

    Built with one f-string and a per-second cache of the clock text: the console
    line is written once per task run, so it is on the hot path.
    """

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._hms = ""

    def format(self, record: logging.LogRecord) -> str:
        created = record.created
        second = int(created)
        if second != self._second:
            self._second = second
            self._hms = time.strftime("%H:%M:%S", time.localtime(second))
        run = getattr(record, "hw_run", None)
        # A run's own lines show its label; the engine's and a child logger's (getChild) their name.
        label = run.label if run is not None and record.name in _LABELLED else record.name
        line = f"{self._hms}.{int((created - second) * 1000):03d} | {record.levelname:<7} | {label} - {record.getMessage()}"
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line = f"{line}\n{record.exc_text}"
        return line


class ConsoleHandler(_StreamHandler):
    """A StreamHandler that skips the explicit flush when the stream flushes each line
    itself (stderr does), saving a locked call per log line on the hot path."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._line_buffered = bool(getattr(stream, "line_buffering", False))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + "\n")
            if not self._line_buffered:
                self.stream.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


class RunLogHandler(logging.Handler):
    """Sends log records that belong to a run to that run's orchestrator.

    Args:
        max_message_bytes: longer lines are stored truncated (`truncate_message`), so
            one huge line cannot bloat the history or overflow a batch to the server.
    """

    def __init__(self, max_message_bytes: int = 1_000_000) -> None:
        super().__init__()
        self.max_message_bytes = max_message_bytes
        # A str of n characters is at most 4n UTF-8 bytes: shorter ones need no encoding to check.
        self._surely_short = max_message_bytes // 4

    def handle(self, record: logging.LogRecord) -> bool:
        # Without the handler's lock: `emit` only hands a tuple to the orchestrator's
        # queue, which is safe from any thread, and every task run logs through here.
        if not self.filter(record):
            return False
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        run = getattr(record, "hw_run", None)
        if run is None:
            return
        try:
            message = record.getMessage()
            if record.exc_info and record.exc_info[0] is not None:
                message = f"{message}\n{''.join(traceback.format_exception(*record.exc_info)).rstrip()}"
            if len(message) > self._surely_short:
                message = truncate_message(message, self.max_message_bytes)
            run.orchestrator.emit(
                LogEmitted(run.flow_run_id, run.task_run_id, record.levelno, record.name, message, record.created)
            )
        except Exception:
            self.handleError(record)


_configured: list[Settings] = []
_installed: list[logging.Handler] = []  # the handlers configure_logging attached, replaced on the next call


def configure_logging(settings: Settings) -> None:
    """Attach headwater's handlers to the `headwater` logger (once per process)."""
    if _configured and _configured[0] is settings:
        return
    root = logging.getLogger("headwater")
    for handler in _installed:
        root.removeHandler(handler)
    root.setLevel(settings.logging_level)
    root.propagate = False
    handlers: list[logging.Handler] = [RunLogHandler(settings.logging_max_message_bytes)]
    if settings.logging_to_console:
        console = ConsoleHandler(sys.stderr)
        console.setFormatter(ConsoleFormatter())
        handlers.append(console)
    # Last: handlers the user attached to `prefect` or root hear run records too, as in Prefect.
    handlers.append(PrefectNameBridge(console_on=settings.logging_to_console))
    for handler in handlers:
        root.addHandler(handler)
    _installed[:] = handlers
    _configured[:] = [settings]
    _install_print_hook()


def get_run_logger() -> RunLogger | logging.Logger:
    """Return the logger of the flow run or task run that is executing (a plain, disabled
    `logging.Logger` outside a run after `disable_run_logger()`, as in Prefect).

    Raises:
        MissingContextError: called outside a flow or task run (a RuntimeError).
    """
    from headwater.engine.context import current_run

    run = current_run()
    if run is None:
        if flow_run_logger.disabled and task_run_logger.disabled:  # disable_run_logger() (logging/loggers.py)
            silent = logging.getLogger("headwater.null")
            silent.disabled = True
            return silent
        from headwater.exceptions import MissingContextError

        raise MissingContextError(
            "get_run_logger() was called outside a flow or task run; "
            "use logging.getLogger(...) there, or call it inside a @flow or @task function"
        )
    return run.logger


# print() inside a run with log_prints=True goes to that run's logger (to stdout or
# stderr alike, as in Prefect; a print to any other file is left alone).
log_prints_run: contextvars.ContextVar[Run | None] = contextvars.ContextVar("headwater_log_prints", default=None)
_original_print = builtins.print


def print_to_run_log(*args: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None, flush: bool = False) -> None:
    run = log_prints_run.get()
    if run is None or (file is not None and file is not sys.stdout and file is not sys.stderr):
        _original_print(*args, sep=sep, end=end, file=file, flush=flush)
        return
    # The text print() would have written (its own sep/end rules and errors), without
    # the trailing whitespace: one record per call, as Prefect logs it.
    buffer = io.StringIO()
    _original_print(*args, sep=sep, end=end, file=buffer)
    run.logger.info(buffer.getvalue().rstrip())


def _install_print_hook() -> None:
    if builtins.print is not print_to_run_log:
        builtins.print = print_to_run_log
