"""Run logging, as in `prefect.logging` (more in headwater.logging.loggers)."""

from __future__ import annotations

from typing import Any

from headwater.engine.logging import RunLogger, get_run_logger

__all__ = ["LogEavesdropper", "RunLogger", "disable_run_logger", "get_logger", "get_run_logger"]

_FROM_LOGGERS = {"LogEavesdropper", "disable_run_logger", "get_logger"}
_SUBMODULES = {"handlers", "highlighters", "loggers"}


def __getattr__(name: str) -> Any:
    # Imported on first use: running a flow imports this package (get_run_logger) only.
    if name in _FROM_LOGGERS:
        from headwater.logging import loggers

        return getattr(loggers, name)
    if name in _SUBMODULES:  # `import headwater.logging as logging; logging.handlers`
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'headwater.logging' has no attribute {name!r}")
