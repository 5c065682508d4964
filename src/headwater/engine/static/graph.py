"""The static graph a `with Flow(...)` block builds: nodes, edges, and their order.

`GraphBuilder` is what task calls inside the block talk to; `FlowGraph` is the
read-only picture of it (`flow.graph`) that drawing, the UI and tests use. As in
Prefect 1, an edge closing a cycle is refused when it is added only if asked
(`validate=True`, or `prefect.config.flows.eager_edge_validation`); otherwise the cycle is
found by `flow.validate()` and by the run, which fails. Either way the error names the
cycle's nodes.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from headwater.engine.futures import unmapped
from headwater.engine.static.building import Placeholder, case_var
from headwater.engine.static.nodes import Parameter, TaskCall, placeholders_in
from headwater.engine.tasks import Task, task
from headwater.exceptions import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.static.flow import StaticFlow

__all__ = ["FlowCycleError", "eager_validation", "FlowGraph", "FlowGraphNode", "GraphBuilder", "GraphEdge", "get_item"]

EdgeKind = Literal["data", "wait_for"]


class FlowCycleError(InvalidDefinitionError, ValueError):
    """A static flow's graph has a cycle; a ValueError too, as Prefect 1 raises."""


def eager_validation(validate: bool | None) -> bool:
    """Whether an edge added by the functional API is checked at once: `validate` when given,
    else `prefect.config.flows.eager_edge_validation` (False by default, as in Prefect 1)."""
    if validate is not None:
        return validate
    from headwater.engine.static import config as config_module

    return config_module.config.get_nested("flows.eager_edge_validation") is True


@task(name="GetItem")
def get_item(value: Any, key: Any) -> Any:
    """`value[key]`: what `x["key"]` on a placeholder runs (Prefect 1's GetItem task)."""
    return value[key]


@dataclasses.dataclass(frozen=True)
class FlowGraphNode:
    """A node of `flow.graph`.

    Attributes:
        key: unique in the flow: a parameter's name, or a task's name (`name-2` for repeats).
        kind: "parameter" or "task".
        task_name: the task's name (the parameter's name for parameters).
        mapped: whether the task is called with `.map(...)`.
        required: for parameters, whether flow.run must give it.
    """

    key: str
    kind: Literal["parameter", "task"]
    task_name: str
    mapped: bool = False
    required: bool = False


@dataclasses.dataclass(frozen=True)
class GraphEdge:
    """An edge of `flow.graph`: `upstream` feeds `downstream`.

    Attributes:
        argument: which argument the data comes in through (None for wait_for edges).
        kind: "data" (a value is passed) or "wait_for" (order only: upstream_tasks=[...]).
    """

    upstream: str
    downstream: str
    argument: str | None
    kind: EdgeKind


