"""One task run of a static flow, as Prefect 1's TaskRunner runs it: its state pipeline.

    Pending -> (upstream skipped?) -> (mapped parent?) -> (cached?) -> trigger -> Running
            -> the call -> (cache the result) -> (retry?) -> (loop again?)

Each step may change the state; every change goes through the task's state
handlers (`handler(task, old, new)` may return a replacement). Signals raised by the
task or its trigger become their states; any other exception a Failed state. The
call itself goes through `record.invoke`, which records it as a headwater task run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from headwater.engine import signals
from headwater.engine.signals import ENDRUN
from headwater.engine.state import (
    Cached, Failed, Looped, Mapped, Paused, Pending, Resume, Retrying, Running, Scheduled, Skipped, State, Success,
    TimedOut, TriggerFailed, retry_at,
)
from headwater.engine.static.context import context
from headwater.engine.static.taskapi import prefect1_options

if TYPE_CHECKING:
    from headwater.engine.tasks import Task

__all__ = ["Edge", "TaskNode", "expand", "paused", "run_task"]


class TaskNode(Protocol):
    """What running a task needs of the node it runs for: a graph's TaskCall, or a lone task's."""

    @property
    def task(self) -> Task[..., Any]: ...

    @property
    def key(self) -> str: ...

_SKIP_MESSAGE = ("Upstream task was skipped; if this was not the intended behavior, consider changing "
                 "`skip_on_upstream_skip=False` for this task.")


class Edge:
    """An edge into a task, as triggers see it (Prefect 1's `Edge`).

    Attributes:
        upstream_task, downstream_task: the node objects at each end.
        key: the argument the upstream result is passed as (None for order-only edges).
        mapped: whether the downstream task maps over this input.
    """

    def __init__(self, upstream_task: Any, downstream_task: Any, key: str | None = None, mapped: bool = False,
                 flattened: bool = False) -> None:
        self.upstream_task = upstream_task
        self.downstream_task = downstream_task
        self.key = key
        self.mapped = mapped
        self.flattened = flattened

    def __repr__(self) -> str:
        key = f" (key={self.key!r})" if self.key else ""
        return f"<Edge{key}: {self.upstream_task.key} to {self.downstream_task.key}>"


def _takes_two(fn: Any) -> bool:
    """Whether a hook has Prefect 1's callback shape (task, state) rather than (task, run, state)."""
    import inspect

    try:
        inspect.signature(fn).bind(None, None)
    except (TypeError, ValueError):
        return False
    try:
        inspect.signature(fn).bind(None, None, None)
    except TypeError:
        return True
    return False


def expand(upstream_states: Mapping[Edge, State]) -> list[State]:
    """The upstream states a task weighs: a mapped upstream counts by its runs unless mapped over."""
    found: list[State] = []
    for edge, state in upstream_states.items():
        if isinstance(state, Mapped) and not edge.mapped:
            found.extend(state.map_states)
        else:
            found.append(state)
    return found


class _Pipeline:
    def __init__(self, call: TaskNode, invoke: Callable[[], Any]) -> None:
        self.call = call
        self.task = call.task
        self.options = prefect1_options(call.task)
        self.invoke = invoke
        handlers = list(self.options.state_handlers)
        callbacks = [self.options.on_failure] if self.options.on_failure is not None else []
        # `@task(on_failure=cb)`: in a static flow, Prefect 1's cb(task, state) on entering a failed state
        callbacks += [h for h in getattr(call.task.options, "on_failure", ()) if _takes_two(h)]
        for on_failure in callbacks:
            def failure_handler(task: Any, old: State, new: State, on_failure: Any = on_failure) -> State:
                if new.is_failed():
                    on_failure(task, new)
                return new

            handlers.append(failure_handler)
        self.handlers = handlers

    def change(self, old: State, new: State) -> State:
        """Run the state handlers on a change; they may replace the new state."""
        if new is old or not self.handlers:
            return new
        try:
            for handler in self.handlers:
                new = handler(self.task, old, new) or new
        except (signals.PAUSE, ENDRUN):
            raise
        except signals.PrefectStateSignal as exc:
            if context.get("raise_on_exception"):
                raise
            return exc.state
        except Exception as exc:
            if context.get("raise_on_exception"):
                raise
            message = f"Unexpected error while calling state handlers: {exc!r}"
            logging.getLogger("prefect.TaskRunner").exception(message)
            raise ENDRUN(Failed(message, result=exc)) from exc
        return new

    def step(self, state: State, fn: Callable[[State], State]) -> State:
        """One pipeline step with Prefect 1's handling: signals become states, then handlers run."""
        end = False
        try:
            new = fn(state)
        except ENDRUN as exc:
            end, new = True, exc.state
        except signals.PrefectStateSignal as exc:
            if context.get("raise_on_exception"):
                raise
            new = exc.state
        except Exception as exc:
            if context.get("raise_on_exception"):
                raise
            new = Failed(f"Unexpected error: {exc!r}", result=exc)
        new = self.change(state, new)
        if end:
            raise ENDRUN(new)
        return new


def run_task(call: TaskNode, state: State | None, upstream_states: dict[Edge, State], invoke: Callable[[], Any],
             run_context: dict[str, Any], mapped_parent: bool = False,
             map_length: Callable[[], int] | None = None, literal_inputs: bool = False) -> State:
    """Run one task (or one mapped child) from `state` to the state it ends in for now.

    Args:
        call: the node.
        state: where it starts (Pending, or Retrying / Paused from an earlier pass).
        upstream_states: each incoming edge and its upstream state.
        invoke: calls the task with its inputs (and records the run); returns its value.
        run_context: context values for this run (task_name, map_index, ...).
        mapped_parent: the node is a mapped call whose children are made by the caller.
        map_length: for a mapped parent, how many children (raises if it cannot map).
        literal_inputs: a mapped parent maps over values written in the block too.

    Returns:
        The new state: finished, or Retrying / Paused / Pending to be picked up again.
    """
    pipe = _Pipeline(call, invoke)
    state = state or Pending()
    ctx = dict(run_context)
    ctx["task_run_count"] = state.run_count + 1 if isinstance(state, Retrying) else 1
    if isinstance(state, Resume):
        ctx["resume"] = True
    if "_loop_count" in state.context:
        ctx["task_loop_count"] = state.context.pop("_loop_count")
        ctx["task_loop_result"] = state.result
    while True:
        try:
            with context(ctx):
                state = _pipeline(pipe, state, upstream_states, mapped_parent, map_length, literal_inputs)
        except ENDRUN as exc:
            state = exc.state
        except Exception as exc:
            if context.get("raise_on_exception"):
                raise
            name = ctx.get("task_full_name", call.key)
            state = Failed(f"Task '{name}': Unexpected error while running task: {exc!r}", result=exc)
        if not isinstance(state, Looped):
            return state
        ctx["task_loop_result"] = state.result
        ctx["task_loop_count"] = state.loop_count + 1
        state = Pending(f"Looping task (on loop index {state.loop_count})")


def _pipeline(pipe: _Pipeline, state: State, upstream: dict[Edge, State], mapped_parent: bool,
              map_length: Callable[[], int] | None, literal_inputs: bool = False) -> State:
    options = pipe.options
    if not (state.is_pending() or state.is_cached() or state.is_mapped()):
        raise ENDRUN(state)
    if isinstance(state, Scheduled) and state.start_time is not None:
        from headwater.engine.state import utcnow

        if state.start_time > utcnow():
            raise ENDRUN(state)
    if not all(s.is_finished() for s in expand(upstream)):
        raise ENDRUN(state)

    def check_skipped(current: State) -> State:
        if options.skip_on_upstream_skip and any(s.is_skipped() for s in expand(upstream)):
            raise ENDRUN(Skipped(_SKIP_MESSAGE))
        return current

    state = pipe.step(state, check_skipped)
    if mapped_parent:
        def ready_to_map(current: State) -> State:
            mapped_edges = [(e, s) for e, s in upstream.items() if e.mapped]
            if upstream and not literal_inputs and not any(s.is_successful() for _, s in mapped_edges):
                raise ENDRUN(Failed("No upstream states can be mapped over."))
            assert map_length is not None
            try:
                length = map_length()
            except TypeError:
                raise ENDRUN(Failed("At least one upstream state has an unmappable result.")) from None
            raise ENDRUN(Mapped("Ready to proceed with mapping.", n_map_states=length))

        return pipe.step(state, ready_to_map)
    if options.target:
        state = pipe.step(state, lambda current: _check_target(pipe, current))
    elif options.cache_for is not None or state.is_cached():
        state = pipe.step(state, lambda current: _check_cache(pipe, current, upstream))

    def check_trigger(current: State) -> State:
        trigger = options.trigger
        if trigger is None:
            from headwater.triggers import all_successful as trigger
        try:
            if not trigger(upstream):
                raise signals.TRIGGERFAIL("Trigger failed")
        except signals.PrefectStateSignal as exc:
            if context.get("raise_on_exception"):
                raise
            raise ENDRUN(exc.state) from exc
        except Exception as exc:
            if context.get("raise_on_exception"):
                raise
            raise ENDRUN(TriggerFailed(f"Unexpected error while checking task trigger: {exc!r}",
                                       result=exc)) from exc
        return current

    state = pipe.step(state, check_trigger)

    def set_running(current: State) -> State:
        if not current.is_pending():
            raise ENDRUN(current)
        return Running("Starting task run.")

    state = pipe.step(state, set_running)
    state = pipe.step(state, lambda current: _call(pipe, current))
    if options.cache_for is not None and state.is_successful() and not state.is_skipped():
        state = pipe.step(state, lambda current: _cache_result(pipe, current, upstream))
    return pipe.step(state, lambda current: _check_retry(pipe, current))


def _call(pipe: _Pipeline, state: State) -> State:
    if not state.is_running():
        raise ENDRUN(state)
    try:
        value = pipe.invoke()
    except signals.LOOP as exc:
        looped = exc.state
        looped.message = looped.message or f"Task is looping ({looped.loop_count})"
        return looped
    except signals.SUCCESS as exc:
        return exc.state
    except TimeoutError as exc:
        if context.get("raise_on_exception"):
            raise
        return TimedOut("Task timed out during execution.", result=exc)
    except signals.PrefectStateSignal:
        raise
    except Exception as exc:
        if context.get("raise_on_exception"):
            raise
        logging.getLogger("prefect.TaskRunner").error(
            "Task %r: Exception encountered during task execution!", context.get("task_full_name"), exc_info=True)
        return Failed(f"Error during execution of task: {exc!r}", result=exc)
    return Success(result=_checkpoint(pipe, value), message="Task run succeeded.")


def _result_of(pipe: _Pipeline) -> Any:
    """The task's Result (its own `result=`, else the flow's), located at its target if it has one."""
    result = pipe.options.result or context.get("_flow_result")
    if result is None:
        return None
    target = pipe.options.target
    if target:
        result = result.copy()
        if callable(target):
            result._formatter, result.location = target, None
        else:
            result.location = target
    return result


def _formatting(pipe: _Pipeline) -> dict[str, Any]:
    inputs = context.get("_task_inputs") or {}
    values = {**(context.get("parameters") or {}), **context.to_dict(), **inputs}
    values.pop("self", None)
    return values


def _checkpoint(pipe: _Pipeline, value: Any) -> Any:
    """The value, written through the task's result when checkpointing is on (then a Result)."""
    result = _result_of(pipe)
    if result is None:
        return value
    if value is None or pipe.options.checkpoint is False or not context.get("checkpointing"):
        return result.from_value(value)
    try:
        return result.write(value, **_formatting(pipe))
    except NotImplementedError:
        return value


def _check_target(pipe: _Pipeline, state: State) -> State:
    """A Cached state read from the task's target, if something is there already."""
    result = _result_of(pipe)
    target = pipe.options.target
    if result is None or not target:
        return state
    values = _formatting(pipe)
    location = target(**values) if callable(target) else target
    if result.exists(location, **values):
        known = location.format(**values)
        return Cached(result=result.read(known), message=f"Result found at task target {known}")
    return state


def _inputs(upstream: dict[Edge, State]) -> dict[str, Any]:
    return {e.key: s.result for e, s in upstream.items() if e.key}


def _check_cache(pipe: _Pipeline, state: State, upstream: dict[Edge, State]) -> State:
    validator = pipe.options.cache_validator
    if validator is None:
        from headwater.engine.cache_validators import duration_only as validator
    inputs = _inputs(upstream)
    parameters = context.get("parameters")
    if state.is_cached():
        if validator(state, inputs, parameters):
            return state
        state = Pending("Cache was invalid; ready to run.")
    caches: dict[str, list[State]] = context.get("caches") or {}
    for candidate in caches.get(pipe.options.cache_key or pipe.task.name, []):
        if validator(candidate, inputs, parameters):
            return candidate
    return state


def _cache_result(pipe: _Pipeline, state: State, upstream: dict[Edge, State]) -> State:
    from headwater.engine.cache_validators import input_hashes
    from headwater.engine.state import utcnow

    assert pipe.options.cache_for is not None
    return Cached(result=state._result, hashed_inputs=input_hashes(_inputs(upstream)),
                  cached_result_expiration=utcnow() + pipe.options.cache_for,
                  cached_parameters=context.get("parameters"), message=state.message)


def _check_retry(pipe: _Pipeline, state: State) -> State:
    if not state.is_failed():
        return state
    retry_on = pipe.options.retry_on
    if retry_on and state.result is not None and not isinstance(state.result, tuple(retry_on)):
        return state
    run_count = context.get("task_run_count", 1)
    retries = int(pipe.task.options.retries or 0)
    if run_count > retries:
        return state
    loop_context = None
    loop_result = None
    if context.get("task_loop_count") is not None:
        loop_context = {"_loop_count": context.get("task_loop_count")}
        loop_result = context.get("task_loop_result")
    return Retrying(start_time=retry_at(_retry_delay(pipe.task, run_count)), context=loop_context,
                    message=f"Retrying Task (after attempt {run_count} of {retries + 1})", run_count=run_count,
                    result=loop_result)


def _retry_delay(task: Any, run_count: int) -> timedelta:
    delay = task.options.retry_delay_seconds
    if callable(delay):
        delay = delay(int(task.options.retries))
    if isinstance(delay, (list, tuple)):
        delay = delay[min(run_count - 1, len(delay) - 1)] if delay else 0
    return timedelta(seconds=float(delay or 0))


def paused(state: State) -> bool:
    """Whether the state waits for a manual resume."""
    return isinstance(state, Paused)

