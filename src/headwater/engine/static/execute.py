"""Running a static graph as Prefect 1's FlowRunner does: the body of `flow.run()`'s flow run.

Tasks run in the graph's order, one after another with the default LocalExecutor
(each starts once its upstream tasks finished; a parallel executor runs ready tasks
at once). Each goes through the Prefect 1 state pipeline (engine/static/taskrun.py).
A mapped call becomes a Mapped parent and one child run per element. Tasks left
Retrying are picked up in another pass once their retry time comes, as
Prefect 1's `flow.run()` does; the flow's state is decided from its reference
tasks (by default the terminal ones).
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from headwater.engine.state import Failed, Mapped, Paused, Pending, Resume, Running, Scheduled, State, Success
from headwater.engine.static.building import Placeholder, building_flow_var
from headwater.engine.static.context import context
from headwater.engine.static.graph import GraphBuilder
from headwater.engine.static.inputs import argument_value, call_inputs, child_state, has_literal_inputs, map_length, named_arguments
from headwater.engine.static.nodes import Parameter, TaskCall
from headwater.engine.static.recording import Recorder
from headwater.engine.static.taskrun import Edge, run_task
from headwater.engine.futures import unmapped

if TYPE_CHECKING:
    from headwater.core import states as core_states

__all__ = ["RunRecord", "ask_to_resume_var", "run_graph", "run_record_var"]


class RunRecord:
    """What one run of a static graph produced, for the state flow.run returns."""

    def __init__(self, executor: Any = None, flow: Any = None, states: dict[Placeholder, State] | None = None,
                 context_values: dict[str, Any] | None = None) -> None:
        self.flow_run_id: str | None = None
        self.executor = executor
        self.flow = flow
        self.states: dict[Placeholder, State] = dict(states or {})
        self.flow_state: State | None = None
        self.context_values = dict(context_values or {})


run_record_var: contextvars.ContextVar[RunRecord | None] = contextvars.ContextVar(
    "headwater_static_run_record", default=None
)


ask_to_resume_var: contextvars.ContextVar[bool] = contextvars.ContextVar("headwater_static_ask_to_resume",
                                                                         default=True)
"""Whether a run with Paused tasks asks on stdin to resume them (flow.run) or ends Running (FlowRunner.run)."""


def run_graph(graph: GraphBuilder, parameters: dict[str, Any]) -> core_states.State[Any] | None:
    """Run every node of `graph`; returns a headwater Failed state if the Prefect 1 flow state failed."""
    from headwater.core.states import State as HwState, StateType
    from headwater.engine.context import flow_run_var

    token = building_flow_var.set(None)  # flow.run() inside a `with Flow` block must not add nodes
    try:
        record = run_record_var.get() or RunRecord()
        flow_run = flow_run_var.get()
        record.flow_run_id = flow_run.id if flow_run is not None else None
        try:
            final = _FlowRunner(graph, record, parameters).run()
        finally:
            close = getattr(record.executor, "close", None)
            if close is not None:  # each flow run starts and stops its executor's workers, as in Prefect 1
                close()
        record.flow_state = final
        if final.is_failed():
            return HwState(StateType.FAILED, None, final.message, None)
        return None
    finally:
        building_flow_var.reset(token)


class _FlowRunner:
    def __init__(self, graph: GraphBuilder, record: RunRecord, parameters: dict[str, Any]) -> None:
        self.graph = graph
        self.record = record
        self.states = record.states
        self.order = graph.order()
        self.parameters = {p.name: parameters.get(p.name, p.default) for p in graph.parameters.values()}
        self.recorder = Recorder()
        self.futures: dict[int, list[Any]] = {}  # recorded runs per node (for graph edges)
        self.child_futures: dict[int, list[list[Any]]] = {}
        self.flow = record.flow
        self.executor = record.executor
        self.upstream: dict[int, list[Any]] = {id(n): [] for n in self.order}
        for edge in graph.edges:
            self.upstream[id(edge.downstream)].append(edge)
        self.downstream: set[int] = {id(e.upstream) for e in graph.edges}

    # -- the flow -------------------------------------------------------------------------
    def run(self) -> State:
        from headwater.engine.state import utcnow

        start = utcnow()
        flow_name = self.graph.flow_name
        values = {
            "flow_name": flow_name, "flow_id": flow_name, "flow_run_id": self.record.flow_run_id,
            "flow_run_name": self.record.flow_run_id, "parameters": dict(self.parameters),
            "scheduled_start_time": start, "date": start,
            "logger": logging.getLogger("prefect.FlowRunner"),
            "_flow_result": getattr(self.flow, "prefect1_result", None),
            **_dates(start), **self.record.context_values,
        }
        state: State = Scheduled(start_time=start)
        handlers = list(getattr(self.flow, "prefect1_state_handlers", ()) or ())
        with context(values):
            state = self._change(handlers, state, Running("Running flow."))
            while True:
                self._pass()
                waiting = [s for s in self._all_states() if isinstance(s, Scheduled) and not isinstance(s, Paused)]
                paused = [(n, s) for n, s in self.states.items() if isinstance(s, Paused)]
                if paused and not ask_to_resume_var.get():
                    break  # Prefect 1's FlowRunner.run: the flow stays Running until resumed
                if paused:
                    for node, _ in paused:
                        answer = input(f"{node!r} is currently Paused; enter 'y' to resume:\n")
                        if answer.strip().lower() == "y":
                            self.states[node] = Resume("Approval given to resume.")
                    continue
                if not waiting and all(s.is_finished() for s in self._node_states()):
                    break
                if not waiting:
                    break
                earliest = min(s.start_time for s in waiting)
                delay = (earliest - utcnow()).total_seconds()
                if delay > 0:
                    time.sleep(delay)
            final = self._final_state()
            state = self._change(handlers, state, final)
        self._keep_caches()
        return state

    def _change(self, handlers: list[Any], old: State, new: State) -> State:
        for handler in handlers:
            new = handler(self.flow, old, new) or new
        return new

    def _node_states(self) -> list[State]:
        return [self.states.get(n, Pending()) for n in self.order]

    def _all_states(self) -> list[State]:
        found: list[State] = []
        for state in self.states.values():
            found.append(state)
            if isinstance(state, Mapped):
                found.extend(state.map_states)
        return found

    def _final_state(self) -> State:
        result = dict(self.states)
        reference = getattr(self.flow, "reference_task_nodes", None)
        terminal = [n for n in self.order if id(n) not in self.downstream]
        chosen = reference() if reference is not None else []
        if not chosen:
            chosen = self._default_reference()

        def flat(nodes: list[Placeholder]) -> list[State]:
            out: list[State] = []
            for node in nodes:
                state = self.states.get(node, Pending("Task not evaluated by FlowRunner."))
                out.extend(state.map_states if isinstance(state, Mapped) else [state])
            return out

        if not all(s.is_finished() for s in flat(terminal)):
            return Running("Flow run in progress.", result=result)
        key_states = flat(chosen)
        if any(s.is_failed() for s in key_states):
            return Failed("Some reference tasks failed.", result=result)
        if all(s.is_successful() for s in key_states):
            return Success("All reference tasks succeeded.", result=result)
        return Success("No reference tasks failed.", result=result)

    def _default_reference(self) -> list[Placeholder]:
        """Nodes nothing but resource cleanups depends on, resource init / cleanup excluded (Prefect 1)."""
        from headwater.tasks.core.resource_manager import ResourceCleanupTask, ResourceInitTask

        def cleanup(node: Any) -> bool:
            return isinstance(getattr(node, "task", None), ResourceCleanupTask)

        downstream: dict[int, list[Any]] = {}
        for edge in self.graph.edges:
            downstream.setdefault(id(edge.upstream), []).append(edge.downstream)
        return [n for n in self.order
                if not isinstance(getattr(n, "task", None), (ResourceInitTask, ResourceCleanupTask))
                and all(cleanup(d) for d in downstream.get(id(n), []))]

    def _keep_caches(self) -> None:
        from headwater.engine.state import utcnow
        from headwater.engine.static.taskapi import prefect1_options

        now = utcnow()
        caches = context.get("caches")
        if caches is None:
            return
        for node, state in self.states.items():
            if not isinstance(node, TaskCall):
                continue
            subs = [s for s in (state.map_states if isinstance(state, Mapped) else [state]) if s.is_cached()]
            if not subs:
                continue
            key = prefect1_options(node.task).cache_key or node.task.name
            fresh = [s for s in caches.get(key, []) + subs
                     if getattr(s, "cached_result_expiration", None) and s.cached_result_expiration > now]
            caches[key] = fresh

    # -- one pass over the graph ----------------------------------------------------------
    def _pass(self) -> None:
        for node in self.order:
            if isinstance(node, Parameter) and node not in self.states:
                self.states[node] = Success(result=node.value_of(self.parameters[node.name]),
                                            message="Task run succeeded.")
        calls = [n for n in self.order if isinstance(n, TaskCall)]
        submit = _submitter(self.executor)
        done: set[int] = {id(n) for n in self.order if isinstance(n, Parameter)}
        running: dict[Any, tuple[TaskCall, Callable[[], None] | None]] = {}
        remaining = list(calls)
        while remaining or running:
            progressed = False
            for call in list(remaining):
                if all(id(e.upstream) in done for e in self.upstream[id(call)]):
                    remaining.remove(call)
                    for job, finish in self._jobs(call):
                        running[submit(job)] = (call, finish)
                    if not any(c is call for c, _ in running.values()):
                        done.add(id(call))
                    progressed = True
            if not running:
                if not progressed and remaining:
                    raise RuntimeError("static graph stalled")  # cannot happen in an acyclic graph
                continue
            finished, _ = concurrent.futures.wait(list(running), return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                call, finish = running.pop(future)
                future.result()  # re-raise what escaped the pipeline (raise_on_exception)
                if not any(c is call for c, _ in running.values()):
                    if finish is not None:
                        finish()
                    done.add(id(call))

    def _jobs(self, call: TaskCall) -> list[tuple[Callable[[], None], Callable[[], None] | None]]:
        """The work for one node in this pass: one job, or one per mapped child."""
        state = self.states.get(call, Pending())
        if state.is_finished() and not isinstance(state, Mapped):
            return []
        edges = self._edges(call)
        upstream_states = {edge: self.states.get(edge.upstream_task, Pending()) for edge in edges}
        if not call.mapped:
            def job() -> None:
                self.states[call] = self._run_one(call, state, upstream_states, None)
            return [(job, None)]
        if not isinstance(state, Mapped):
            ctx = self._task_context(call, None)
            parent = run_task(call, state, upstream_states, lambda: None, ctx, mapped_parent=True,
                              map_length=lambda: map_length(call, upstream_states, edges),
                              literal_inputs=has_literal_inputs(call))
            self.states[call] = parent
            if not isinstance(parent, Mapped):
                return []
            parent.map_states = [Pending() for _ in range(parent.n_map_states)]
            self.child_futures[id(call)] = [[] for _ in range(parent.n_map_states)]
        parent = self.states[call]
        assert isinstance(parent, Mapped)
        jobs = []
        for index, child in enumerate(parent.map_states):
            if child.is_finished():
                continue

            def child_job(index: int = index, child: State = child) -> None:
                child_upstream = {edge: child_state(edge, state, index) for edge, state in upstream_states.items()}
                parent.map_states[index] = self._run_one(call, child, child_upstream, index)

            jobs.append((child_job, None))

        def finish() -> None:
            parent.result = [s.result for s in parent.map_states]

        if not jobs:
            finish()
            return []
        return [(job, finish) for job, _ in jobs]

    def _edges(self, call: TaskCall) -> list[Edge]:
        waits_unmapped = call.unmapped_waits
        edges = []
        for node_edge in self.upstream[id(call)]:
            if node_edge.kind == "data":
                value = argument_value(call, node_edge.argument)
                is_mapped = call.mapped and not isinstance(value, unmapped)
                edges.append(Edge(node_edge.upstream, call, node_edge.argument, is_mapped))
            else:
                edges.append(Edge(node_edge.upstream, call, None,
                                  call.mapped and id(node_edge.upstream) not in waits_unmapped))
        return edges

    def _task_context(self, call: TaskCall, index: int | None) -> dict[str, Any]:
        task = call.task
        return {
            "task_name": task.name, "task_full_name": task.name if index is None else f"{task.name}[{index}]",
            "task_slug": f"{call.key}-1" if call.key == task.name else call.key, "map_index": index,
            "task_tags": set(task.options.tags), "logger": logging.getLogger(f"prefect.{task.name}"),
            "checkpointing": context.get("checkpointing", _checkpointing_default()),
        }

    def _run_one(self, call: TaskCall, state: State, upstream_states: dict[Edge, State], index: int | None) -> State:
        def invoke() -> Any:
            args, kwargs = call_inputs(call, upstream_states, index)
            context["_task_inputs"] = named_arguments(call, args, kwargs)
            after = self._after(call, index)
            sink: list[Any] = []
            try:
                return self.recorder.invoke(call.task, args, kwargs, after, sink)
            finally:
                if index is None:
                    self.futures[id(call)] = sink
                else:
                    self.child_futures[id(call)][index] = sink

        return run_task(call, state, upstream_states, invoke, self._task_context(call, index))

    def _after(self, call: TaskCall, index: int | None) -> list[tuple[str, str, Any]]:
        """(argument, kind, future) for each recorded run this call depends on (its graph edges)."""
        after: list[tuple[str, str, Any]] = []
        for edge in self._edges(call):
            up = edge.upstream_task
            children = self.child_futures.get(id(up))
            if children is not None and edge.mapped and index is not None and index < len(children):
                futures = list(children[index])
            elif children is not None:
                futures = [f for fs in children for f in fs]
            else:
                futures = self.futures.get(id(up), [])
            kind = "data" if edge.key else "wait_for"
            after.extend((edge.key or "wait_for", kind, f) for f in futures)
        return after


# -- executors ----------------------------------------------------------------------------

def _submitter(executor: Any) -> Callable[[Callable[[], None]], concurrent.futures.Future[None]]:
    """A function that starts a job: inline (LocalExecutor) or on the executor's pool."""
    # Any object with a pool() method will do (headwater.executors' classes, or a user's).
    pool_of: Callable[[], concurrent.futures.Executor | None] | None = getattr(executor, "pool", None)
    pool = pool_of() if pool_of is not None else None

    def submit(job: Callable[[], None]) -> concurrent.futures.Future[None]:
        if pool is None:
            future: concurrent.futures.Future[None] = concurrent.futures.Future()
            try:
                job()
                future.set_result(None)
            except BaseException as exc:  # noqa: BLE001 - re-raised by the pass (raise_on_exception)
                future.set_exception(exc)
            return future
        values = context.to_dict()
        copied = contextvars.copy_context()

        def in_worker() -> None:
            context.replace(values)
            job()

        return pool.submit(copied.run, in_worker)

    return submit


def _checkpointing_default() -> bool:
    """Prefect 1 writes task results only when asked: PREFECT__FLOWS__CHECKPOINTING=true (its own
    variable, read here so programs written for it behave the same)."""
    import os

    return os.environ.get("PREFECT__FLOWS__CHECKPOINTING", "").strip().lower() == "true"


def _dates(start: Any) -> dict[str, str]:
    day = start.date()
    out = {}
    for name, offset in (("today", 0), ("yesterday", -1), ("tomorrow", 1)):
        value = day + timedelta(days=offset)
        out[name] = value.isoformat()
        out[f"{name}_nodash"] = value.strftime("%Y%m%d")
    return out
