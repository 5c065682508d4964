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
from headwater.engine.static.building import building_flow_var
from headwater.engine.static.graph import FlowGraph, GraphBuilder
from headwater.engine.static.graph_api import GraphApiMixin
from headwater.engine.static.nodes import Parameter, TaskCall
from headwater.engine.static.registering import RegisteringMixin
from headwater.exceptions import InvalidDefinitionError, ParameterValidationError

__all__ = ["StaticFlow"]

# Prefect 1 Flow(...) arguments with no direct equivalent, and what to use instead.
_REFUSED = {
    "environment": "Prefect 1's environments were replaced by run_config=LocalRun(...) (headwater.run_configs)",
    "terminal_state_handler": "use on_completion= / on_failure= hooks",
}


class StaticFlow(GraphApiMixin, RegisteringMixin, Flow[..., "State[Any] | None"]):
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
