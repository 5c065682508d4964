"""Prefect 1's graph API of a static flow: editing its graph and asking about it.

`add_task`, `add_edge`, `set_dependencies`, `chain`, `replace` edit the graph as Prefect 1's
functional API does; `edges`, `root_tasks`, `sorted_tasks`, `reference_tasks`, ... answer
questions about it. All of it reads and writes the flow's `GraphBuilder`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.engine.static.building import Placeholder

if TYPE_CHECKING:
    from headwater.engine.static.graph import GraphBuilder

__all__ = ["GraphApiMixin"]


class GraphApiMixin:
    """Prefect 1's `Flow` methods over the flow's graph (mixed into `StaticFlow`)."""

    name: str
    graph_builder: GraphBuilder
    _reference: list[Any]

    def add_task(self, task: Any) -> Any:
        """Add `task` (called with no arguments) to the graph; returns its node."""
        return self.graph_builder.node_for(task)

    def add_edge(self, upstream_task: Any, downstream_task: Any, key: str | None = None, mapped: bool = False,
                 flattened: bool = False, validate: bool | None = None) -> None:
        """Make `downstream_task` wait for `upstream_task` (passing its result as `key`, if given)."""
        self.set_dependencies(downstream_task, upstream_tasks=None if key else [upstream_task],
                              keyword_tasks={key: upstream_task} if key else None, mapped=mapped,
                              validate=validate)

    def set_dependencies(self, task: Any, upstream_tasks: Any = None, downstream_tasks: Any = None,
                         keyword_tasks: dict[str, Any] | None = None, mapped: bool = False,
                         validate: bool | None = None) -> Any:
        """Prefect 1's functional API: add `task` with its upstream, downstream and keyword tasks.

        Raises:
            FlowCycleError: an edge closed a cycle, when `validate` (default
                `prefect.config.flows.eager_edge_validation`); the edges stay, as in Prefect 1.
        """
        from headwater.engine.static.graph import eager_validation
        from headwater.engine.static.nodes import TaskCall

        builder = self.graph_builder
        check = eager_validation(validate)
        if isinstance(task, TaskCall):
            node = task
            for key, value in (keyword_tasks or {}).items():
                node.kwargs[key] = value
                for source in ([value] if isinstance(value, Placeholder) else []):
                    builder.add_edge(source, node, key, "data", validate=check)
        else:
            existing = [c for c in builder.calls if c.task is task]
            if existing and not keyword_tasks:
                node = existing[0]
            else:
                kwargs = dict(keyword_tasks or {})
                kwargs = {k: (builder.node_for(v) if _is_task(v) else v) for k, v in kwargs.items()}
                node = builder.add_call(task, (), kwargs, mapped)
        for upstream in upstream_tasks or ():
            builder.add_edge(builder.node_for(upstream), node, None, "wait_for", validate=check)
        for downstream in downstream_tasks or ():
            builder.add_edge(node, builder.node_for(downstream), None, "wait_for", validate=check)
        return node

    def replace(self, old: Any, new: Any, validate: bool = True) -> None:
        """Put `new` (a task) where `old` is, keeping its arguments and edges."""
        node = self.graph_builder.node_for(old)
        if not hasattr(node, "task"):
            raise ValueError(f"{old!r} is not a task of flow {self.name!r}")
        node.task = new
        

    def chain(self, *tasks: Any) -> None:
        """Run `tasks` one after another (order-only edges)."""
        nodes = [self.graph_builder.node_for(t) for t in tasks]
        for upstream, downstream in zip(nodes, nodes[1:]):
            self.graph_builder.add_edge(upstream, downstream, None, "wait_for")

    @property
    def edges(self) -> set[Any]:
        """Every edge (`upstream_task`, `downstream_task`, `key`), as Prefect 1's `flow.edges`."""
        from headwater.engine.static.taskrun import Edge

        return {Edge(e.upstream, e.downstream, e.argument if e.kind == "data" else None,
                     e.downstream.mapped and id(e.upstream) not in e.downstream.unmapped_waits)
                for e in self.graph_builder.edges}

    @property
    def constants(self) -> dict[Any, dict[str, Any]]:
        """Each call's arguments that are plain values (not task results), by argument name."""
        from headwater.engine.static.nodes import placeholders_in

        found: dict[Any, dict[str, Any]] = {}
        for call in self.graph_builder.calls:
            try:
                bound = call.task.signature.bind_partial(*call.args, **call.kwargs).arguments
            except TypeError:
                continue
            plain = {k: v for k, v in bound.items() if not placeholders_in(v)}
            if plain:
                found[call] = plain
        return found

    def edges_to(self, task: Any) -> set[Any]:
        """The edges into `task`."""
        node = self.graph_builder.node_for(task)
        return {e for e in self.edges if e.downstream_task is node}

    def edges_from(self, task: Any) -> set[Any]:
        """The edges out of `task`."""
        node = self.graph_builder.node_for(task)
        return {e for e in self.edges if e.upstream_task is node}

    def sorted_tasks(self, root_tasks: Any = None) -> tuple[Any, ...]:
        """Every node, each after its upstream nodes (only those downstream of `root_tasks`, if given)."""
        order = self.graph_builder.order()
        if not root_tasks:
            return tuple(order)
        keep = {id(self.graph_builder.node_for(t)) for t in root_tasks}
        for node in order:
            if any(id(e.upstream) in keep for e in self.graph_builder.upstream_of(node)):
                keep.add(id(node))
        return tuple(n for n in order if id(n) in keep)

    def validate(self) -> None:
        """Check the graph.

        Raises:
            FlowCycleError: it has a cycle (a ValueError, as in Prefect 1), naming its nodes.
        """
        self.graph_builder.order()

    def root_tasks(self) -> set[Any]:
        """The nodes with no upstream."""
        downstream = {id(e.downstream) for e in self.graph_builder.edges}
        return {n for n in self.graph_builder.nodes() if id(n) not in downstream}

    def upstream_tasks(self, task: Any) -> set[Any]:
        """The nodes `task` waits for."""
        node = self.graph_builder.node_for(task)
        return {e.upstream for e in self.graph_builder.edges if e.downstream is node}

    def downstream_tasks(self, task: Any) -> set[Any]:
        """The nodes that wait for `task`."""
        node = self.graph_builder.node_for(task)
        return {e.downstream for e in self.graph_builder.edges if e.upstream is node}

    def reference_tasks(self) -> set[Any]:
        """The nodes whose states decide the flow's (set_reference_tasks, else the terminal ones)."""
        if self._reference:
            return set(self.reference_task_nodes())
        from headwater.tasks.core.resource_manager import ResourceCleanupTask, ResourceInitTask

        def cleanup(node: Any) -> bool:
            return isinstance(getattr(node, "task", None), ResourceCleanupTask)

        return {n for n in self.graph_builder.nodes()
                if not isinstance(getattr(n, "task", None), (ResourceInitTask, ResourceCleanupTask))
                and all(cleanup(d) for d in self.downstream_tasks(n))}

    def set_reference_tasks(self, tasks: Any) -> None:
        """The tasks whose states decide the flow's (default: the terminal tasks)."""
        self._reference = list(tasks)

    def reference_task_nodes(self) -> list[Placeholder]:
        """The nodes chosen with set_reference_tasks (empty: the terminal ones decide)."""
        from headwater.engine.static.results import TaskStates

        lookup = TaskStates(self.graph_builder, {n: None for n in self.graph_builder.nodes()})
        return [lookup._node(ref) for ref in self._reference]

    def terminal_tasks(self) -> set[Any]:
        """The nodes nothing depends on."""
        upstream = {id(e.upstream) for e in self.graph_builder.edges}
        return {n for n in self.graph_builder.nodes() if id(n) not in upstream}

    @property
    def tasks(self) -> set[Any]:
        """Every node of the graph (Parameters and task calls)."""
        return set(self.graph_builder.nodes())

    def get_tasks(self, name: str | None = None, **_: Any) -> list[Any]:
        """The nodes whose task (or Parameter) has this name."""
        nodes = self.graph_builder.nodes()
        return [n for n in nodes if name is None or getattr(getattr(n, "task", n), "name", None) == name]

def _is_task(value: Any) -> bool:
    from headwater.engine.tasks import Task

    return isinstance(value, (Task, Placeholder))
