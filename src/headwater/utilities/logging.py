"""Prefect 1's logging helpers (`prefect.utilities.logging`)."""

from __future__ import annotations

import logging

__all__ = ["RedirectToLog", "get_logger"]


def get_logger(name: str | None = None) -> logging.Logger:
    """The logger `prefect.<name>` (or `prefect`), as Prefect 1 names its loggers.

    Example:
        >>> get_logger("etl").info("starting")
    """
    import headwater.engine.static.context  # noqa: F401 - sets the `prefect` logger to INFO, as Prefect 1 does

    return logging.getLogger("prefect" if name is None else f"prefect.{name}")


class RedirectToLog:
    """A file-like object that sends what is written to it to a logger (or several) at INFO."""

    def __init__(self, logger: logging.Logger | None = None, *more: logging.Logger | logging.LoggerAdapter) -> None:
        self.logger = logger or get_logger()
        self.loggers = (self.logger, *more)

    def write(self, text: str) -> None:
        if isinstance(text, str) and text.strip():
            for logger in self.loggers:
                logger.info(text.rstrip("\n"))

    def flush(self) -> None:
        """Nothing to flush: each write is logged at once."""
