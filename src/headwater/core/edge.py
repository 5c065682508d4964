"""Prefect 1's `prefect.core.edge` path: the edges of static flows, as triggers see them,
and `is_valid_identifier`, the check Prefect 1 applies to an edge's `key`."""

from __future__ import annotations

import keyword
from typing import Any

__all__ = ["Edge", "is_valid_identifier"]


def is_valid_identifier(string: str) -> bool:
    """Whether `string` could name a keyword argument: an identifier that is not a keyword.

    Example:
        >>> is_valid_identifier("rows"), is_valid_identifier("2rows"), is_valid_identifier("from")
        (True, False, False)
    """
    return string.isidentifier() and not keyword.iskeyword(string)


def __getattr__(name: str) -> Any:
    # Edge belongs to the engine; it loads on first use so the core imports nothing from it.
    if name == "Edge":
        from headwater.engine.static.taskrun import Edge

        return Edge
    raise AttributeError(f"module 'headwater.core.edge' has no attribute {name!r}")
