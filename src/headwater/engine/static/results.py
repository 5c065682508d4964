"""What `flow.run()` returns, shaped as Prefect 1 users read it.

    state = flow.run(name="world")
    state.is_successful()
    state.result[say_hello].result      # the task's return value (or its exception)

`FlowState.result` maps each node to a `TaskState`; it is keyed by what the `with`
block returned (the placeholder), by the task object when that task was called
once, or by the node's key string. The underlying headwater `State`s are at `.state`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.core.states import State, StateType

if TYPE_CHECKING:
    from headwater.engine.static.building import Placeholder
    from headwater.engine.static.graph import GraphBuilder

__all__ = ["FlowState", "TaskState", "TaskStates"]


class _Prefect1State:
    """The Prefect 1 reading of a headwater State: `is_successful()`, `.message`, ..."""

    state: State[Any]

    @property
    def type(self) -> StateType:
        return self.state.type

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def message(self) -> str | None:
        return self.state.message

    def is_successful(self) -> bool:
        return self.state.type is StateType.COMPLETED

    def is_failed(self) -> bool:
        return self.state.type in (StateType.FAILED, StateType.CRASHED)

    def is_finished(self) -> bool:
        return self.state.is_final()

    def is_pending(self) -> bool:
        return self.state.type in (StateType.PENDING, StateType.SCHEDULED)

    def is_running(self) -> bool:
        return self.state.type is StateType.RUNNING


class TaskState(_Prefect1State):
    """One node's outcome in a static flow run.

    Attributes:
        state: the headwater `State` (for a mapped call, one summarising its runs).
        result: the return value, or the exception when the task failed (as Prefect 1).
        map_states: for a mapped call, the `TaskState` of each of its runs; else None.
    """

    def __init__(self, state: State[Any], map_states: list[TaskState] | None = None) -> None:
        self.state = state
        self.map_states = map_states
        if map_states is not None:
            self.result: Any = [child.result for child in map_states]
        else:
            self.result = state.result(raise_on_failure=False) if state.is_final() else None

    def is_mapped(self) -> bool:
        return self.map_states is not None

    def __repr__(self) -> str:
        return f"<TaskState {self.state}>"


class TaskStates(Mapping["Placeholder", TaskState]):
    """Each node's `TaskState`, looked up by placeholder, task object, or node key."""

    def __init__(self, graph: GraphBuilder, states: dict[Placeholder, TaskState]) -> None:
        self._graph = graph
        self._states = states

    def __getitem__(self, ref: Any) -> TaskState:
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


class FlowState(_Prefect1State):
    """The outcome of `flow.run()`: the flow run's state and each task's.

    Attributes:
        state: the flow run's headwater `State`; `state.state.result()` raises the
            failure, if you want an exception.
        result: `TaskStates`, each task's `TaskState` (`state.result[task].result`).
        flow_run_id: the id of the recorded flow run (`headwater flow-run inspect ID`).
    """

    def __init__(self, state: State[Any], result: TaskStates, flow_run_id: str | None) -> None:
        self.state = state
        self.result = result
        self.flow_run_id = flow_run_id

    def __repr__(self) -> str:
        return f"<FlowState {self.state}>"
