"""A run in progress: its identity, its state, and the decisions about it.

`Run` holds what the life cycle (engine/lifecycle.py) asks about: which state an
outcome leads to, whether to retry, how long to wait, which hooks apply. `TaskRun`
(engine/task_runs.py) and `FlowRun` (engine/flow_runs.py) add what differs: how a run
begins (records, parameter validation, the subflow's placeholder task run) and how it
ends (flushing history).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.states import FINAL_TYPES, TRANSITIONS, State, StateType, check_transition, is_state_iterable
from headwater.engine.context import tags_var
from headwater.engine.logging import RunLogger, flow_run_logger, log_fast, task_run_logger
from headwater.engine.retries import retry_delay
from headwater.engine.timeouts import TimeLimit
from headwater.exceptions import (
    CancellationSignal,
    FlowRunTimeoutError,
    ParameterValidationError,
    TaskRunTimeoutError,
    TerminationSignal,
)
from headwater.orchestrator.records import StateChanged

if TYPE_CHECKING:
    from headwater.engine.flow_runs import FlowRun
    from headwater.engine.task_runs import TaskRun
    from headwater.engine.options import RunOptions
    from headwater.orchestrator.base import Orchestrator

__all__ = ["FlowRun", "Run", "TaskRun"]

S = StateType
STATE_VALUES = {t: t.value for t in StateType}  # Enum.value is a descriptor: too slow for the hot path
_GENERATOR = types.GeneratorType


class Run:
    """What every run has. Subclasses: `TaskRun`, `FlowRun`."""

    kind = "run"
    is_task = False
    returned_state: State[Any] | None = None  # the hand-made final state the function returned, if any
    tags: list[str]  # set by each kind of run (its own tags and those of enclosing `tags(...)` blocks)

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 options: RunOptions, orchestrator: Orchestrator) -> None:
        self.id = new_id()
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
        if type_ is S.RUNNING:
            self.run_count += 1
        state.run_id = self.id
        self.state = state
        self.orchestrator.emit(
            StateChanged(self.id, self.is_task, STATE_VALUES[type_], state.name, state.message, state.ts, state.details)
        )
        return state

    def state_from_outcome(self, value: Any, error: BaseException | None, limit: TimeLimit | None) -> State[Any]:
        """The state a call's outcome leads to (before retries are considered)."""
        if error is None:
            return self.state_from_return(value)
        if limit is not None and limit.owns(error):
            message = f"{self.kind.capitalize()} run exceeded timeout of {limit.seconds:g} second(s)"
            timeout_error = (TaskRunTimeoutError if self.is_task else FlowRunTimeoutError)(message)
            return State(S.FAILED, "TimedOut", message, timeout_error)
        if isinstance(error, Exception):
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            # Prefect's wording differs by one colon between task runs and flow runs.
            lead = "Task run encountered an exception " if self.is_task else "Flow run encountered an exception: "
            return State(S.FAILED, None, lead + text, error)
        self.reraise = error
        return _interrupted(error)

    def state_from_return(self, value: Any) -> State[Any]:
        """The state a returned value leads to, decided as Prefect 3 decides it.

        A state made by hand decides the outcome as it is (name and message kept). A
        run's state, or a list, tuple or set of states, is an aggregate: Completed
        ("All states completed.") if all completed, else Cancelled, Paused or Failed
        with a count; the states are the result. Anything else completes the run (a
        generator object is drained into a list: generators do not outlive the run).
        """
        if isinstance(value, State):
            if value.run_id is None:
                if value.type in FINAL_TYPES:
                    self.returned_state = value  # a task call hands it back as is (Prefect does)
                    return value
                return State(S.COMPLETED, data=value)
            return _aggregate((value,), value)
        if is_state_iterable(value):
            return _aggregate(value, value)
        if type(value) is _GENERATOR and not inspect.isgeneratorfunction(self.fn):
            value = list(value)  # a generator *function*'s generator is handed back to iterate
        return State(S.COMPLETED, data=value)

    def should_retry(self, state: State[Any]) -> bool:
        """Whether a failed attempt gets another try."""
        return state.type is S.FAILED and self.run_count <= self.options.retries

    def retry_delay(self) -> float:
        o = self.options
        return retry_delay(o.retry_delay_seconds, o.retries, self.run_count, o.retry_jitter_factor)

    def running_state(self) -> State[Any]:
        return State(S.RUNNING, "Retrying" if self.run_count else "Running")

    def awaiting_retry(self, failed: State[Any], delay: float) -> State[Any]:
        """Log the failed attempt and return the AwaitingRetry state to enter."""
        self.logger.warning(
            "%s - Retry %d/%d will start %s second(s) from now",
            _failure_summary(self, failed), self.run_count, self.options.retries, f"{delay:g}",
            exc_info=_exc_info(failed),
        )
        return State(S.SCHEDULED, "AwaitingRetry", failed.message, details={"scheduled_time": clock.now() + delay})

    def needs_slots(self) -> bool:
        return False

    def took_slots(self, slots: Any, refused: State[Any] | None) -> State[Any] | None:
        """Keep the lease the driver obtained; a refusal ends the run."""
        self.slots = slots
        return self.set_state(refused) if refused is not None else None

    def hooks_for(self, state: State[Any]) -> tuple[Callable[..., Any], ...]:
        o = self.options
        if state.type is S.COMPLETED:
            return o.on_completion
        if state.type is S.FAILED:
            return o.on_failure
        if state.type is S.CRASHED:
            return o.on_crashed
        if state.type is S.CANCELLED:
            # As in Prefect: cancellation hooks answer a cancellation, not a Cancelled
            # state the run's own code returned.
            return o.on_cancellation if isinstance(state.data, CancellationSignal) else ()
        return ()

    def hook_target(self) -> Any:
        """The task or flow passed as first argument to hooks."""
        raise NotImplementedError

    def finish(self, state: State[Any]) -> None:
        """Log the final state."""
        if state.type is S.COMPLETED:
            if _task_runs_info():
                log_fast(self, 20, f"Finished in state {state}")
            return
        if state.type is S.FAILED and state.data is not None and state.name != "TimedOut" \
                and not isinstance(state.data, ParameterValidationError):
            self.logger.error("%s - Retries are exhausted" if self.options.retries else "%s",
                              _failure_summary(self, state), exc_info=_exc_info(state))
        elif state.type is S.CRASHED:
            self.logger.error("Crash detected! %s", state.message)
        log_fast(self, 40, f"Finished in state {state}")

    def begin(self) -> State[Any] | None:
        """Create the run's record; a final state if it must not run (e.g. cached).

        Each kind of run (task, flow) says how."""
        raise NotImplementedError

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


