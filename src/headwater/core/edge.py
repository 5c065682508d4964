"""Prefect 1's `prefect.core.edge` path: the edges of static flows, as triggers see them."""

from headwater.engine.static.taskrun import Edge

__all__ = ["Edge"]
