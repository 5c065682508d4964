"""Prefect 1's `case`: tasks called inside `with case(task, value):` run only when
`task`'s result equals `value`; otherwise they (and what depends on them) are Skipped.

    with Flow("branch") as flow:
        cond = check()
        with case(cond, True):
            yes = on_true()
        with case(cond, False):
            no = on_false()
        result = merge(yes, no)
"""

from __future__ import annotations

from typing import Any

from headwater.engine.static.building import building_flow_var, case_var
from headwater.exceptions import InvalidDefinitionError

__all__ = ["case"]


class case:  # noqa: N801 - Prefect 1's name
    """A conditional block of a static flow.

    Args:
        task: the task result (or Parameter) to compare.
        value: the value that lets the block's tasks run.
    """

    def __init__(self, task: Any, value: Any) -> None:
        self.task = task
        self.value = value
        self._calls: list[Any] = []
        self._flow: Any = None
        self._token: Any = None

    def add_call(self, call: Any) -> None:
        """Put a call made inside the block under this case (the graph builder calls this)."""
        if self._flow is None:
            self._flow = call.graph
        elif self._flow is not call.graph:
            raise InvalidDefinitionError("Multiple flows cannot be used with the same case statement")
        self._calls.append(call)

    def __enter__(self) -> case:
        self._token = case_var.set((*case_var.get(), self))
        return self

    def __exit__(self, *exc_info: object) -> None:
        case_var.reset(self._token)
        if not self._calls:
            return
        from headwater.tasks.control_flow.conditional import CompareValue

        building = building_flow_var.get()
        if building is None:
            raise InvalidDefinitionError("`with case(...)` must be used inside a `with Flow(...)` block")
        condition = building.add_call(CompareValue(self.value, name=f"case({self.value})"), (),
                                      {"value": self.task}, mapped=False)
        inside = {id(c) for c in self._calls}
        graph = building.graph_builder
        for call in self._calls:
            if not any(id(e.upstream) in inside for e in graph.upstream_of(call)):
                graph.add_edge(condition, call, None, "wait_for")
