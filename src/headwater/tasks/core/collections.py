"""Prefect 1's collection tasks (`prefect.tasks.core.collections`): what a list, tuple,
set or dict holding task results becomes when passed to a task in a `with Flow` block."""

from __future__ import annotations

from typing import Any

from headwater.engine.tasks import Task

__all__ = ["Dict", "List", "Set", "Tuple"]


class List(Task[..., Any]):
    """Collects its arguments into a list."""

    def run(self, *task_results: Any) -> list[Any]:
        return list(task_results)


class Tuple(Task[..., Any]):
    """Collects its arguments into a tuple."""

    def run(self, *task_results: Any) -> tuple[Any, ...]:
        return tuple(task_results)


class Set(Task[..., Any]):
    """Collects its arguments into a set."""

    def run(self, *task_results: Any) -> set[Any]:
        return set(task_results)


class Dict(Task[..., Any]):
    """Builds a dict from a list of keys and a list of values."""

    def run(self, keys: Any, values: Any) -> dict[Any, Any]:
        if len(keys) != len(values):
            raise ValueError("A key must be provided for each value.")
        return dict(zip(keys, values))