@dataclasses.dataclass(frozen=True)
class FlowGraph:
    """The static graph of a flow, as data: nodes in run order, and edges."""

    name: str
    nodes: tuple[FlowGraphNode, ...]
    edges: tuple[GraphEdge, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: {"name", "nodes": [...], "edges": [...]}."""
        return {"name": self.name, "nodes": [dataclasses.asdict(n) for n in self.nodes],
                "edges": [dataclasses.asdict(e) for e in self.edges]}


@dataclasses.dataclass(frozen=True)
class NodeEdge:
    """An edge between the node objects themselves (GraphEdge is its picture by key)."""

    upstream: Placeholder
    downstream: TaskCall
    argument: str | None
    kind: EdgeKind


class GraphBuilder:
    """Collects the nodes and edges of one static flow."""

    def __init__(self, flow: StaticFlow) -> None:
        self.flow_name = flow.name
        self.parameters: dict[str, Parameter] = {}
        self.calls: list[TaskCall] = []
        self.edges: list[NodeEdge] = []
        self._keys: set[str] = set()
        self._repeats: dict[str, int] = {}  # last suffix used per task name

    # -- adding ------------------------------------------------------------------------
    def add_parameter(self, parameter: Parameter) -> Parameter:
        """Make `parameter` an input of this flow (once; a second one of that name is an error)."""
        existing = self.parameters.get(parameter.name)
        if existing is parameter:
            return parameter
        if existing is not None or parameter.name in self._keys:
            raise InvalidDefinitionError(
                f"flow {self.flow_name!r} already has a {'task' if existing is None else 'Parameter'} named "
                f"{parameter.name!r}; give each Parameter a distinct name, or reuse the first Parameter object"
            )
        self.parameters[parameter.name] = parameter
        self._keys.add(parameter.name)
        return parameter

    def add_call(self, called: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 mapped: bool) -> TaskCall:
        """Add a node for `called(*args, **kwargs)` and edges from the placeholders it receives.

        `upstream_tasks=[...]` in kwargs adds order-only edges; `task_args={...}`
        overrides the task's options for this call, as in Prefect 1.

        Raises:
            InvalidDefinitionError: arguments that do not fit the task's signature, or a
                placeholder from another flow.
        """
        upstream_tasks = kwargs.pop("upstream_tasks", None)
        upstream_tasks = () if upstream_tasks is None else upstream_tasks
        task_args = kwargs.pop("task_args", None)
        from headwater.engine.context import tags_var

        open_tags = tags_var.get() | getattr(called, "definition_tags", frozenset())
        if open_tags:  # `with tags(...)` around the call or the task's definition: its task gets them (Prefect 1)
            task_args = {**(task_args or {}), "tags": sorted({*open_tags, *(task_args or {}).get("tags", ())})}
        if task_args:
            called = called.copy(**task_args)
        from headwater.utilities.tasks import apply_map_var

        applying = apply_map_var.get()
        if applying is not None:  # inside apply_map: every call maps, over the mapped inputs only
            args, kwargs = applying.adjust(args, kwargs)
            mapped = True
        marked = [v for v in (*args, *kwargs.values()) if type(v).__name__ == "mapped" and hasattr(v, "value")]
        if marked:  # t(mapped(xs), y): a mapped call, as in Prefect 1
            mapped = True
            args = tuple(a.value if any(a is m for m in marked) else a for a in args)
            kwargs = {k: v.value if any(v is m for m in marked) else v for k, v in kwargs.items()}
        args = tuple(_argument(self, a) for a in args)
        kwargs = {k: _argument(self, v) for k, v in kwargs.items()}
        try:
            bound = called.signature.bind(*args, **kwargs).arguments
        except TypeError as exc:
            raise InvalidDefinitionError(
                f"task {called.name!r} in flow {self.flow_name!r} was called with arguments that do not fit "
                f"{called.name}{called.signature}: {exc}"
            ) from None
        sources = [(name, p) for name, value in bound.items() for p in placeholders_in(value)]
        wait_refs = list(_as_list(upstream_tasks))
        unmapped_waits = [w.value for w in wait_refs if isinstance(w, unmapped)]
        waits = [self.node_for(w.value if isinstance(w, unmapped) else w) for w in wait_refs]
        for _, source in sources:
            self._adopt(source)
        call = _call_class(type(called))(self, called, self._unique_key(called.name), args, kwargs, mapped)
        call.unmapped_waits = set()
        self.calls.append(call)
        if applying is not None:
            applying.made.add(id(call))
        for block in case_var.get():  # `with case(...)` / resource blocks open around this call
            block.add_call(call)
        for name, source in dict.fromkeys(sources):
            self.edges.append(NodeEdge(source, call, name, "data"))
        unmapped_ids = {id(self.node_for(w)) for w in unmapped_waits}
        for source in dict.fromkeys(waits):
            self.add_edge(source, call, None, "wait_for", mapped=id(source) not in unmapped_ids)
        return call

    def node_for(self, ref: Placeholder | Task[..., Any]) -> Placeholder:
        """The node `ref` stands for: a placeholder of this flow, or for a task object
        passed uncalled (`upstream_tasks=[extract]`) its one call without arguments."""
        if isinstance(ref, Placeholder):
            return self._adopt(ref)
        if isinstance(ref, Task):
            calls = [call for call in self.calls if call.task is ref]
            for call in calls:
                if not call.args and not call.kwargs:
                    return call
            if len(calls) == 1:  # the task object stands for its one call (Prefect 1's bind)
                return calls[0]
            return self.add_call(ref, (), {}, mapped=False)
        raise InvalidDefinitionError(
            f"upstream_tasks of flow {self.flow_name!r} got {ref!r} ({type(ref).__name__}); "
            "expected task results, Parameters or @task objects"
        )

    def add_edge(self, upstream: Placeholder, downstream: Placeholder, argument: str | None,
                 kind: EdgeKind, mapped: bool = False, validate: bool = False) -> None:
        """Add an edge. An order-only edge into a mapped call is mapped over (child to child)
        only with `mapped=True` (as `upstream_tasks=` of `.map`).

        Args:
            validate: check at once that the edge closes no cycle (it is added either way,
                as in Prefect 1).

        Raises:
            FlowCycleError: with `validate`, the edge closed a cycle (named).
        """
        if not isinstance(downstream, TaskCall):
            raise InvalidDefinitionError(f"{downstream.describe()} cannot have upstream tasks: it is a flow input")
        from headwater.utilities.tasks import apply_map_var

        applying = apply_map_var.get()
        if applying is not None and id(upstream) in applying.made:
            mapped = True  # inside apply_map, edges between its own calls map child to child (a case, a chain)
        if kind == "wait_for" and not mapped:
            downstream.unmapped_waits.add(id(upstream))
        for existing in self.edges:  # an order edge may sit beside a data edge, as in Prefect 1
            if existing.upstream is upstream and existing.downstream is downstream \
                    and (existing.kind, existing.argument) == (kind, argument):
                return
        path = self._path(downstream, upstream) if validate else None
        self.edges.append(NodeEdge(upstream, downstream, argument, kind))
        if path is not None:  # Prefect 1 keeps the edge and raises: the flow stays invalid until edited
            cycle = " -> ".join(node.key for node in [upstream, *path])
            raise FlowCycleError(
                f"flow {self.flow_name!r} contains a cycle: {cycle}; a flow's graph must be acyclic, "
                f"so {downstream.key!r} cannot wait for {upstream.key!r}"
            )

    # -- reading -----------------------------------------------------------------------
    def nodes(self) -> list[Placeholder]:
        """Every node: parameters first, then task calls in the order they were made."""
        return [*self.parameters.values(), *self.calls]

    def upstream_of(self, node: Placeholder) -> list[NodeEdge]:
        """The edges into `node`."""
        return [e for e in self.edges if e.downstream is node]

    def order(self) -> list[Placeholder]:
        """The nodes in an order where every node comes after its upstream nodes.

        Raises:
            FlowCycleError: the graph has a cycle, naming its nodes.
        """
        nodes = self.nodes()
        remaining = {id(n): 0 for n in nodes}
        downstream: dict[int, list[Placeholder]] = {id(n): [] for n in nodes}
        for edge in self.edges:
            downstream[id(edge.upstream)].append(edge.downstream)
            remaining[id(edge.downstream)] += 1
        position = {id(n): i for i, n in enumerate(nodes)}
        ready = [(position[id(n)], n) for n in nodes if remaining[id(n)] == 0]
        ordered: list[Placeholder] = []
        while ready:  # earliest-made node first, so the order reads like the block
            _, node = heapq.heappop(ready)
            ordered.append(node)
            for child in downstream[id(node)]:
                remaining[id(child)] -= 1
                if remaining[id(child)] == 0:
                    heapq.heappush(ready, (position[id(child)], child))
        if len(ordered) != len(nodes):
            stuck = [n for n in nodes if remaining[id(n)] > 0]
            cycle = next((path for n in stuck for path in [self._cycle_through(n)] if path), stuck)
            raise FlowCycleError(
                f"flow {self.flow_name!r} contains a cycle: {' -> '.join(n.key for n in cycle)}; a flow's graph "
                "must be acyclic: remove one of these edges (set_upstream / add_edge)"
            )
        return ordered

    def calls_of(self, called: Task[..., Any]) -> list[TaskCall]:
        """Every call of `called` in this flow, in the order they were made."""
        return [c for c in self.calls if c.task is called]

    def snapshot(self) -> FlowGraph:
        """The graph as plain data (`flow.graph`)."""
        nodes = tuple(
            FlowGraphNode(n.key, "parameter", n.name, required=n.required) if isinstance(n, Parameter)
            else FlowGraphNode(n.key, "task", n.task.name, mapped=n.mapped) if isinstance(n, TaskCall)
            else _unknown_node(n)
            for n in self.order()
        )
        edges = tuple(GraphEdge(e.upstream.key, e.downstream.key, e.argument, e.kind) for e in self.edges)
        return FlowGraph(self.flow_name, nodes, edges)

    # -- helpers -----------------------------------------------------------------------
    def _adopt(self, node: Placeholder) -> Placeholder:
        """Check that `node` may be used in this flow; a Parameter made outside any block joins it."""
        if isinstance(node, Parameter):
            return self.add_parameter(node)
        if isinstance(node, TaskCall) and node.graph is not self:
            raise InvalidDefinitionError(
                f"{node.describe()} belongs to flow {node.graph.flow_name!r} and cannot be used in flow "
                f"{self.flow_name!r}; call {node.task.name!r} again inside this `with Flow(...)` block"
            )
        return node

    def _unique_key(self, name: str) -> str:
        key, n = name, self._repeats.get(name, 1)
        while key in self._keys:
            n += 1
            key = f"{name}-{n}"
        self._repeats[name] = n
        self._keys.add(key)
        return key

    def _cycle_through(self, node: Placeholder) -> list[Placeholder] | None:
        """A cycle from `node` back to itself (both ends included), if there is one."""
        for edge in self.edges:
            if edge.upstream is node:
                path = self._path(edge.downstream, node)
                if path is not None:
                    return [node, *path]
        return None

    def _path(self, start: Placeholder, goal: Placeholder) -> list[Placeholder] | None:
        """Nodes on a downstream path from `start` to `goal` (both included), if any."""
        stack: list[list[Placeholder]] = [[start]]
        seen: set[int] = set()
        while stack:
            path = stack.pop()
            node = path[-1]
            if node is goal:
                return path
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend([*path, e.downstream] for e in self.edges if e.upstream is node)
        return None


_CALL_CLASSES: dict[type, type[TaskCall]] = {}


def _call_class(task_class: type) -> type[TaskCall]:
    """A TaskCall subclass named after the task's class (`type(x).__name__` reads as in Prefect 1)."""
    found = _CALL_CLASSES.get(task_class)
    if found is None:
        name = "FunctionTask" if task_class is Task else task_class.__name__
        found = _CALL_CLASSES[task_class] = type(name, (TaskCall,), {"__module__": TaskCall.__module__})
    return found


def _argument(builder: GraphBuilder, value: Any) -> Any:
    """A task object passed as an argument stands for its call; a Constant for its value; a list,
    tuple, set or dict holding task results becomes a List / Tuple / Set / Dict task (Prefect 1)."""
    if isinstance(value, (list, tuple, set, dict)) and type(value) in (list, tuple, set, dict) \
            and _holds_tasks(value):
        return _collection(builder, value)
    if not isinstance(value, Task):
        return value
    from headwater.tasks.core.constants import Constant

    if isinstance(value, Constant):
        return value.value
    return builder.node_for(value)


def _holds_tasks(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(i, (Placeholder, Task)) or (type(i) in (list, tuple, set, dict) and _holds_tasks(i))
               for i in items)



def _unknown_node(node: Placeholder) -> FlowGraphNode:
    raise TypeError(f"a static graph holds Parameters and task calls only, not {node!r}")  # a bug if reached

def _collection(builder: GraphBuilder, value: Any) -> TaskCall:
    from headwater.tasks.core import collections

    if isinstance(value, dict):
        keys = list(value.keys())
        values = _collection(builder, list(value.values()))
        return builder.add_call(collections.Dict(), (), {"keys": keys, "values": values}, mapped=False)
    kinds: dict[type[object], type[Task[..., Any]]] = {
        list: collections.List, tuple: collections.Tuple, set: collections.Set}
    kind = kinds[type(value)]
    return builder.add_call(kind(), tuple(_argument(builder, i) for i in value), {}, mapped=False)


def _as_list(value: Any) -> Iterable[Any]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return value
    return [value]
