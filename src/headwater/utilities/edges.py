"""Prefect 1's edge annotations (`prefect.utilities.edges`): how a mapped call uses an input.

    add.map(numbers, unmapped(10))     # 10 goes whole to every run
    add.map(flatten(nested), 1)        # map over the elements of a list of lists
    add(mapped(numbers), 1)            # the same as add.map(numbers, unmapped(1))
"""

from __future__ import annotations

from typing import Any

from headwater.engine.futures import unmapped

__all__ = ["EdgeAnnotation", "flatten", "mapped", "unmapped"]


class EdgeAnnotation:
    """A marker around a task call's argument."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class mapped(EdgeAnnotation):  # noqa: N801 - Prefect 1's name
    """Map over this argument even in a plain call: `t(mapped(xs), y)` runs once per element."""


class flatten(EdgeAnnotation):  # noqa: N801 - Prefect 1's name
    """Map over the elements of a list of lists (one level flattened)."""
