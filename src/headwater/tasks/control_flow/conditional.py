"""Prefect 1's conditional helpers: `switch`, `ifelse`, `merge`, and their tasks."""

from __future__ import annotations

from typing import Any

from headwater.engine.signals import SKIP
from headwater.engine.static.building import building_flow_var
from headwater.engine.tasks import Task
from headwater.exceptions import InvalidDefinitionError

__all__ = ["CompareValue", "Merge", "ifelse", "merge", "switch"]


class Merge(Task[..., Any]):
    """Returns the first non-None result among its inputs (by argument name); skips if all skipped."""

    def __init__(self, **kwargs: Any) -> None:
        from headwater.triggers import not_all_skipped

        if kwargs.setdefault("skip_on_upstream_skip", False):
            raise ValueError("Merge tasks must have `skip_on_upstream_skip=False`.")
        kwargs.setdefault("trigger", not_all_skipped)
        super().__init__(**kwargs)

    def run(self, **task_results: Any) -> Any:
        return next((v for _, v in sorted(task_results.items()) if v is not None), None)


class CompareValue(Task[..., Any]):
    """Skips unless the value it gets equals the value it was made with."""

    def __init__(self, value: Any, **kwargs: Any) -> None:
        self.value = value
        kwargs.setdefault("name", f'CompareValue: "{value}"')
        super().__init__(**kwargs)

    def run(self, value: Any) -> None:
        if value != self.value:
            raise SKIP(f'Provided value "{value}" did not match "{self.value}"')


def _builder() -> Any:
    building = building_flow_var.get()
    if building is None:
        raise InvalidDefinitionError("switch / ifelse / merge must be used inside a `with Flow(...)` block")
    return building


def switch(condition: Any, cases: dict[Any, Any], mapped: bool = False) -> None:
    """Run only the task of `cases` whose key equals `condition`'s result; skip the others."""
    building = _builder()
    for value, branch in cases.items():
        match = building.add_call(CompareValue(value=value), (), {"value": condition}, mapped=mapped)
        node = building.graph_builder.node_for(branch)
        building.graph_builder.add_edge(match, node, None, "wait_for")


def _as_bool(x: Any) -> bool:
    return bool(x)


def ifelse(condition: Any, true_task: Any, false_task: Any, mapped: bool = False) -> None:
    """Run `true_task` if `condition`'s result is truthy, else `false_task`; the other is skipped."""
    from headwater.engine.tasks import task

    cases = {c: t for c, t in ((True, true_task), (False, false_task)) if t is not None}
    if cases:
        building = _builder()
        as_bool = task(name="as_bool")(_as_bool)
        switch(building.add_call(as_bool, (condition,), {}, mapped=mapped), cases, mapped=mapped)


def merge(*tasks: Any, flow: Any = None, mapped: bool = False, **kwargs: Any) -> Any:
    """A node returning the first non-None result of `tasks` (branches of a case / switch)."""
    building = flow if flow is not None else _builder()
    inputs = {f"task{i + 1}": t for i, t in enumerate(tasks)}
    return building.add_call(Merge(**kwargs), (), inputs, mapped=mapped)
