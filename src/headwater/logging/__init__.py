"""Run logging, as in `prefect.logging`."""

from headwater.engine.logging import RunLogger, get_run_logger

__all__ = ["RunLogger", "get_run_logger"]
