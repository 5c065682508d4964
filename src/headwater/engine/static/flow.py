"""`Flow("name")`: a flow built as a static graph in a `with` block, as in Prefect 1.

    with Flow("My First Flow") as flow:
        name = Parameter("name")
        say_hello(name)

    flow.run(name="world")

A `StaticFlow` is a `Flow` whose body runs its graph (engine/static/execute.py), so a
run is an ordinary flow run: recorded, logged, run by `headwater run FILE:flow`, and
its task runs and edges shown like any other. The graph is data (`flow.graph`) and
can be drawn without running it (`flow.visualize()`).
"""

from __future__ import annotations

import inspect
from typing import Any

from headwater.core.states import State
from headwater.engine.flows import Flow
from headwater.engine.static.building import Placeholder, building_flow_var
from headwater.engine.static.graph import FlowGraph, GraphBuilder
from headwater.engine.static.nodes import Parameter, TaskCall
from headwater.engine.static.registering import RegisteringMixin
from headwater.exceptions import InvalidDefinitionError, ParameterValidationError

__all__ = ["StaticFlow"]

# Prefect 1 Flow(...) arguments with no direct equivalent, and what to use instead.
_REFUSED = {
    "environment": "Prefect 1's environments were replaced by run_config=LocalRun(...) (headwater.run_configs)",
    "terminal_state_handler": "use on_completion= / on_failure= hooks",
}


