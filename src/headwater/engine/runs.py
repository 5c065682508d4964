"""A run in progress: its identity, its state, and the decisions about it.

`Run` holds what the life cycle (engine/lifecycle.py) asks about: which state an
outcome leads to, whether to retry, how long to wait, which hooks apply. `TaskRun`
and `FlowRun` add what differs: how a run begins (records, parameter validation,
the subflow's placeholder task run) and how it ends (flushing history).
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.core.states import FINAL_TYPES, TRANSITIONS, State, StateType, check_transition
from headwater.engine.context import adopted_flow_run_var, tags_var
from headwater.engine.lineage import ResultLineage
from headwater.engine.logging import RunLogger, engine_logger, flow_run_logger, log_fast, task_run_logger
from headwater.engine.retries import retry_delay
from headwater.engine.timeouts import TimeLimit
from headwater.exceptions import (
    FlowRunTimeoutError,
    CancellationSignal,
    ParameterValidationError,
    TaskRunTimeoutError,
    TerminationSignal,
    UpstreamTaskError,
)
from headwater.orchestrator.records import FlowRunCreated, StateChanged, TaskInputsRecorded, TaskRunCreated

if TYPE_CHECKING:
    from headwater.engine.flows import Flow
    from headwater.engine.futures import HeadwaterFuture
    from headwater.engine.task_runners import TaskRunner
    from headwater.engine.options import RunOptions
    from headwater.engine.tasks import Task
    from headwater.orchestrator.base import Orchestrator

__all__ = ["FlowRun", "Run", "TaskRun"]

_S = StateType
_VALUES = {t: t.value for t in StateType}  # Enum.value is a descriptor: too slow for the hot path
_ids = random.Random()
os.register_at_fork(after_in_child=_ids.seed)  # a forked child must not repeat its parent's ids


def _new_id() -> str:
    """A time-ordered UUID (version 7 layout): milliseconds first, then 74 random bits.

    Ids that grow with time keep the database's index inserts together at the end of
    the index instead of scattered across it (measured: ~40% cheaper history writes
    than random uuid4 on SQLite), and need no system call per id.
    """
    value = (int(clock.now() * 1000) << 80) | (0x7 << 76) | (_ids.getrandbits(12) << 64) \
        | (0b10 << 62) | _ids.getrandbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Run:
    """What every run has. Subclasses: `TaskRun`, `FlowRun`."""

    kind = "run"
    is_task = False

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 options: RunOptions, orchestrator: Orchestrator) -> None:
        self.id = _new_id()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.options = options
        self.orchestrator = orchestrator
        self.state: State[Any] | None = None
        self.run_count = 0
        self.name = ""
        self.label = ""
        self.reraise: BaseException | None = None
        self.slots: Any = None  # engine/tag_limits.py's lease on tag concurrency slots, if any
        self._logger: RunLogger | None = None

    # -- identity used by logging ------------------------------------------------
    @property
    def flow_run_id(self) -> str | None:
        raise NotImplementedError

    @property
    def task_run_id(self) -> str | None:
        raise NotImplementedError

    @property
    def logger(self) -> RunLogger:
        if self._logger is None:
            self._logger = RunLogger(task_run_logger if self.is_task else flow_run_logger, self)
        return self._logger

    # -- state ---------------------------------------------------------------------
    def set_state(self, state: State[Any]) -> State[Any]:
        """Move to `state` if the transition table allows it, and record it."""
        current = self.state
        type_ = state.type
        if type_ not in TRANSITIONS[current.type if current is not None else None]:
            check_transition(current.type if current is not None else None, type_)  # raises, with the reason
        if type_ is _S.RUNNING:
            self.run_count += 1
        self.state = state
        self.orchestrator.emit(
            StateChanged(self.id, self.is_task, _VALUES[type_], state.name, state.message, state.ts, state.details)
        )
        return state

    def state_from_outcome(self, value: Any, error: BaseException | None, limit: TimeLimit | None) -> State[Any]:
        """The state a call's outcome leads to (before retries are considered)."""
        if error is None:
            return self.state_from_return(value)
        if limit is not None and limit.owns(error):
            message = f"{self.kind.capitalize()} run exceeded timeout of {limit.seconds:g} second(s)"
            timeout_error = (TaskRunTimeoutError if self.is_task else FlowRunTimeoutError)(message)
            return State(_S.FAILED, "TimedOut", message, timeout_error)
        if isinstance(error, Exception):
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            return State(_S.FAILED, None, f"{self.kind.capitalize()} run encountered an exception {text}", error)
        self.reraise = error
        return _interrupted(error)

    def state_from_return(self, value: Any) -> State[Any]:
        """A returned State decides the outcome; anything else completes the run."""
        if isinstance(value, State):
            return value if value.type in FINAL_TYPES else State(_S.COMPLETED, data=value)
        if isinstance(value, (list, tuple, set)) and value and all(isinstance(v, State) for v in value):
            bad = [v for v in value if v.type is not _S.COMPLETED]
            if bad:
                return State(_S.FAILED, None, f"{len(bad)}/{len(value)} states failed.", value)
        return State(_S.COMPLETED, data=value)

    def should_retry(self, state: State[Any]) -> bool:
        """Whether a failed attempt gets another try."""
        return state.type is _S.FAILED and self.run_count <= self.options.retries

    def retry_delay(self) -> float:
        o = self.options
        return retry_delay(o.retry_delay_seconds, o.retries, self.run_count, o.retry_jitter_factor)

    def running_state(self) -> State[Any]:
        return State(_S.RUNNING, "Retrying" if self.run_count else "Running")

    def awaiting_retry(self, failed: State[Any], delay: float) -> State[Any]:
        """Log the failed attempt and return the AwaitingRetry state to enter."""
        self.logger.warning(
            "%s - Retry %d/%d will start %s second(s) from now",
            _failure_summary(self, failed), self.run_count, self.options.retries, f"{delay:g}",
            exc_info=_exc_info(failed),
        )
        return State(_S.SCHEDULED, "AwaitingRetry", failed.message, details={"scheduled_time": clock.now() + delay})

    def needs_slots(self) -> bool:
        return False

    def took_slots(self, slots: Any, refused: State[Any] | None) -> State[Any] | None:
        """Keep the lease the driver obtained; a refusal ends the run."""
        self.slots = slots
        return self.set_state(refused) if refused is not None else None

    def hooks_for(self, state: State[Any]) -> tuple[Callable[..., Any], ...]:
        o = self.options
        if state.type is _S.COMPLETED:
            return o.on_completion
        if state.type is _S.FAILED:
            return o.on_failure
        if state.type is _S.CRASHED:
            return o.on_crashed
        if state.type is _S.CANCELLED:
            return o.on_cancellation
        return ()

    def hook_target(self) -> Any:
        """The task or flow passed as first argument to hooks."""
        raise NotImplementedError

    def finish(self, state: State[Any]) -> None:
        """Log the final state."""
        if state.type is _S.COMPLETED:
            if _task_runs_info():
                log_fast(self, 20, f"Finished in state {state}")
            return
        if state.type is _S.FAILED and state.data is not None and state.name != "TimedOut" \
                and not isinstance(state.data, ParameterValidationError):
            self.logger.error("%s - Retries are exhausted" if self.options.retries else "%s",
                              _failure_summary(self, state), exc_info=_exc_info(state))
        elif state.type is _S.CRASHED:
            self.logger.error("Crash detected! %s", state.message)
        log_fast(self, 40, f"Finished in state {state}")

    def end(self) -> None:
        """Called after hooks; the run is over."""

    def crash(self, error: BaseException) -> None:
        """Record a Crashed state for an interruption outside the user's call."""
        if self.state is not None and self.state.type in FINAL_TYPES:
            return
        state = _interrupted(error)
        self.set_state(state)
        self.finish(state)
        self.end()


