"""Running a static graph: the body of the flow run that `flow.run()` starts.

Every task call is submitted to the flow run's task runner with futures for its
inputs and `wait_for` for its order-only upstreams, so independent branches run at
once and every task run and edge is recorded like any flow's. A mapped call can
only be expanded once its inputs exist; it is put off, and the rest of the graph
keeps being submitted meanwhile.
"""

from __future__ import annotations

import contextvars
from typing import Any

from headwater.core.states import State, StateType
from headwater.engine.futures import HeadwaterFuture, HeadwaterFutureList, as_completed
from headwater.engine.static.building import Placeholder, building_flow_var
from headwater.engine.static.graph import GraphBuilder, NodeEdge
from headwater.engine.static.nodes import Parameter, TaskCall, substitute
from headwater.exceptions import UpstreamTaskError

__all__ = ["NotRun", "RunRecord", "run_graph", "run_record_var"]


class NotRun:
    """The output of a call that never became a task run (a mapped call whose input
    failed, or whose arguments could not be mapped); `state` says why."""

    def __init__(self, state: State[Any]) -> None:
        self.state = state


class RunRecord:
    """What one run of a static graph produced, for the state flow.run returns."""

    def __init__(self) -> None:
        self.flow_run_id: str | None = None
        self.outputs: dict[Placeholder, Any] = {}


run_record_var: contextvars.ContextVar[RunRecord | None] = contextvars.ContextVar(
    "headwater_static_run_record", default=None
)


def run_graph(graph: GraphBuilder, parameters: dict[str, Any]) -> State[Any] | None:
    """Submit every node of `graph`; wait for all; a Failed state if any task did not complete."""
    from headwater.engine.context import flow_run_var

    token = building_flow_var.set(None)  # flow.run() inside a `with Flow` block must not add nodes
    try:
        record = run_record_var.get() or RunRecord()
        flow_run = flow_run_var.get()
        record.flow_run_id = flow_run.id if flow_run is not None else None
        outputs = record.outputs
        order = graph.order()
        upstream: dict[int, list[NodeEdge]] = {id(n): [] for n in order}
        for edge in graph.edges:
            upstream[id(edge.downstream)].append(edge)
        for node in order:
            if isinstance(node, Parameter):
                outputs[node] = parameters.get(node.name, node.default)
        _submit_all([n for n in order if isinstance(n, TaskCall)], upstream, outputs)
        return _outcome(graph, outputs)
    finally:
        building_flow_var.reset(token)


def _submit_all(calls: list[TaskCall], upstream: dict[int, list[NodeEdge]], outputs: dict[Placeholder, Any]) -> None:
    waiting = list(calls)
    while waiting:
        still_waiting = []
        for call in waiting:
            edges = upstream[id(call)]
            if any(edge.upstream not in outputs for edge in edges) \
                    or (call.mapped and not _inputs_done(edges, outputs)):
                still_waiting.append(call)
                continue
            outputs[call] = _submit(call, edges, outputs)
        progressed = len(still_waiting) < len(waiting)
        waiting = still_waiting
        if waiting and not progressed:
            # Only mapped calls wait on running inputs here; block until one input finishes.
            pending = [f for call in waiting if call.mapped for edge in upstream[id(call)]
                       for f in _futures(outputs.get(edge.upstream)) if not f.done()]
            if not pending:  # cannot happen in an acyclic graph; never spin
                raise RuntimeError(f"static graph stalled with {len(waiting)} call(s) unsubmitted")
            next(as_completed(pending))


def _submit(call: TaskCall, edges: list[NodeEdge], outputs: dict[Placeholder, Any]) -> Any:
    sources = list(dict.fromkeys(e.upstream for e in edges))
    skipped = [s for s in sources if isinstance(outputs[s], NotRun)]
    if skipped:
        return _not_run(call, skipped[0], outputs[skipped[0]].state)
    wait_for = [outputs[e.upstream] for e in edges if e.kind == "wait_for" and not isinstance(e.upstream, Parameter)]
    args = tuple(substitute(a, outputs) for a in call.args)
    kwargs = {k: substitute(v, outputs) for k, v in call.kwargs.items()}
    if not call.mapped:
        return call.task.submit(*args, wait_for=wait_for, **kwargs)
    for source in sources:
        for future in _futures(outputs[source]):
            if future.final_state().type is not StateType.COMPLETED:
                future.observed = True  # reported through this call's state instead
                return _not_run(call, source, future.final_state())
    try:
        return call.task.map(*args, wait_for=wait_for, **kwargs)
    except Exception as exc:  # e.g. iterables of different lengths: this call fails, the rest runs
        message = f"Task {call.key!r} could not be mapped: {exc}"
        return NotRun(State(StateType.FAILED, None, message, exc))


def _not_run(call: TaskCall, source: Placeholder, state: State[Any]) -> NotRun:
    message = f"Task {call.key!r} did not run: upstream {source.key!r} ended in state {state}"
    return NotRun(State(StateType.FAILED, "NotRun", message, UpstreamTaskError(message)))


def _inputs_done(edges: list[NodeEdge], outputs: dict[Placeholder, Any]) -> bool:
    return all(f.done() for edge in edges for f in _futures(outputs[edge.upstream]))


def _futures(output: Any) -> list[HeadwaterFuture[Any]]:
    if isinstance(output, HeadwaterFuture):
        return [output]
    if isinstance(output, HeadwaterFutureList):
        return list(output)
    return []


def _outcome(graph: GraphBuilder, outputs: dict[Placeholder, Any]) -> State[Any] | None:
    """None when every task run completed, else a Failed state naming the ones that did not."""
    failed: list[tuple[str, State[Any]]] = []
    for call in graph.calls:
        output = outputs.get(call)
        if isinstance(output, NotRun):
            failed.append((call.key, output.state))
            continue
        for future in _futures(output):
            future.observed = True
            state = future.final_state()
            if state.type is not StateType.COMPLETED:
                failed.append((call.key, state))
                break
    if not failed:
        return None
    names = ", ".join(f"{key!r} ({state.name})" for key, state in failed[:5]) + (" ..." if len(failed) > 5 else "")
    first = failed[0][1].data
    return State(StateType.FAILED, None, f"{len(failed)} of {len(graph.calls)} task(s) did not complete: {names}",
                 first if isinstance(first, BaseException) else None)
