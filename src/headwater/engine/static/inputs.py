"""What a static graph's task call receives: its upstream results put in place of placeholders.

Also how long a mapped call's map is, and what each mapped child sees of its
upstream states (its own element of a mapped upstream, the whole of an unmapped one).
"""

from __future__ import annotations

from typing import Any

from headwater.engine.futures import unmapped
from headwater.engine.state import Mapped, State, Success
from headwater.engine.static.building import Placeholder
from headwater.engine.static.nodes import TaskCall
from headwater.engine.static.taskrun import Edge

__all__ = ["argument_value", "call_inputs", "child_state", "has_literal_inputs", "map_length", "named_arguments", "node_result", "resolve_placeholders"]


def argument_value(call: TaskCall, argument: str | None) -> Any:
    if argument is None:
        return None
    try:
        bound = call.task.signature.bind_partial(*call.args, **call.kwargs).arguments
    except TypeError:
        return None
    return bound.get(argument)


def node_result(node: Placeholder, states: dict[Placeholder, State]) -> Any:
    return states[node].result if node in states else None


def resolve_placeholders(value: Any, results: dict[int, Any], depth: int = 0) -> Any:
    """`value` with each placeholder replaced by its upstream result."""
    from headwater.utilities.edges import flatten as flatten_marker

    if isinstance(value, Placeholder):
        return results.get(id(value))
    if isinstance(value, unmapped):
        return resolve_placeholders(value.value, results, depth + 1)
    if isinstance(value, flatten_marker):
        inner = resolve_placeholders(value.value, results, depth + 1)
        return [item for group in inner for item in group]
    if depth > 3:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [resolve_placeholders(item, results, depth + 1) for item in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        return {k: resolve_placeholders(v, results, depth + 1) for k, v in value.items()}
    return value


def call_inputs(call: TaskCall, upstream_states: dict[Edge, State], index: int | None) -> tuple[tuple[Any, ...], dict[str, Any]]:
    results = {id(edge.upstream_task): state.result for edge, state in upstream_states.items()}
    if index is None:
        return tuple(resolve_placeholders(a, results) for a in call.args), {k: resolve_placeholders(v, results) for k, v in call.kwargs.items()}

    from headwater.utilities.edges import flatten as flatten_marker

    def one(value: Any) -> Any:
        if isinstance(value, unmapped):
            return resolve_placeholders(value.value, results)
        if isinstance(value, flatten_marker) and isinstance(value.value, Placeholder):
            return results.get(id(value.value))  # already the child's own element (see _child_state)
        if isinstance(value, Placeholder):
            return results.get(id(value))  # already the child's own result (see _child_state)
        return resolve_placeholders(value, results)[index]

    return tuple(one(a) for a in call.args), {k: one(v) for k, v in call.kwargs.items()}


def named_arguments(call: TaskCall, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(call.task.signature.bind_partial(*args, **kwargs).arguments)
    except TypeError:
        return dict(kwargs)


def map_length(call: TaskCall, upstream_states: dict[Edge, State], edges: list[Edge]) -> int:
    from headwater.utilities.edges import flatten as flatten_marker

    results = {id(edge.upstream_task): state.result for edge, state in upstream_states.items()}
    lengths: list[int] = []
    for edge, state in upstream_states.items():
        flattened = isinstance(argument_value(call, edge.key), flatten_marker) if edge.key else False
        if edge.mapped and isinstance(state, Mapped) and not flattened:
            lengths.append(state.n_map_states)
        elif edge.mapped and state.is_successful():
            if not hasattr(state.result, "__getitem__"):
                raise TypeError("unmappable")
            lengths.append(len([i for g in state.result for i in g]) if flattened else len(state.result))
    for value in (*call.args, *call.kwargs.values()):
        if isinstance(value, (unmapped, Placeholder)) or (
                isinstance(value, flatten_marker) and isinstance(value.value, Placeholder)):
            continue
        resolved = resolve_placeholders(value, results)
        if not hasattr(resolved, "__getitem__"):
            raise TypeError("unmappable")
        lengths.append(len(resolved))
    return min(lengths, default=0)


def has_literal_inputs(call: TaskCall) -> bool:
    """Whether a mapped call maps over a value written in the block (not a task result)."""
    from headwater.utilities.edges import flatten as flatten_marker

    return any(not isinstance(v, (unmapped, Placeholder, flatten_marker)) for v in (*call.args, *call.kwargs.values()))


def child_state(edge: Edge, state: State, index: int) -> State:
    """What child `index` of a mapped task sees of one upstream state."""
    if not edge.mapped:
        return state
    from headwater.utilities.edges import flatten as flatten_marker

    value = argument_value(edge.downstream_task, edge.key) if edge.key else None
    flattened = isinstance(value, flatten_marker)
    if isinstance(state, Mapped) and not flattened:
        return state.map_states[index]
    if not state.is_successful():
        return state
    result = state.result
    if flattened:
        result = [item for group in result for item in group]
    try:
        item = result[index]
    except (TypeError, IndexError, KeyError):
        item = None
    return Success(message=state.message, result=item)