class TaskRun(Run):
    """One execution of a task."""

    kind = "task"
    is_task = True

    def __init__(self, task: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 flow_run: FlowRun | None, orchestrator: Orchestrator) -> None:
        super().__init__(task.fn, args, kwargs, task.options, orchestrator)
        self.task = task
        self.flow_run = flow_run
        self.announced = False
        self.dependencies: list[HeadwaterFuture[Any]] = []
        self.cache: Any = None  # engine/caching.py's plan for this run, if it caches or persists
        self._parameters: dict[str, Any] | None = None
        template = task.options.task_run_name
        self.name = _render_name(template, self) if template else f"{task.name}-{self.id[-3:]}"
        self.label = f"Task run {self.name!r}"
        self.dynamic_key = flow_run.next_dynamic_key(task.task_key) if flow_run is not None else 0
        self.tags = _run_tags(task.options.tags)

    @property
    def flow_run_id(self) -> str | None:
        return self.flow_run.id if self.flow_run is not None else None

    @property
    def task_run_id(self) -> str | None:
        return self.id

    @property
    def parameters(self) -> dict[str, Any]:
        """The call's arguments by parameter name (bound on first access)."""
        if self._parameters is None:
            bound = self.task.signature.bind(*self.args, **self.kwargs)
            bound.apply_defaults()
            self._parameters = dict(bound.arguments)
        return self._parameters

    def hook_target(self) -> Any:
        return self.task

    def announce(self, upstream: tuple[tuple[str, str, str], ...] = ()) -> None:
        """Record the run's creation, its input edges and Pending (at call or submit time)."""
        task = self.task
        self.announced = True
        orchestrator = self.orchestrator
        orchestrator.backpressure()
        orchestrator.emit(TaskRunCreated(
            self.id, self.flow_run_id, self.name, task.name, task.task_key, self.dynamic_key,
            self.tags, clock.now(),
        ))
        flow_run = self.flow_run
        if flow_run is not None and not upstream:
            upstream = flow_run.lineage.upstream(task.signature, self.args, self.kwargs)
        if upstream:
            self.orchestrator.emit(TaskInputsRecorded(self.id, upstream))
        self.set_state(State(_S.PENDING))

    def begin(self) -> State[Any] | None:
        if not self.announced:
            self.announce()
        if self.dependencies:
            failed = self._resolve_dependencies()
            if failed is not None:
                return failed
        task = self.task
        flow_run = self.flow_run
        if task.uses_results or (flow_run is not None and flow_run.options.persist_result):  # type: ignore[attr-defined]
            from headwater.engine import caching

            self.cache = caching.plan(self)
            if self.cache is not None:
                hit = self.cache.lookup()
                if hit is not None:
                    return self.set_state(hit)
        return None

    def needs_slots(self) -> bool:
        """Whether the run must take tag concurrency slots before it starts (the
        drivers take them: waiting differs between threads and an event loop)."""
        return bool(self.tags)

    def state_from_return(self, value: Any) -> State[Any]:
        state = super().state_from_return(value)
        if self.cache is not None and state.type is _S.COMPLETED:
            return self.cache.complete(state)
        return state

    def end(self) -> None:
        if self.slots is not None:
            self.slots.release()
            self.slots = None
        if self.cache is not None:
            self.cache.close()

    def _resolve_dependencies(self) -> State[Any] | None:
        """Replace futures in the arguments by their results; a failed upstream ends this run."""
        from headwater.engine.futures import resolve_futures

        for upstream in self.dependencies:
            state = upstream.final_state()
            if state.type is not _S.COMPLETED:
                message = f"Upstream task run {upstream.name!r} did not complete: it ended in state {state}"
                return self.set_state(State(_S.FAILED, None, message, UpstreamTaskError(message)))
        self.args = tuple(resolve_futures(a) for a in self.args)
        self.kwargs = {k: resolve_futures(v) for k, v in self.kwargs.items()}
        return None

    def finish(self, state: State[Any]) -> None:
        if state.type is _S.COMPLETED and self.flow_run is not None:
            self.flow_run.lineage.record(state.data, self.id)
        super().finish(state)

    def should_retry(self, state: State[Any]) -> bool:
        if not super().should_retry(state):
            return False
        condition = self.options.retry_condition_fn  # type: ignore[attr-defined]
        if condition is None:
            return True
        try:
            return bool(condition(self.task, self, state))
        except Exception:
            self.logger.exception("retry_condition_fn raised; not retrying")
            return False


