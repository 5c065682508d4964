"""The nodes of a static graph: `Parameter` (an input) and `TaskCall` (one task call).

Both are placeholders (engine/static/building.py): they stand for values that exist
only while the flow runs. `x["key"]` on one adds a small `GetItem` task, as in
Prefect 1, so `data["items"]` works inside a `with Flow(...)` block.
"""

from __future__ import annotations

import dataclasses
import keyword
from typing import TYPE_CHECKING, Any

from headwater.engine.futures import unmapped
from headwater.engine.static.building import Placeholder, building_flow_var
from headwater.engine.static.operators import OperatorsMixin
from headwater.exceptions import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.static.graph import GraphBuilder
    from headwater.engine.tasks import Task

__all__ = ["DateTimeParameter", "Parameter", "TaskCall", "placeholders_in", "substitute"]


class Parameter(OperatorsMixin, Placeholder):
    """An input of a static flow, given to `flow.run(name=value)`.

    Args:
        name: the parameter's name, a Python identifier (it becomes a keyword of flow.run).
        default: the value used when the run does not give one.
        required: whether a run must give it. As in Prefect 1, it defaults to True
            unless a default other than None is given.

    Raises:
        InvalidDefinitionError: the name is not an identifier, or `required=True`
            together with a default.

    Example:
        >>> with Flow("greet") as flow:
        ...     name = Parameter("name", default="world")
        ...     say_hello(name)
    """

    kind = "parameter"

    def __init__(self, name: str, default: Any = None, required: bool | None = None) -> None:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) \
                or name in ("parameters", "return_state"):
            raise InvalidDefinitionError(
                f"Parameter name {name!r} cannot be used: it becomes a keyword of flow.run(...), so it must be a "
                "Python identifier (letters, digits, underscores) and not a keyword, 'parameters' or 'return_state'"
            )
        if required is None:
            required = default is None
        self.name = self.key = name
        self.default = default
        self.required = bool(required)
        Placeholder.created = True
        building = building_flow_var.get()
        if building is not None:
            building.graph_builder.add_parameter(self)

    def describe(self) -> str:
        return f"Parameter {self.name!r}"

    def __getitem__(self, key: Any) -> TaskCall:
        return _get_item(self, key)

    def set_upstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                     mapped: bool = False) -> None:
        """Refused: a flow input has no upstream tasks (as in Prefect 1).

        Raises:
            InvalidDefinitionError: always.
        """
        raise InvalidDefinitionError(f"{self.describe()} cannot have upstream tasks: it is a flow input")

    def set_downstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                       mapped: bool = False) -> None:
        """Run `other` once this input is known (an order; with `key=`, passed as that argument).

        Raises:
            InvalidDefinitionError: outside a `with Flow(...)` block, with no `flow=`.
        """
        from headwater.engine.static.graph import eager_validation

        owner = flow if flow is not None else building_flow_var.get()
        if owner is None:
            raise InvalidDefinitionError(
                f"{self.describe()}.set_downstream(...) needs a flow: call it inside a `with Flow(...)` block "
                "or pass flow=")
        graph: GraphBuilder = owner.graph_builder
        upstream, downstream = graph.node_for(self), graph.node_for(other)
        if key is not None and isinstance(downstream, TaskCall):
            downstream.kwargs[key] = upstream
        graph.add_edge(upstream, downstream, key, "data" if key is not None else "wait_for",
                       validate=eager_validation(None))

    def value_of(self, given: Any) -> Any:
        """The value tasks receive for what the run was given (subclasses convert it)."""
        return given

    def __repr__(self) -> str:
        default = "" if self.required else f", default={self.default!r}"
        return f"<Parameter {self.name!r}{default}>"


class DateTimeParameter(Parameter):
    """A Parameter whose value, given as an ISO 8601 string, reaches tasks as a datetime (Prefect 1)."""

    def value_of(self, given: Any) -> Any:
        if isinstance(given, str):
            from datetime import datetime

            return datetime.fromisoformat(given.replace("Z", "+00:00"))
        return given


