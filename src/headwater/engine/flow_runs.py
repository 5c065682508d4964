"""One execution of a flow or subflow: parameters, task runner, placeholder task run."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.states import FINAL_TYPES, State
from headwater.engine.runs import S, Run, render_run_name, tags_of_run
from headwater.engine.context import adopted_flow_run_var
from headwater.engine.lineage import ResultLineage
from headwater.engine.logging import engine_logger
from headwater.engine.runs import STATE_VALUES, random_run_name
from headwater.engine.timeouts import TimeLimit
from headwater.exceptions import FlowPauseTimeout, ParameterValidationError, Pause
from headwater.orchestrator.records import FlowRunCreated, StateChanged, TaskRunCreated

if TYPE_CHECKING:
    from headwater.engine.flows import Flow
    from headwater.engine.options import FlowOptions
    from headwater.engine.task_runners import TaskRunner
    from headwater.orchestrator.base import Orchestrator

__all__ = ["FlowRun", "begin_placeholder_task_run"]


class FlowRun(Run):
    """One execution of a flow (or subflow)."""

    kind = "flow"
    options: FlowOptions
    # Assets each task run passes on to its downstream runs (engine/asset_tracking.py);
    # None until a task with assets ends, so plain flows pay one attribute read per task.
    task_run_assets: dict[str, list[Any]] | None = None
    # Pausing (engine/pausing.py): how many pauses the run has made, and the Suspended
    # state a suspend recorded on the control plane (not to be recorded again).
    observed_pauses = 0
    recorded_elsewhere: State[Any] | None = None

    def __init__(self, flow: Flow[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 parent: FlowRun | None, orchestrator: Orchestrator) -> None:
        super().__init__(flow.fn, args, kwargs, flow.options, orchestrator)
        self.flow = flow
        self.is_async = flow.isasync
        self.parent = parent
        self.parameters: dict[str, Any] = {}
        self.parent_task_run_id: str | None = None
        self.tags = tags_of_run(self.options.tags)  # with those of enclosing `tags(...)` blocks
        self.created = clock.now()
        self._dynamic_keys: dict[str, itertools.count[int]] = {}
        self.lineage = ResultLineage()
        self._runner: TaskRunner | None = None
        self.adopted = False
        self.adopted_name: str | None = None
        if parent is None:
            adopted = adopted_flow_run_var.get()
            if adopted is not None:
                # A worker runs a flow run the server created: record under its id and
                # name (worker/child.py sets this once; later top-level runs get new ids).
                adopted_flow_run_var.set(None)
                self.adopted = True
                self.id, self.adopted_name = adopted

    def task_runner(self) -> TaskRunner:
        """This run's task runner, created from the flow's template on first submit."""
        runner = self._runner
        if runner is None:
            template = self.options.task_runner
            if template is None:
                from headwater.engine.task_runners import ThreadPoolTaskRunner

                template = ThreadPoolTaskRunner()
            runner = self._runner = template.duplicate()
            runner.ensure_started()
        return runner

    def state_from_outcome(self, value: Any, error: BaseException | None, limit: TimeLimit | None) -> State[Any]:
        if isinstance(error, Pause) and isinstance(error.state, State):
            # suspend_flow_run: the run is Suspended on the control plane already; the
            # flow ends without a final state and the process leaves (engine/pausing.py).
            self.reraise = error
            return error.state
        if isinstance(error, FlowPauseTimeout) and self.observed_pauses:
            # Prefect's server refuses the Failed state of a run whose pause expired and
            # fails it with its own message, holding no exception; so does headwater.
            return State(S.FAILED, None, "The flow was failed and never resumed.")
        runner = self._runner
        if runner is not None and (error is None or isinstance(error, Exception)):
            runner.wait_all()  # submitted work finishes before the flow does
        # As in Prefect 3, a submitted task run's failure that the flow did not look at
        # does not decide the flow's state: what the flow returned (or raised) does.
        return super().state_from_outcome(value, error, limit)

    def state_from_return(self, value: Any) -> State[Any]:
        from headwater.engine.futures import HeadwaterFutureList, collect_futures, futures_to_states

        if collect_futures(value):
            if type(value) is HeadwaterFutureList:
                value = list(value)  # as in Prefect: a plain list of the final states
            value = futures_to_states(value)  # returned futures count as their final states
        state = super().state_from_return(value)
        if self.options.persist_result and state.type is S.COMPLETED and state is not self.returned_state:
            from headwater.engine.caching import persist_flow_result

            state = persist_flow_result(self, state)
        return state

    @property
    def flow_run_id(self) -> str | None:
        return self.id

    @property
    def task_run_id(self) -> str | None:
        return None

    def next_dynamic_key(self, task_key: str) -> int:
        counter = self._dynamic_keys.get(task_key)
        if counter is None:
            counter = self._dynamic_keys.setdefault(task_key, itertools.count())
        return next(counter)

    def hook_target(self) -> Any:
        return self.flow

    def begin(self) -> State[Any] | None:
        """Validate parameters, record the run, and say so; a bad parameter ends it here."""
        from headwater.engine.parameters import recorded_parameters, validate_parameters

        flow = self.flow
        error: ParameterValidationError | None = None
        try:
            self.parameters, self.args, self.kwargs = validate_parameters(flow, self.args, self.kwargs)
            if flow.signature.parameters and _has_var_keyword(flow):
                self.parameters = _keep_var_keyword(flow, self.parameters)
        except ParameterValidationError as exc:
            error = exc
            self.parameters = {"__invalid__": str(exc)}
        template = self.options.flow_run_name
        self.name = self.adopted_name or (render_run_name(template, self) if template and error is None else None) \
            or random_run_name()
        self.label = f"Flow run {self.name!r}"
        if self.parent is not None:
            self._begin_parent_task_run()
        if not self.adopted:  # an adopted run exists already: only its states are recorded
            self.orchestrator.emit(FlowRunCreated(
                self.id, flow.name, self.name,
                recorded_parameters(self.parameters, _max_parameter_bytes(self), _max_json_depth(self)),
                tags_of_run(self.options.tags),
                self.parent_task_run_id, clock.now(),
            ))
        self.orchestrator.track_flow_run(self.id)
        engine_logger.info("Created flow run %r for flow %r", self.name, flow.name, extra={"hw_run": self})
        self.set_state(State(S.PENDING))
        if error is not None:
            # Raised by the caller's `.result()`; `return_state=True` gets the Failed state.
            return self.set_state(State(S.FAILED, None, f"Validation of flow parameters failed: {error}", error))
        return None

    def set_state(self, state: State[Any]) -> State[Any]:
        if state is self.recorded_elsewhere and state is not None:
            state.run_id = self.id  # a Suspended state the control plane holds already
            self.state = state
            return state
        super().set_state(state)
        if self.parent_task_run_id is not None and (state.type is S.RUNNING or state.type in FINAL_TYPES):
            # The parent's placeholder task run mirrors the subflow's progress.
            self.orchestrator.emit(StateChanged(
                self.parent_task_run_id, True, STATE_VALUES[state.type], state.name, state.message, state.ts, None))
            parent = self.parent  # a subflow's: there is a parent task run
            if state.type is S.COMPLETED and parent is not None:
                parent.lineage.record(state.data, self.parent_task_run_id)
        return state

    def _begin_parent_task_run(self) -> None:
        parent = self.parent
        assert parent is not None
        key = f"subflow:{self.flow.name}"
        self.parent_task_run_id = begin_placeholder_task_run(
            parent, lambda run_id: f"{self.flow.name}-{run_id[-3:]}", self.flow.name, key,
            parent.next_dynamic_key(key), tags_of_run(self.options.tags))

    def finish(self, state: State[Any]) -> None:
        if state.type is S.PAUSED:
            self.logger.info("Flow run suspended; it runs again when resumed.")
            return
        super().finish(state)

    def end(self) -> None:
        if self._runner is not None:
            crashed = self.state is not None and self.state.type is S.CRASHED
            self._runner.shutdown(wait=not crashed)
        self.orchestrator.untrack_flow_run(self.id)
        if self.parent is None:
            # A finished top-level flow has its history on disk before it returns.
            self.orchestrator.flush(timeout=30)


def _has_var_keyword(flow: Any) -> bool:
    return any(p.kind is p.VAR_KEYWORD for p in flow.signature.parameters.values())


def _keep_var_keyword(flow: Any, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters with the `**kwargs` ones under that parameter's name, as Prefect
    records them (`{"first": 1, "options": {"mode": "fast"}}`)."""
    named = {}
    spread = dict(parameters)
    var_keyword = None
    for name, parameter in flow.signature.parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            var_keyword = name
        elif name in spread:
            named[name] = spread.pop(name)
    if var_keyword is not None:
        named[var_keyword] = spread
    return named