class FlowRun(Run):
    """One execution of a flow (or subflow)."""

    kind = "flow"

    def __init__(self, flow: Flow[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 parent: FlowRun | None, orchestrator: Orchestrator) -> None:
        super().__init__(flow.fn, args, kwargs, flow.options, orchestrator)
        self.flow = flow
        self.parent = parent
        self.parameters: dict[str, Any] = {}
        self.parent_task_run_id: str | None = None
        self._dynamic_keys: dict[str, Any] = {}
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
            template = self.options.task_runner  # type: ignore[attr-defined]
            if template is None:
                from headwater.engine.task_runners import ThreadPoolTaskRunner

                template = ThreadPoolTaskRunner()
            runner = self._runner = template.duplicate()
            runner.ensure_started()
        return runner

    def state_from_outcome(self, value: Any, error: BaseException | None, limit: TimeLimit | None) -> State[Any]:
        runner = self._runner
        if runner is not None and (error is None or isinstance(error, Exception)):
            runner.wait_all()  # submitted work finishes before the flow does
        state = super().state_from_outcome(value, error, limit)
        if runner is not None and state.type is _S.COMPLETED:
            unhandled = [f for f in runner.futures() if not f.observed and f.final_state().type is not _S.COMPLETED]
            if unhandled:
                names = ", ".join(repr(f.name) for f in unhandled[:5]) + (" ..." if len(unhandled) > 5 else "")
                first = unhandled[0].final_state()
                return State(_S.FAILED, None,
                             f"{len(unhandled)} submitted task run(s) failed and were not handled: {names}",
                             first.data if isinstance(first.data, BaseException) else None)
        return state

    def state_from_return(self, value: Any) -> State[Any]:
        from headwater.engine.futures import collect_futures, resolve_futures

        futures = collect_futures(value)
        if futures:
            for future in futures:
                future.observed = True
                final = future.final_state()
                if final.type is not _S.COMPLETED:
                    return State(_S.FAILED, None, f"Returned task run {future.name!r} ended in state {final}",
                                 final.data if isinstance(final.data, BaseException) else None)
            value = resolve_futures(value)
        return super().state_from_return(value)

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
        from headwater.engine.parameters import jsonable, validate_parameters

        flow = self.flow
        error: ParameterValidationError | None = None
        try:
            self.parameters, self.args, self.kwargs = validate_parameters(flow, self.args, self.kwargs)
        except ParameterValidationError as exc:
            error = exc
            self.parameters = {"__invalid__": str(exc)}
        template = self.options.flow_run_name  # type: ignore[attr-defined]
        self.name = self.adopted_name or (_render_name(template, self) if template and error is None else None) \
            or _random_name()
        self.label = f"Flow run {self.name!r}"
        if self.parent is not None:
            self._begin_parent_task_run()
        if not self.adopted:  # an adopted run exists already: only its states are recorded
            self.orchestrator.emit(FlowRunCreated(
                self.id, flow.name, self.name, jsonable(self.parameters), _run_tags(self.options.tags),
                self.parent_task_run_id, clock.now(),
            ))
        self.orchestrator.track_flow_run(self.id)
        engine_logger.info("Created flow run %r for flow %r", self.name, flow.name, extra={"hw_run": self})
        self.set_state(State(_S.PENDING))
        if error is not None:
            self.reraise = error
            return self.set_state(State(_S.FAILED, None, f"Validation of flow parameters failed: {error}", error))
        return None

    def set_state(self, state: State[Any]) -> State[Any]:
        super().set_state(state)
        if self.parent_task_run_id is not None and (state.type is _S.RUNNING or state.type in FINAL_TYPES):
            # The parent's placeholder task run mirrors the subflow's progress.
            self.orchestrator.emit(StateChanged(
                self.parent_task_run_id, True, _VALUES[state.type], state.name, state.message, state.ts, None))
            if state.type is _S.COMPLETED:
                self.parent.lineage.record(state.data, self.parent_task_run_id)  # type: ignore[union-attr]
        return state

    def _begin_parent_task_run(self) -> None:
        parent = self.parent
        assert parent is not None
        self.parent_task_run_id = task_run_id = _new_id()
        key = f"subflow:{self.flow.name}"
        self.orchestrator.emit(TaskRunCreated(
            task_run_id, parent.id, f"{self.flow.name}-{task_run_id[-3:]}", self.flow.name, key,
            parent.next_dynamic_key(key), _run_tags(self.options.tags), clock.now(),
        ))
        self.orchestrator.emit(StateChanged(task_run_id, True, "PENDING", "Pending", None, clock.now(), None))

    def end(self) -> None:
        if self._runner is not None:
            crashed = self.state is not None and self.state.type is _S.CRASHED
            self._runner.shutdown(wait=not crashed)
        self.orchestrator.untrack_flow_run(self.id)
        if self.parent is None:
            # A finished top-level flow has its history on disk before it returns.
            self.orchestrator.flush(timeout=30)


def _task_runs_info() -> bool:
    return task_run_logger.isEnabledFor(20)


def _run_tags(own: tuple[str, ...]) -> list[str]:
    extra = tags_var.get()
    return sorted(extra.union(own)) if extra else list(own)


def _render_name(template: Any, run: Run) -> str:
    if callable(template):
        from headwater.engine.context import flow_run_var, task_run_var

        var = task_run_var if run.is_task else flow_run_var
        token = var.set(run)  # type: ignore[arg-type]
        try:
            return str(template())
        finally:
            var.reset(token)
    try:
        return str(template).format(**run.parameters)  # type: ignore[attr-defined]
    except (KeyError, IndexError, ValueError) as exc:
        raise ParameterValidationError(
            f"run name template {template!r} refers to {exc}, which is not a parameter; "
            f"parameters are: {', '.join(run.parameters) or 'none'}"  # type: ignore[attr-defined]
        ) from None


def _random_name() -> str:
    import coolname

    return str(coolname.generate_slug(2))


def _interrupted(error: BaseException) -> State[Any]:
    """The state of a run stopped by something other than its own code."""
    if isinstance(error, CancellationSignal):
        return State(_S.CANCELLED, None, str(error) or "The run was cancelled.", error)
    return State(_S.CRASHED, None, _crash_message(error), error)


def _crash_message(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "Execution was aborted by an interrupt signal."
    if isinstance(error, TerminationSignal):
        detail = str(error)
        return detail if detail and detail != "SIGTERM" else "Execution was aborted by a termination signal."
    if isinstance(error, SystemExit):
        return f"Execution was aborted by SystemExit({error.code!r})."
    return f"Execution was interrupted by an unexpected exception: {type(error).__name__}: {error}"


def _failure_summary(run: Run, state: State[Any]) -> str:
    error = state.data
    if isinstance(error, BaseException):
        return f"{run.kind.capitalize()} run failed with exception: {error!r}"
    return f"{run.kind.capitalize()} run failed: {state.message}"


def _exc_info(state: State[Any]) -> Any:
    """exc_info for logging a failure, starting at the user's code (the engine's own
    frames above it say nothing the user can act on)."""
    error = state.data
    if isinstance(error, BaseException) and error.__traceback__ is not None:
        tb = error.__traceback__
        while tb.tb_next is not None and tb.tb_frame.f_globals.get("__name__", "").startswith("headwater.engine"):
            tb = tb.tb_next
        return (type(error), error, tb)
    return None

