"""Prefect 1's logging helpers (`prefect.utilities.logging`).

`get_logger("etl")` is the logger `prefect.etl`. `configure_logging()` gives the
`prefect` logger a handler printing to stdout in `prefect.config.logging.format` at
`prefect.config.logging.level`, as Prefect 1 does on import (headwater's own console
prints run records without it); its records carry the run's `flow_name`, `task_name`,
... (`PREFECT_LOG_RECORD_ATTRIBUTES`) for format strings that use them.
Prefect Cloud's log shipping (`CloudHandler`, `LogManager`) has no counterpart: run
logs are recorded by the engine.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

__all__ = ["PREFECT_LOG_RECORD_ATTRIBUTES", "RedirectToLog", "configure_extra_loggers", "configure_logging",
           "create_diagnostic_logger", "get_logger", "temporary_logger_config"]

PREFECT_LOG_RECORD_ATTRIBUTES = ("flow_name", "flow_run_id", "task_name", "task_slug", "task_run_id")
"""The `prefect.context` values copied onto records of the handlers made here."""


def get_logger(name: str | None = None) -> logging.Logger:
    """The logger `prefect.<name>` (or `prefect`), as Prefect 1 names its loggers.

    Example:
        >>> get_logger("etl").info("starting")
    """
    import headwater.engine.static.context  # noqa: F401 - sets the `prefect` logger to INFO, as Prefect 1 does

    return logging.getLogger("prefect" if name is None else f"prefect.{name}")


class _ContextAttributes(logging.Filter):
    """Copies the run's context values (flow_name, task_name, ...) onto each record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        from headwater.engine.static.context import context

        for attribute in PREFECT_LOG_RECORD_ATTRIBUTES:
            if not hasattr(record, attribute):
                setattr(record, attribute, context.get(attribute))
        return True


if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[TextIO]
else:  # logging's classes take type arguments at run time only from Python 3.11
    _StreamHandler = logging.StreamHandler


class _ConsoleHandler(_StreamHandler):
    """The stdout handler `configure_logging` adds (told apart so it is replaced, not doubled)."""


def _configure(name: str, level: Any = None, fmt: str | None = None, datefmt: str | None = None) -> logging.Logger:
    from headwater.engine.static import config as config_module

    settings = config_module.config.logging
    logger = logging.getLogger(name)
    logger.handlers = [h for h in logger.handlers if not isinstance(h, _ConsoleHandler)]
    handler = _ConsoleHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(fmt or settings.format, datefmt or settings.datefmt))
    handler.addFilter(_ContextAttributes())
    logger.addHandler(handler)
    logger.setLevel(level or settings.level)
    return logger


def configure_logging(testing: bool = False) -> logging.Logger:
    """Give the `prefect` logger (`prefect-test-logger` when `testing`) a stdout handler with the
    config's format and level; calling it again replaces that handler. Returns the logger."""
    return _configure("prefect-test-logger" if testing else "prefect")


def configure_extra_loggers() -> None:
    """Configure, as `configure_logging` does, each logger named in `prefect.config.logging.extra_loggers`."""
    from headwater.engine.static import config as config_module

    for name in config_module.config.logging.get("extra_loggers", []) or []:
        _configure(name)


def create_diagnostic_logger(name: str) -> logging.Logger:
    """A logger configured as `configure_logging` does, for debugging output."""
    return _configure(name)


@contextlib.contextmanager
def temporary_logger_config(level: int | str | None = None, stream_fmt: str | None = None,
                            stream_datefmt: str | None = None) -> Iterator[logging.Logger]:
    """Configure the `prefect` logger with this level and format inside the block; the config's
    settings (and the previous level) come back after it."""
    logger = get_logger()
    previous = logger.level
    try:
        yield _configure("prefect", level, stream_fmt, stream_datefmt)
    finally:
        _configure("prefect").setLevel(previous)


class RedirectToLog:
    """A file-like object that sends what is written to it to a logger (or several) at INFO."""

    def __init__(self, logger: logging.Logger | None = None, *more: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> None:
        self.logger = logger or get_logger()
        self.loggers = (self.logger, *more)

    def write(self, text: str) -> None:
        if isinstance(text, str) and text.strip():
            for logger in self.loggers:
                logger.info(text.rstrip("\n"))

    def flush(self) -> None:
        """Nothing to flush: each write is logged at once."""
