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
from pathlib import Path
from typing import Any

from headwater.core.states import State, StateType
from headwater.engine.flows import Flow
from headwater.engine.futures import HeadwaterFuture
from headwater.engine.static.building import Placeholder, building_flow_var
from headwater.engine.static.graph import FlowGraph, GraphBuilder
from headwater.engine.static.nodes import Parameter, TaskCall
from headwater.engine.static.results import FlowState, TaskState, TaskStates
from headwater.exceptions import InvalidDefinitionError, ParameterValidationError

__all__ = ["StaticFlow"]

# Prefect 1 Flow(...) arguments with no direct equivalent, and what to use instead.
_REFUSED = {
    "schedule": "deploy the flow with a schedule (headwater deploy); a Flow object does not carry one",
    "executor": "pass task_runner=ThreadPoolTaskRunner(max_workers=...) (or DaskTaskRunner) instead",
    "environment": "choose where runs happen with work pools and workers (headwater worker start)",
    "run_config": "choose where runs happen with work pools and workers (headwater worker start)",
    "storage": "deployments read the flow from its source file; nothing to configure",
    "tasks": "call the tasks inside the `with Flow(...)` block",
    "edges": "pass results between tasks, or upstream_tasks=[...], inside the `with Flow(...)` block",
    "reference_tasks": "the flow run fails when any of its tasks does not complete",
    "terminal_state_handler": "use on_completion= / on_failure= hooks",
    "validate": "the graph is checked as it is built: cycles are refused at once",
}

# Prefect 1 flow.register(...) options that have no meaning here; accepted so old calls keep working.
_REGISTER_IGNORED = {"build", "set_schedule_active", "version_group_id", "no_url", "idempotency_key",
                     "add_default_labels"}