class TaskCall(OperatorsMixin, Placeholder):
    """One call of a task inside a `with Flow(...)` block: a node of the graph.

    Attributes:
        task: the task called.
        key: the node's name in this flow: the task's name, then `name-2`, `name-3` for repeats.
        args, kwargs: the call's arguments; placeholders among them are filled in at run time.
        mapped: whether the call was `task.map(...)` (one task run per element).
    """

    kind = "task"

    def __init__(self, graph: GraphBuilder, task: Task[..., Any], key: str, args: tuple[Any, ...],
                 kwargs: dict[str, Any], mapped: bool) -> None:
        self.graph = graph
        self.task = task
        self.key = key
        self.args = args
        self.kwargs = kwargs
        self.mapped = mapped
        Placeholder.created = True

    def describe(self) -> str:
        return f"the result of task {self.key!r}"

    unmapped_waits: set[int] = set()  # noqa: RUF012 - replaced per call; ids of upstream_tasks given unmapped

    def set_upstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                     mapped: bool = False) -> None:
        """Run this call after `other` (an order, no data; with `key=`, passed as that argument)."""
        from headwater.engine.static.graph import eager_validation

        upstream = self.graph.node_for(other)
        if key is not None:
            self.kwargs[key] = upstream
        self.graph.add_edge(upstream, self, key, "data" if key is not None else "wait_for",
                            validate=eager_validation(None))

    def set_downstream(self, other: Placeholder | Task[..., Any], flow: Any = None, key: str | None = None,
                       mapped: bool = False) -> None:
        """Run `other` after this call (an order, no data; with `key=`, passed as that argument)."""
        from headwater.engine.static.graph import eager_validation

        downstream = self.graph.node_for(other)
        if key is not None and isinstance(downstream, TaskCall):
            downstream.kwargs[key] = self
        self.graph.add_edge(self, downstream, key, "data" if key is not None else "wait_for",
                            validate=eager_validation(None))

    def __iter__(self) -> Any:
        nout = getattr(getattr(self.task, "prefect1", None), "nout", None)
        if not nout:
            self._no_value("iterated over; use task.map(x) to run a task per element, or @task(nout=N)")
        return iter([self[i] for i in range(nout)])

    def __getitem__(self, key: Any) -> TaskCall:
        return _get_item(self, key)

    def __getattr__(self, name: str) -> Any:
        # A call reads as its task (name, tags, max_retries, ...), as Prefect 1's task copies do.
        if name.startswith("__") or name in ("task", "graph"):
            raise AttributeError(name)
        return getattr(self.task, name)

    def __repr__(self) -> str:
        return f"<Task: {self.task.name}>"


def _get_item(node: Placeholder, key: Any) -> TaskCall:
    building = building_flow_var.get()
    if building is None:
        node._no_value(f"indexed with [{key!r}] outside a `with Flow(...)` block")
    from headwater.engine.static.graph import get_item

    return building.graph_builder.add_call(get_item, (node, key), {}, mapped=False)


# -- placeholders inside arguments (the same depth futures are looked for) ----------

def placeholders_in(value: Any, depth: int = 0) -> list[Placeholder]:
    """Placeholders inside `value`: itself, or within lists, tuples, sets, dicts, dataclasses."""
    if isinstance(value, Placeholder):
        return [value]
    if depth > 3:
        return []
    if isinstance(value, unmapped) or type(value).__name__ in ("flatten", "mapped") and hasattr(value, "value"):
        return placeholders_in(value.value, depth + 1)
    if isinstance(value, (list, tuple, set, frozenset)):
        items: Any = value
    elif isinstance(value, dict):
        items = value.values()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (getattr(value, f.name) for f in dataclasses.fields(value))
    else:
        return []
    return [p for item in items for p in placeholders_in(item, depth + 1)]


def substitute(value: Any, outputs: dict[Placeholder, Any], depth: int = 0) -> Any:
    """A copy of `value` with each placeholder replaced by its run-time output
    (a parameter's value, a future, or a list of futures for a mapped call)."""
    if isinstance(value, Placeholder):
        output = outputs[value]
        return list(output) if isinstance(output, list) else output
    if depth > 3 or not placeholders_in(value, depth):
        return value
    if isinstance(value, unmapped):
        return unmapped(substitute(value.value, outputs, depth + 1))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [substitute(item, outputs, depth + 1) for item in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        return {k: substitute(v, outputs, depth + 1) for k, v in value.items()}
    return dataclasses.replace(value, **{
        f.name: substitute(getattr(value, f.name), outputs, depth + 1) for f in dataclasses.fields(value) if f.init
    })