class StaticFlow(RegisteringMixin, Flow[..., "State[Any] | None"]):
    """A flow defined by a static graph of task calls (Prefect 1's `Flow`).

    Create it with `Flow("name")`; calling tasks inside `with flow:` adds nodes
    instead of running them. Flow options (`task_runner=`, `retries=`,
    `timeout_seconds=`, `log_prints=`, `tags=`, ...) are those of `@flow`.

    Raises:
        InvalidDefinitionError: a Prefect 1 argument that has no equivalent (named,
            with what to use instead) or an invalid option.
    """

    fails_on_upstream_failure = True  # Prefect 1: the downstream task fails (TriggerFailed)

    def __init__(self, name: str, **options: Any) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InvalidDefinitionError(f"Flow(name) needs a non-empty name, got {name!r}")
        for option in options:
            if option in _REFUSED:
                raise InvalidDefinitionError(f"Flow option {option!r} is not supported: {_REFUSED[option]}")
        self.executor = options.pop("executor", None)
        self.schedule = options.pop("schedule", None)
        self.prefect1_state_handlers = list(options.pop("state_handlers", None) or ())
        reference = options.pop("reference_tasks", None)
        initial_tasks = options.pop("tasks", None)
        initial_edges = options.pop("edges", None)
        self.prefect1_result = options.pop("result", None)
        self.run_config = options.pop("run_config", None)
        self.storage = options.pop("storage", None)
        options.pop("validate", None)  # Prefect 1 checks the graph on run() and validate() anyway
        graph_holder: list[GraphBuilder] = []

        def static_flow_body(**parameters: Any) -> State[Any] | None:
            from headwater.engine.static.execute import run_graph

            self.apply_run_config()
            return run_graph(graph_holder[0], parameters)

        super().__init__(static_flow_body, None, **{**options, "name": name})
        self.graph_builder = GraphBuilder(self)
        graph_holder.append(self.graph_builder)
        self._tokens: list[Any] = []
        self._reference: list[Any] = list(reference or ())
        for prefect1_task in initial_tasks or ():
            self.add_task(prefect1_task)
        for edge in initial_edges or ():
            self.add_edge(edge.upstream_task, edge.downstream_task, key=edge.key)

    # -- building ------------------------------------------------------------------------
    def __enter__(self) -> StaticFlow:
        self._tokens.append(building_flow_var.set(self))
        return self

    def __exit__(self, *exc_info: object) -> None:
        building_flow_var.reset(self._tokens.pop())

    def add_call(self, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any], mapped: bool = False) -> TaskCall:
        """Add a call of `task` to the graph (what a task call inside the block does)."""
        return self.graph_builder.add_call(task, args, kwargs, mapped)

    @property
    def graph(self) -> FlowGraph:
        """The nodes (in run order) and edges, as data."""
        return self.graph_builder.snapshot()

    @property
    def parameters(self) -> _Parameters:  # type: ignore[override]  # Prefect 1's flow.parameters(), not Prefect 3's schema
        """The flow's Parameters by name; calling it (`flow.parameters()`, Prefect 1) gives them as a set."""
        return _Parameters(self.graph_builder.parameters)

    @property
    def signature(self) -> inspect.Signature:
        """Keyword-only parameters, one per `Parameter` (what runs and the CLI bind to)."""
        empty = inspect.Parameter.empty
        return inspect.Signature([
            inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=empty if p.required else p.default)
            for p in self.graph_builder.parameters.values()
        ])

    def with_options(self, **changes: Any) -> StaticFlow:
        """A copy with some flow options changed, sharing this flow's graph."""
        from headwater.engine.definition import as_plain_dict

        options = {k: v for k, v in as_plain_dict(self.options).items() if k != "name"}
        copy = StaticFlow(changes.pop("name", self.name), **{**options, **changes})
        copy.graph_builder = self.graph_builder
        copy.fn = self.fn
        return copy

    # -- running -------------------------------------------------------------------------
    def run(self, parameters: dict[str, Any] | None = None, run_on_schedule: bool | None = None,
            executor: Any = None, context: dict[str, Any] | None = None, task_states: dict[Any, Any] | None = None,
            **kwargs: Any) -> Any:
        """Run the graph and return the flow's Prefect 1 state; task failures do not raise.

        With a schedule (`Flow(..., schedule=...)`), runs keep coming at the schedule's
        times until it has no more, as in Prefect 1 (`run_on_schedule=False` runs once now).

        Args:
            parameters: Parameter values as a dict (Prefect 1 style), merged with kwargs.
            run_on_schedule: whether to follow the flow's schedule (default: when it has one).
            executor: how tasks run (default: the flow's, else LocalExecutor: one at a time).
            context: extra `prefect.context` values for the run.
            task_states: states to start some tasks from (e.g. a Cached state).
            **kwargs: Parameter values by name.

        Returns:
            The flow's state (Success / Failed): `.is_successful()`, `.result[task].result`,
            `.flow_run_id`.

        Raises:
            ParameterValidationError: an unknown parameter, or a required one missing.
        """
        from headwater.engine.static.schedule_runs import run_on_schedule as scheduled

        given = {**(parameters or {}), **kwargs}
        self._check_parameters(given)  # a cycle fails the run itself (a Failed state), as in Prefect 1
        follow = self.schedule is not None if run_on_schedule is None else run_on_schedule
        if follow and self.schedule is not None:
            return scheduled(self, given, lambda values: self._run_once(values, executor, context, task_states))
        return self._run_once(given, executor, context, task_states)

    def _run_once(self, given: dict[str, Any], executor: Any, context: dict[str, Any] | None,
                  task_states: dict[Any, Any] | None) -> Any:
        from headwater.engine.static.context import context as run_context
        from headwater.engine.static.execute import RunRecord, run_record_var
        from headwater.engine.static.results import TaskStates

        starting = {}
        if task_states:
            lookup = TaskStates(self.graph_builder, {n: None for n in self.graph_builder.nodes()})
            starting = {lookup._node(ref): state for ref, state in task_states.items()}
        record = RunRecord(executor or self.executor, self, starting, context)
        token = run_record_var.set(record)
        try:
            hw_state = self(**given, return_state=True)
        finally:
            run_record_var.reset(token)
        final = record.flow_state
        if final is None:  # the run failed before its graph ran (or re-raised with raise_on_exception)
            # return_state=True gives the run's State (the flow's overloads type only its result)
            final_state = hw_state if isinstance(hw_state, State) and hw_state.is_final() else None
            error = final_state.result_sync(raise_on_failure=False) if final_state is not None else None
            if isinstance(error, BaseException) and run_context.get("raise_on_exception"):
                raise error
            from headwater.engine.state import Failed

            final = Failed(f"Unexpected error while running flow: {error!r}", result=error)
        states = dict(record.states)
        from headwater.engine.state import Pending

        final.result = TaskStates(self.graph_builder, {n: states.get(n) or Pending("Task not evaluated by FlowRunner.")
                                                       for n in self.graph_builder.nodes()})
        final.flow_run_id = record.flow_run_id
        return final

    # -- Prefect 1's functional API --------------------------------------------------------
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

    def _check_parameters(self, given: dict[str, Any]) -> None:
        known = self.graph_builder.parameters
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ParameterValidationError(
                f"flow {self.name!r} has no Parameter {', '.join(map(repr, unknown))}; "
                f"its Parameters are: {', '.join(map(repr, known)) or 'none'}"
            )
        missing = [name for name, p in known.items() if p.required and name not in given]
        if missing:  # Prefect 1's exception and message, which programs written for it look for
            raise ValueError(f"Flow.run did not receive the following required parameters: {', '.join(missing)}")

    def __repr__(self) -> str:
        return f'<Flow: name="{self.name}">'


class _Parameters(dict[str, Parameter]):
    """The flow's Parameters by name; callable for Prefect 1's `flow.parameters()` (a set)."""

    def __call__(self) -> set[Parameter]:
        return set(self.values())


def _is_task(value: Any) -> bool:
    from headwater.engine.tasks import Task

    return isinstance(value, (Task, Placeholder))