class StaticFlow(Flow[..., None]):
    """A flow defined by a static graph of task calls (Prefect 1's `Flow`).

    Create it with `Flow("name")`; calling tasks inside `with flow:` adds nodes
    instead of running them. Flow options (`task_runner=`, `retries=`,
    `timeout_seconds=`, `log_prints=`, `tags=`, ...) are those of `@flow`.

    Raises:
        InvalidDefinitionError: a Prefect 1 argument that has no equivalent (named,
            with what to use instead) or an invalid option.
    """

    def __init__(self, name: str, **options: Any) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InvalidDefinitionError(f"Flow(name) needs a non-empty name, got {name!r}")
        for option in options:
            if option in _REFUSED:
                raise InvalidDefinitionError(f"Flow option {option!r} is not supported: {_REFUSED[option]}")
        graph_holder: list[GraphBuilder] = []

        def static_flow_body(**parameters: Any) -> State[Any] | None:
            from headwater.engine.static.execute import run_graph

            return run_graph(graph_holder[0], parameters)

        super().__init__(static_flow_body, None, **{**options, "name": name})
        self.graph_builder = GraphBuilder(self)
        graph_holder.append(self.graph_builder)
        self._tokens: list[Any] = []

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
    def parameters(self) -> dict[str, Parameter]:
        """The flow's Parameters by name."""
        return dict(self.graph_builder.parameters)

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
        from headwater.engine.definition import _as_dict

        options = {k: v for k, v in _as_dict(self.options).items() if k != "name"}
        copy = StaticFlow(changes.pop("name", self.name), **{**options, **changes})
        copy.graph_builder = self.graph_builder
        copy.fn = self.fn
        return copy

    # -- running -------------------------------------------------------------------------
    def run(self, parameters: dict[str, Any] | None = None, **kwargs: Any) -> FlowState:
        """Run the graph once and return every task's state; task failures do not raise.

        Args:
            parameters: Parameter values as a dict (Prefect 1 style), merged with kwargs.
            **kwargs: Parameter values by name.

        Returns:
            A `FlowState`: `.is_successful()`, `.result[task].result`, `.flow_run_id`.

        Raises:
            ParameterValidationError: an unknown parameter, or a required one missing.
            InvalidDefinitionError: the graph has a cycle.
        """
        from headwater.engine.static.execute import RunRecord, run_record_var

        given = {**(parameters or {}), **kwargs}
        self._check_parameters(given)
        self.graph_builder.order()
        record = RunRecord()
        token = run_record_var.set(record)
        try:
            state = self(**given, return_state=True)
        finally:
            run_record_var.reset(token)
        return FlowState(state, TaskStates(self.graph_builder, _task_states(self.graph_builder, record.outputs)),
                         record.flow_run_id)

    def _check_parameters(self, given: dict[str, Any]) -> None:
        known = self.graph_builder.parameters
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ParameterValidationError(
                f"flow {self.name!r} has no Parameter {', '.join(map(repr, unknown))}; "
                f"its Parameters are: {', '.join(map(repr, known)) or 'none'}"
            )
        missing = [name for name, p in known.items() if p.required and name not in given]
        if missing:
            raise ParameterValidationError(
                f"flow {self.name!r} needs a value for required Parameter {', '.join(map(repr, missing))}; "
                f"pass it as flow.run({missing[0]}=...)"
            )

    # -- drawing and registering ---------------------------------------------------------
    def visualize(self, flow_state: FlowState | None = None, filename: str | Path | None = None,
                  format: str = "svg") -> str:
        """Draw the graph without running it: SVG (drawn by headwater) or Mermaid text.

        Args:
            flow_state: colour each node by its state in this run (from flow.run()).
            filename: also write the drawing there (".svg" / ".mmd" added if it has no suffix).
            format: "svg" or "mermaid". No Graphviz is needed for either.

        Returns:
            The SVG document or the Mermaid text.

        Raises:
            InvalidDefinitionError: an unsupported format, named.
        """
        from headwater.engine.static.drawing import draw_mermaid, draw_svg

        if format not in ("svg", "mermaid"):
            raise InvalidDefinitionError(
                f"visualize(format={format!r}) is not supported: headwater draws 'svg' (no Graphviz needed) "
                "or 'mermaid' text; convert the SVG with any image tool if you need another format"
            )
        states = {node.key: state.state for node, state in flow_state.result.items()} if flow_state else None
        graph = self.graph
        text = draw_svg(graph, states) if format == "svg" else draw_mermaid(graph, states)
        if filename is not None:
            path = Path(filename)
            if not path.suffix:
                path = path.with_name(path.name + (".svg" if format == "svg" else ".mmd"))
            path.write_text(text, encoding="utf-8")
        return text

    def register(self, project_name: str | None = None, *, create_project: bool = False,
                 labels: list[str] | None = None, **prefect1_options: Any) -> str:
        """Create or update a deployment of this flow in a project (Prefect 1's flow.register).

        The deployment is named after the flow and runs on the default work pool:
        start a worker with `headwater agent local start` (or `headwater worker start`)
        and run it with `headwater deployment run 'FLOW/FLOW' -p name=value`.

        Args:
            project_name: the project; it must exist (`headwater project create NAME`)
                unless `create_project=True`.
            create_project: create the project if it does not exist.
            labels: tags for the deployment's runs (Prefect 1 labels).
            **prefect1_options: Prefect 1 options with no meaning here (`build`,
                `set_schedule_active`, `idempotency_key`, ...) are accepted and ignored.

        Returns:
            The deployment's id ("" when loaded by a worker to run it: no re-registering).

        Raises:
            ObjectNotFound: the project does not exist, saying how to create it.
            HeadwaterError: no project_name given.
            InvalidDefinitionError: an option Prefect 1's register did not have either.
        """
        import sys

        from headwater.engine.deployments import register_static

        unknown = sorted(set(prefect1_options) - _REGISTER_IGNORED)
        if unknown:
            raise InvalidDefinitionError(
                f"flow.register() got unknown option(s) {', '.join(map(repr, unknown))}; it takes project_name=, "
                "create_project= and labels="
            )
        caller = sys._getframe(1).f_globals  # where the flow is a module-level name: the deployment's entrypoint
        return register_static(self, project_name, create_project=create_project, caller_globals=caller,
                               labels=labels)

    def __repr__(self) -> str:
        graph = self.graph_builder
        return f"<Flow {self.name!r}: {len(graph.parameters)} parameter(s), {len(graph.calls)} task call(s)>"


def _task_states(graph: GraphBuilder, outputs: dict[Placeholder, Any]) -> dict[Placeholder, TaskState]:
    """Each node's TaskState from what the run produced (Pending for nodes never reached)."""
    from headwater.engine.futures import HeadwaterFutureList
    from headwater.engine.static.execute import NotRun

    states: dict[Placeholder, TaskState] = {}
    for node in graph.nodes():
        output = outputs.get(node, _MISSING)
        if isinstance(node, Parameter):
            states[node] = TaskState(State(StateType.COMPLETED, data=output) if output is not _MISSING
                                     else State(StateType.PENDING))
        elif output is _MISSING:
            states[node] = TaskState(State(StateType.PENDING))
        elif isinstance(output, NotRun):
            states[node] = TaskState(output.state)
        elif isinstance(output, HeadwaterFuture):
            states[node] = TaskState(output.final_state())
        elif isinstance(output, HeadwaterFutureList):
            children = [TaskState(f.final_state()) for f in output]
            bad = [c for c in children if not c.is_successful()]
            summary = State(StateType.FAILED, "Mapped", f"{len(bad)} of {len(children)} mapped runs did not complete",
                            bad[0].state.data) if bad else State(StateType.COMPLETED, "Mapped", None,
                                                                 [c.result for c in children])
            states[node] = TaskState(summary, children)
    return states


_MISSING = object()