def _max_parameter_bytes(run: FlowRun) -> int:
    settings = getattr(run.orchestrator, "settings", None)
    return settings.parameters_max_recorded_bytes if settings is not None else 1_000_000


def _max_json_depth(run: FlowRun) -> int:
    settings = getattr(run.orchestrator, "settings", None)
    return settings.json_max_depth if settings is not None else 100


def begin_placeholder_task_run(parent: Any, name: Callable[[str], str] | str, task_name: str, task_key: str,
                               dynamic_key: int, tags: list[str]) -> str:
    """Record, in the flow run `parent`, the task run standing for a subflow (Pending); its id.

    A subflow run's `parent_task_run_id` points to it, and it mirrors the subflow's states
    (as Prefect's server does). Used for subflows called in-process and for `run_deployment`.

    Args:
        parent: the calling flow run (its `id` and `orchestrator`).
        name: the task run's name, or how to make it from the new id.
        task_name, task_key, dynamic_key, tags: as for any task run.
    """
    task_run_id = new_id()
    now = clock.now()
    parent.orchestrator.emit(TaskRunCreated(task_run_id, parent.id, name(task_run_id) if callable(name) else name,
                                            task_name, task_key, dynamic_key, tags, now))
    parent.orchestrator.emit(StateChanged(task_run_id, True, "PENDING", "Pending", None, now, None))
    return task_run_id