def _aggregate(states: Any, data: Any) -> State[Any]:
    """One state standing for several returned ones (Prefect's aggregate rule)."""
    total = len(states)
    counts: dict[StateType, int] = {}
    for state in states:
        counts[state.type] = counts.get(state.type, 0) + 1
    if counts.get(S.COMPLETED, 0) == total:
        return State(S.COMPLETED, None, "All states completed.", data)
    if counts.get(S.CANCELLED):
        return State(S.CANCELLED, None, f"{counts[S.CANCELLED]}/{total} states cancelled.", data)
    if counts.get(S.PAUSED):
        return State(S.PAUSED, None, f"{counts[S.PAUSED]}/{total} states paused.", data)
    failed = counts.get(S.FAILED, 0) + counts.get(S.CRASHED, 0)
    if failed:
        return State(S.FAILED, None, f"{failed}/{total} states failed.", data)
    unfinished = sum(n for t, n in counts.items() if t not in FINAL_TYPES)
    return State(S.FAILED, None, f"{unfinished}/{total} states are not final.", data)


def _task_runs_info() -> bool:
    return task_run_logger.isEnabledFor(20)


def tags_of_run(own: tuple[str, ...]) -> list[str]:
    extra = tags_var.get()
    return sorted(extra.union(own)) if extra else list(own)


def render_run_name(template: Any, run: FlowRun | TaskRun) -> str:
    if callable(template):
        from headwater.engine.context import flow_run_var, task_run_var

        # A callable name template reads the run being named (runtime.task_run / flow_run).
        var: ContextVar[Any] = task_run_var if run.is_task else flow_run_var
        token = var.set(run)
        try:
            return str(template())
        finally:
            var.reset(token)
    try:
        return str(template).format(**run.parameters)
    except (KeyError, IndexError, ValueError) as exc:
        raise ParameterValidationError(
            f"run name template {template!r} refers to {exc}, which is not a parameter; "
            f"parameters are: {', '.join(run.parameters) or 'none'}"
        ) from None


def random_run_name() -> str:
    import coolname

    return str(coolname.generate_slug(2))


def _interrupted(error: BaseException) -> State[Any]:
    """The state of a run stopped by something other than its own code."""
    if isinstance(error, CancellationSignal):
        return State(S.CANCELLED, None, str(error) or "The run was cancelled.", error)
    return State(S.CRASHED, None, _crash_message(error), error)


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


def __getattr__(name: str) -> Any:
    # The two kinds of run live in their own modules (which import this one); they
    # stay importable from here, resolved on first use so either module may load first.
    if name == "TaskRun":
        from headwater.engine.task_runs import TaskRun

        return TaskRun
    if name == "FlowRun":
        from headwater.engine.flow_runs import FlowRun

        return FlowRun
    raise AttributeError(f"module 'headwater.engine.runs' has no attribute {name!r}")
