"""What `flow.run()` returns, read as in Prefect 1.

    state = flow.run(name="world")      # a Prefect 1 state (engine/state.py): Success, Failed, ...
    state.is_successful()
    state.result[say_hello].result      # the task's return value (or its exception)

The flow state's `.result` is a `TaskStates` mapping each node to its state; it is
keyed by what the `with` block returned (the placeholder), by the task object when
that task was called once, or by the node's key string.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from headwater.engine.static.building import Placeholder
    from headwater.engine.static.graph import GraphBuilder

__all__ = ["TaskStates"]


class TaskStates(Mapping["Placeholder", Any]):
    """Each node's `TaskState`, looked up by placeholder, task object, or node key."""

    def __init__(self, graph: GraphBuilder, states: dict[Placeholder, Any]) -> None:
        self._graph = graph
        self._states = states

    def __getitem__(self, ref: Any) -> Any:
        return self._states[self._node(ref)]

    def __iter__(self) -> Iterator[Placeholder]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, ref: object) -> bool:
        try:
            return self._node(ref) in self._states
        except KeyError:
            return False

    def _node(self, ref: Any) -> Placeholder:
        from headwater.engine.static.building import Placeholder
        from headwater.engine.tasks import Task

        flow = self._graph.flow_name
        if isinstance(ref, Placeholder):
            if ref not in self._states:
                raise KeyError(f"{ref.describe()} is not part of flow {flow!r}")
            return ref
        if isinstance(ref, Task):
            calls = self._graph.calls_of(ref)
            if len(calls) == 1:
                return calls[0]
            if not calls:
                raise KeyError(f"task {ref.name!r} is not called in flow {flow!r}")
            raise KeyError(
                f"task {ref.name!r} is called {len(calls)} times in flow {flow!r} "
                f"({', '.join(repr(c.key) for c in calls)}); look up the value each call returned, "
                f"or the key, e.g. state.result[{calls[1].key!r}]"
            )
        if isinstance(ref, str):
            for node in self._states:
                if node.key == ref:
                    return node
            raise KeyError(f"flow {flow!r} has no task or Parameter named {ref!r}; "
                           f"it has: {', '.join(repr(n.key) for n in self._states)}")
        raise KeyError(f"look up a task's state by what the `with Flow` block returned, the task, or its key; "
                       f"got {ref!r}")

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{n.key!r}: {s!r}" for n, s in self._states.items()) + "}"
