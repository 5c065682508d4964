"""Operators on task results inside a `with Flow(...)` block, as in Prefect 1.

`total = a + b` adds an `Add` task node fed by `a` and `b`; likewise `-`, `*`, `/`,
`//`, `%`, `**`, `&`, comparisons (`>`, `>=`, `<`, `<=`), `x[k]`, and the methods
`is_equal`, `is_not_equal`, `not_`, `or_`, `and_`. `a | b` orders `b` after `a`.
`==` keeps its Python meaning (identity of nodes), as in Prefect 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.engine.static.building import Placeholder
    from headwater.engine.tasks import Task

__all__ = ["OperatorsMixin"]


def _node(kind: str, *args: Any) -> Any:
    from headwater.engine.static.building import building_flow_var
    from headwater.tasks.core.operators import operator_task

    building = building_flow_var.get()
    if building is None:
        raise _outside(kind)
    return building.add_call(operator_task(kind), args, {}, mapped=False)


def _outside(kind: str) -> Exception:
    from headwater.exceptions import InvalidDefinitionError

    return InvalidDefinitionError(
        f"an operator on a task result ({kind}) adds a task to the flow, so it must be used inside a "
        "`with Flow(...)` block"
    )


class OperatorsMixin:
    """Arithmetic, comparison and indexing on placeholders, each adding an operator task."""

    if TYPE_CHECKING:  # each node kind (Parameter, TaskCall) has its own
        def set_upstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                         mapped: bool = False) -> None: ...

        def set_downstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                           mapped: bool = False) -> None: ...

    def __add__(self, other: Any) -> Any:
        return _node("Add", self, other)

    def __radd__(self, other: Any) -> Any:
        return _node("Add", other, self)

    def __sub__(self, other: Any) -> Any:
        return _node("Sub", self, other)

    def __rsub__(self, other: Any) -> Any:
        return _node("Sub", other, self)

    def __mul__(self, other: Any) -> Any:
        return _node("Mul", self, other)

    def __rmul__(self, other: Any) -> Any:
        return _node("Mul", other, self)

    def __truediv__(self, other: Any) -> Any:
        return _node("Div", self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return _node("Div", other, self)

    def __floordiv__(self, other: Any) -> Any:
        return _node("FloorDiv", self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return _node("FloorDiv", other, self)

    def __mod__(self, other: Any) -> Any:
        return _node("Mod", self, other)

    def __rmod__(self, other: Any) -> Any:
        return _node("Mod", other, self)

    def __pow__(self, other: Any) -> Any:
        return _node("Pow", self, other)

    def __rpow__(self, other: Any) -> Any:
        return _node("Pow", other, self)

    def __and__(self, other: Any) -> Any:
        return _node("And", self, other)

    def __rand__(self, other: Any) -> Any:
        return _node("And", other, self)

    def __gt__(self, other: Any) -> Any:
        return _node("GreaterThan", self, other)

    def __ge__(self, other: Any) -> Any:
        return _node("GreaterThanOrEqual", self, other)

    def __lt__(self, other: Any) -> Any:
        return _node("LessThan", self, other)

    def __le__(self, other: Any) -> Any:
        return _node("LessThanOrEqual", self, other)

    def is_equal(self, other: Any) -> Any:
        """A node: self == other."""
        return _node("Equal", self, other)

    def is_not_equal(self, other: Any) -> Any:
        """A node: self != other."""
        return _node("NotEqual", self, other)

    def not_(self) -> Any:
        """A node: not self."""
        from headwater.engine.static.building import building_flow_var
        from headwater.tasks.core.operators import Not

        building = building_flow_var.get()
        if building is None:
            raise _outside("not_")
        return building.add_call(Not(), (self,), {}, mapped=False)

    def or_(self, other: Any) -> Any:
        """A node: self or other."""
        return _node("Or", self, other)

    def and_(self, other: Any) -> Any:
        """A node: self and other."""
        return _node("And", self, other)

    def __or__(self, other: Any) -> Any:
        self.set_downstream(other)
        return other

    def __ror__(self, other: Any) -> Any:
        self.set_upstream(other)
        return self

    def pipe(self, _task: Any, **kwargs: Any) -> Any:
        """`x.pipe(t, k=v)` is `t(x, k=v)`."""
        return _task(self, **kwargs)

    __hash__ = object.__hash__
