"""Prefect 1's `Constant` task: a node whose result is a fixed value."""

from __future__ import annotations

from typing import Any

from headwater.engine.tasks import Task

__all__ = ["Constant"]


class Constant(Task[..., Any]):
    """A task that returns `value`.

    Args:
        value: what the task returns.
        name: the node's name (default: "Constant[<type>]", as in Prefect 1).
        **kwargs: other task options.
    """

    def __init__(self, value: Any, name: str | None = None, **kwargs: Any) -> None:
        self.value = value
        super().__init__(name=name or f"Constant[{type(value).__name__}]", **kwargs)

    def run(self) -> Any:
        return self.value
