"""Logging handlers, as in `prefect.logging.handlers`.

`APILogHandler` records what a logger says during a flow or task run in that run's
history (the run's logs in the UI, `headwater flow-run logs`); attach it to a
library's logger so its lines land beside the run's own:

    logging.getLogger("my_library").addHandler(APILogHandler())

`PrefectConsoleHandler` writes records to the terminal through rich, highlighting
levels, URLs, flow and task names and state names.
"""

from __future__ import annotations

import logging
import sys
from logging import StreamHandler
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.highlighter import Highlighter
from rich.theme import Theme

from headwater.logging.highlighters import PrefectConsoleHighlighter

if TYPE_CHECKING:
    _StreamHandler = StreamHandler[IO[str]]
else:  # logging's classes take type arguments at run time only from Python 3.11
    _StreamHandler = StreamHandler

__all__ = ["APILogHandler", "PrefectConsoleHandler", "StreamHandler"]

# Records the run loggers make are already in the history (engine/logging.py).
_RECORDED_ALREADY = ("headwater", "prefect.flow_runs", "prefect.task_runs")


class APILogHandler(logging.Handler):
    """Records log lines made during a flow or task run in that run's history.

    Lines logged outside any run are ignored; lines of headwater's run loggers are
    recorded already and are not recorded twice.
    """

    def emit(self, record: logging.LogRecord) -> None:
        name = record.name
        if any(name == prefix or name.startswith(prefix + ".") for prefix in _RECORDED_ALREADY):
            return
        run = getattr(record, "hw_run", None) or _current_run()
        if run is None:
            return
        try:
            from headwater.core.settings import get_settings
            from headwater.orchestrator.records import LogEmitted, truncate_message

            message = self.format(record) if self.formatter is not None else record.getMessage()
            if record.exc_info and record.exc_info[0] is not None and self.formatter is None:
                message = f"{message}\n{logging.Formatter().formatException(record.exc_info)}"
            message = truncate_message(message, get_settings().logging_max_message_bytes)
            run.orchestrator.emit(
                LogEmitted(run.flow_run_id, run.task_run_id, record.levelno, name, message, record.created))
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        """Wait until the records handed over so far are stored."""
        run = _current_run()
        if run is not None:
            run.orchestrator.flush()
            return
        from headwater.orchestrator import get_orchestrator

        get_orchestrator().flush()

    @classmethod
    def aflush(cls) -> None:
        """Prefect's class-level flush; a no-op here (history is flushed when runs end)."""


def _current_run() -> Any:
    from headwater.engine.context import flow_run_var, task_run_var

    return task_run_var.get() or flow_run_var.get()


class PrefectConsoleHandler(_StreamHandler):
    """Writes log records to a stream (default stderr) through rich, with highlighting.

    Args:
        stream: where to write.
        highlighter: a rich highlighter class (default `PrefectConsoleHighlighter`).
        styles: style name -> rich style (`{"log.info_level": "cyan"}`); none by default.
        level: the handler's level (a number or a name).
    """

    def __init__(self, stream: IO[str] | None = None, highlighter: type[Highlighter] = PrefectConsoleHighlighter,
                 styles: dict[str, str] | None = None, level: int | str = logging.NOTSET) -> None:
        super().__init__(stream=stream if stream is not None else sys.stderr)
        self.setLevel(level)
        self.console = Console(highlighter=highlighter(),
                               theme=Theme(styles or {}, inherit=False), file=self.stream, markup=False)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print(self.format(record), soft_wrap=True)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)
