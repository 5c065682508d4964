"""Prefect 1's `prefect.core.parameter` path: the Parameters of static flows."""

from headwater.engine.static.nodes import DateTimeParameter, Parameter

__all__ = ["DateTimeParameter", "Parameter"]
