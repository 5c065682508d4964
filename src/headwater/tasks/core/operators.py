"""Prefect 1's operator tasks (`prefect.tasks.core.operators`): what `a + b`, `a[k]`,
`a > b` on task results inside a `with Flow(...)` block add to the graph."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from headwater.engine.tasks import Task

__all__ = ["Add", "And", "Div", "Equal", "FloorDiv", "GetAttr", "GetItem", "GreaterThan", "GreaterThanOrEqual",
           "LessThan", "LessThanOrEqual", "Mod", "Mul", "Not", "NotEqual", "Or", "Pow", "Sub", "operator_task"]


def _make(name: str, fn: Callable[..., Any], doc: str) -> type[Task[..., Any]]:
    def run(self: Any, x: Any, y: Any) -> Any:
        return fn(x, y)

    run.__doc__ = doc
    return type(name, (Task,), {"run": run, "__doc__": doc, "__module__": __name__})


Add = _make("Add", operator.add, "x + y")
Sub = _make("Sub", operator.sub, "x - y")
Mul = _make("Mul", operator.mul, "x * y")
Div = _make("Div", operator.truediv, "x / y")
FloorDiv = _make("FloorDiv", operator.floordiv, "x // y")
Pow = _make("Pow", operator.pow, "x ** y")
Mod = _make("Mod", operator.mod, "x % y")
And = _make("And", lambda x, y: bool(x and y), "x and y")
Or = _make("Or", lambda x, y: bool(x or y), "x or y")
Equal = _make("Equal", operator.eq, "x == y")
NotEqual = _make("NotEqual", operator.ne, "x != y")
GreaterThan = _make("GreaterThan", operator.gt, "x > y")
GreaterThanOrEqual = _make("GreaterThanOrEqual", operator.ge, "x >= y")
LessThan = _make("LessThan", operator.lt, "x < y")
LessThanOrEqual = _make("LessThanOrEqual", operator.le, "x <= y")


class Not(Task[..., Any]):
    """not x"""

    def run(self, x: Any) -> bool:
        return not x


class GetItem(Task[..., Any]):
    """x[key] (or `default` when given and the key is missing)."""

    def run(self, task_result: Any, key: Any) -> Any:
        return task_result[key]


class GetAttr(Task[..., Any]):
    """getattr(x, attr)."""

    def run(self, task_result: Any, attr: str) -> Any:
        value = task_result
        for part in attr.split("."):
            value = getattr(value, part)
        return value


_OPERATORS: dict[str, type[Task[..., Any]]] = {cls.__name__: cls for cls in (
    Add, Sub, Mul, Div, FloorDiv, Pow, Mod, And, Or, Equal, NotEqual, GreaterThan, GreaterThanOrEqual, LessThan,
    LessThanOrEqual, Not, GetItem, GetAttr,
)}


def operator_task(name: str) -> Task[..., Any]:
    """A fresh operator task of class `name` (each use is its own node)."""
    return _OPERATORS[name]()
