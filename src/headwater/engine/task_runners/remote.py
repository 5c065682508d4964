"""Task runs that execute in another process: what is shipped there and what comes back.

Shared by `ProcessPoolTaskRunner` and `DaskTaskRunner`. The parent announces a run
(TaskRunCreated + Pending, through its own history writer) when it is submitted; the
run itself executes elsewhere, under the same task run id, with the normal life
cycle, recording Running / Completed / Failed / retries and its log lines into the
same database through an orchestrator of its own built from the parent's settings.

    parent                                      other process
    announce ── flush ── ship(run) ──────────>  run_shipped: life cycle, flush
    future resolves to the final State  <─────  the final State (packed)

Cross-process ordering: the parent flushes its writer before it hands runs over
(once per burst, see `RemoteTaskRunner`), so the child's state changes always land
after the run's creation and its Pending; the child flushes before it answers, so a
resolved future means the run's history is stored.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import dataclasses
import pickle
import queue
import threading
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import cloudpickle

from headwater.core.states import LazyResult, State, StateType
from headwater.engine.futures import HeadwaterFuture, FinalStateSlot, resolve_futures
from headwater.engine.lineage import ResultLineage
from headwater.engine.task_runners.base import TaskRunner, run_to_final_state
from headwater.exceptions import MissingResult
from headwater.exceptions import NotShippable  # noqa: F401 (the one exception tree)

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.runs import FlowRun, TaskRun
    from headwater.orchestrator.base import Orchestrator

__all__ = ["NotShippable", "RemoteFlowRun", "RemoteTaskRunner", "end_in_parent", "pack_state", "run_shipped",
           "ship", "unpack_state"]

_S = StateType


class RemoteFlowRun:
    """What a task run executing in another process knows of its flow run.

    Enough for the run's records (its id), `headwater.runtime.flow_run`, caching
    policies that read the flow's parameters, and tasks called from inside the task.
    """

    # Read by TaskRun.finish (assets passed between task runs of the flow); without it a
    # shipped run's finish raised and its end (tag slots released) never ran.
    task_run_assets: dict[str, list[Any]] | None = None

    def __init__(self, flow_run: FlowRun | None) -> None:
        self.id = flow_run.id if flow_run is not None else None
        self.name = flow_run.name if flow_run is not None else None
        self.flow = SimpleNamespace(name=flow_run.flow.name if flow_run is not None else None)
        # The flow options a task run consults (caching reads the result settings).
        options = flow_run.options if flow_run is not None else None
        self.options = SimpleNamespace(**{name: getattr(options, name, None) for name in _FLOW_OPTIONS_SHIPPED})
        self.options.tags = tuple(options.tags) if options is not None else ()
        self.run_count = flow_run.run_count if flow_run is not None else 0
        self.parent_task_run_id = flow_run.parent_task_run_id if flow_run is not None else None
        self.parameters = _shippable_parameters(flow_run.parameters) if flow_run is not None else {}
        self.lineage = ResultLineage()
        self.orchestrator: Orchestrator | None = None
        self._dynamic_keys: dict[str, int] = {}

    def next_dynamic_key(self, task_key: str) -> int:
        # Runs created here (a task calling a task) count apart from the parent's.
        key = self._dynamic_keys.get(task_key, 10**6)
        self._dynamic_keys[task_key] = key + 1
        return key

    def task_runner(self) -> TaskRunner:
        raise RuntimeError(
            "a task running on a process or Dask task runner cannot submit other tasks; "
            "call them directly inside the task, or submit them from the flow"
        )

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "orchestrator": None, "lineage": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lineage = ResultLineage()


_FLOW_OPTIONS_SHIPPED = ("name", "version", "tags", "log_prints", "persist_result", "result_storage",
                         "result_serializer")


def _shippable_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    try:
        cloudpickle.dumps(parameters)
        return parameters
    except Exception:
        from headwater.engine.parameters import jsonable

        shippable: dict[str, Any] = jsonable(parameters)  # a dict stays a dict
        return shippable


# -- the parent side ------------------------------------------------------------------

def ship(run: TaskRun, flow_run: RemoteFlowRun, args: tuple[Any, ...], kwargs: dict[str, Any],
         where: str) -> bytes:
    """The pickled run, with `args`/`kwargs` as given (futures already replaced).

    Raises:
        NotShippable: the function or an argument cannot be pickled; the message names it.
    """
    shipped = copy.copy(run)
    shipped.__dict__.update(
        orchestrator=None, flow_run=flow_run, dependencies=[], args=args, kwargs=kwargs,
        _logger=None, cache=None, slots=None, _parameters=None, announced=True,
        resolve_inputs=False, failure_allowed=frozenset(),  # resolved here, before shipping
    )
    try:
        return _dumps(shipped)
    except Exception as error:
        raise NotShippable(_why_not_shippable(run, args, kwargs, error, where)) from None


def _why_not_shippable(run: TaskRun, args: tuple[Any, ...], kwargs: dict[str, Any], error: Exception,
                       where: str) -> str:
    task = run.task
    try:
        cloudpickle.dumps(task)
    except Exception as task_error:
        return (f"task {task.name!r} cannot be sent to {where}: its function or options cannot be pickled "
                f"({type(task_error).__name__}: {task_error}); define the function at module level "
                "and avoid capturing locks, connections or open files")
    try:
        named = dict(task.signature.bind(*args, **kwargs).arguments)
    except TypeError:
        named = {f"#{i}": a for i, a in enumerate(args)} | kwargs
    for name, value in named.items():
        if _holds_future(value):  # only a quoted future is still a future here
            return (f"argument {name!r} of task {task.name!r} holds a future, which cannot be sent to {where}: "
                    "pass the future itself (not inside quote(...)) so that its result is sent, or use "
                    "the ThreadPoolTaskRunner")
        try:
            cloudpickle.dumps(value)
        except Exception as value_error:
            return (f"argument {name!r} of task {task.name!r} cannot be sent to {where}: "
                    f"{type(value_error).__name__}: {value_error}. Pass something picklable (for example "
                    "a path or a URL instead of an open file or a connection), or use the ThreadPoolTaskRunner")
    return f"task run {run.name!r} cannot be sent to {where}: {type(error).__name__}: {error}"


def _holds_future(value: Any, depth: int = 0) -> bool:
    if isinstance(value, HeadwaterFuture):
        return True
    if depth > 3:
        return False
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, (list, tuple, set, frozenset)):
        return False
    return any(_holds_future(item, depth + 1) for item in value)


def end_in_parent(run: TaskRun, state: State[Any]) -> State[Any]:
    """End `run` in the parent, before or instead of running it: record `state`, log, hooks."""
    from headwater.engine.drivers import call_hooks_sync

    if run.state is not None and run.state.type in (_S.COMPLETED, _S.FAILED, _S.CRASHED, _S.CANCELLED):
        return run.state
    run.set_state(state)
    run.finish(state)
    call_hooks_sync(run, state)
    run.end()
    return state


def unpack_state(packed: bytes) -> State[Any]:
    state: State[Any] = pickle.loads(packed)  # pack_state's
    return state


def _dumps(value: object) -> bytes:
    packed: bytes = cloudpickle.dumps(value)  # cloudpickle has no type hints
    return packed


# -- the other process's side ---------------------------------------------------------

_orchestrators: dict[str, Orchestrator] = {}
_orchestrators_lock = threading.Lock()


def orchestrator_for(settings: Settings) -> Orchestrator:
    """This process's orchestrator for `settings`: the process's own if it records to
    the same place, else one made (once) for these settings."""
    from headwater.orchestrator import get_orchestrator

    current = get_orchestrator(settings)
    if getattr(current, "settings", None) == settings:
        return current
    key = settings.model_dump_json()
    with _orchestrators_lock:
        found = _orchestrators.get(key)
        if found is None:
            if settings.api_url:  # the parent records through a server: so does this process
                from headwater.orchestrator.http import HttpOrchestrator

                found = _orchestrators[key] = HttpOrchestrator(settings)
            else:
                from headwater.orchestrator.local import LocalOrchestrator

                found = _orchestrators[key] = LocalOrchestrator(settings)
    return found


def run_shipped(payload: bytes, settings: Settings, upstream: dict[str, Any] | None = None) -> State[Any]:
    """Run a shipped task run here to its final state; its history is stored on return.

    Args:
        payload: what `ship` produced.
        settings: the parent's settings (where history goes).
        upstream: values for `Upstream` placeholders in the arguments, by task run id.
    """
    from headwater.engine.context import flow_run_var
    from headwater.engine.logging import configure_logging

    from headwater.orchestrator import get_orchestrator

    orchestrator = orchestrator_for(settings)
    if orchestrator is get_orchestrator():
        configure_logging(orchestrator.settings)
    run: TaskRun = cloudpickle.loads(payload)
    run.orchestrator = orchestrator
    if run.flow_run is not None:  # ship() always sends a RemoteFlowRun
        run.flow_run.orchestrator = orchestrator
    if upstream:
        run.args = tuple(fill_upstream(a, upstream) for a in run.args)
        run.kwargs = {k: fill_upstream(v, upstream) for k, v in run.kwargs.items()}
    token = flow_run_var.set(run.flow_run)
    try:
        if run.task.isasync:
            from headwater.engine.task_runners.base import run_to_final_state_async

            state = asyncio.run(run_to_final_state_async(run))
        else:
            state = run_to_final_state(run)
    finally:
        flow_run_var.reset(token)
        orchestrator.flush(timeout=60)
    return state


def pack_state(state: State[Any]) -> bytes:
    """Pickle a final state for the trip back; what cannot travel is replaced by an
    explanation (the history, already stored, is unaffected)."""
    state = copy.copy(state)
    try:
        packed = _dumps(state)
        if isinstance(state.data, BaseException):
            pickle.loads(packed)  # exceptions with custom __init__ often pickle but do not load
        return packed
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
    if isinstance(state.data, BaseException):
        original = state.data
        text = f"{type(original).__name__}: {original}"
        state.data = RemoteError(f"{text} (the exception could not be sent back: {reason})")
    else:
        state.data = UnsentResult(f"the result could not be sent back from the worker: {reason}")
    return _dumps(state)


class RemoteError(Exception):
    """Stands in for an exception raised in another process that could not be sent back."""


class UnsentResult(LazyResult):
    """A completed run's result that could not be sent back; `.result()` says why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def load(self) -> Any:
        raise MissingResult(self.reason)


# -- futures among the arguments ------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Upstream:
    """Placeholder for an upstream future's value, filled in where the run executes."""

    task_run_id: str


def fill_upstream(value: Any, upstream: dict[str, Any], depth: int = 0) -> Any:
    """Replace `Upstream` placeholders by their values (put there by the parent's
    `RemoteTaskRunner._upstream_value`)."""
    if isinstance(value, Upstream):
        return upstream[value.task_run_id]
    if depth > 3:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        if not any(isinstance(item, (Upstream, list, tuple, set, frozenset, dict)) or
                   dataclasses.is_dataclass(item) for item in value):
            return value
        items = [fill_upstream(item, upstream, depth + 1) for item in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        return {k: fill_upstream(v, upstream, depth + 1) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: fill_upstream(getattr(value, f.name), upstream, depth + 1)
                                             for f in dataclasses.fields(value) if f.init})
    return value


# -- the runner base ------------------------------------------------------------------

class RemoteTaskRunner(TaskRunner):
    """A runner whose runs execute in other processes.

    Dispatch goes through one thread that takes every run ready at that moment,
    flushes the parent's history writer once for all of them, prepares each (futures
    in the arguments resolved or replaced, a failed upstream ends the run here, a
    non-picklable argument fails it here with a message naming the argument) and
    hands the batch to `_send`. Subclasses implement `_send` and call `_finished` or
    `_crashed` when a run comes back.
    """

    where = "another process"

    def __init__(self) -> None:
        super().__init__()
        self._inbox: queue.SimpleQueue[tuple[TaskRun, FinalStateSlot[Any]] | None] = \
            queue.SimpleQueue()
        self._dispatcher: threading.Thread | None = None
        self._flow_run: RemoteFlowRun | None = None
        self._crash_counts: dict[str, int] = {}

    def _start_dispatcher(self) -> None:
        self._dispatcher = threading.Thread(target=self._dispatch_loop, name="headwater-dispatch", daemon=True)
        self._dispatcher.start()

    def _stop_dispatcher(self) -> None:
        if self._dispatcher is not None:
            self._inbox.put(None)
            self._dispatcher.join(10)
            self._dispatcher = None

    def _dispatch(self, run: TaskRun, context: contextvars.Context) -> FinalStateSlot[Any]:
        outer: FinalStateSlot[Any] = FinalStateSlot()
        self._inbox.put((run, outer))
        return outer

    def _dispatch_loop(self) -> None:
        while True:
            first = self._inbox.get()
            batch = [first]
            while True:
                try:
                    batch.append(self._inbox.get_nowait())
                except queue.Empty:
                    break
            items = [item for item in batch if item is not None]
            if items:
                self._dispatch_batch(items)
            if len(items) != len(batch):
                return

    def _dispatch_batch(self, items: list[tuple[TaskRun, FinalStateSlot[Any]]]) -> None:
        # Everything these runs' parent emitted (creation, Pending, input edges) is
        # stored before any of them can record Running elsewhere.
        for orchestrator in {id(run.orchestrator): run.orchestrator for run, _ in items}.values():
            orchestrator.flush(timeout=60)
        ready = []
        for run, outer in items:
            try:
                prepared = self._prepare(run)
            except NotShippable as error:
                outer.set_result(end_in_parent(run, State(_S.FAILED, None, str(error), error)))
                continue
            except BaseException as error:  # a bug must not leave a future unresolved
                outer.set_result(end_in_parent(run, State(_S.CRASHED, None, f"could not dispatch: {error!r}", error)))
                continue
            if prepared is None:  # ended here (an upstream failed): its final state is set
                assert run.state is not None
                outer.set_result(run.state)
                continue
            ready.append((run, outer, prepared))
        if ready:
            try:
                self._send(ready)
            except BaseException as error:
                for run, outer, _ in ready:
                    if not outer.done():
                        self._crashed(run, outer, error)

    def _prepare(self, run: TaskRun) -> tuple[bytes, dict[str, Any]] | None:
        """The shipped run and the upstream values it needs, or None if it already ended here.

        The arguments are resolved here as the thread runner resolves them where the run
        executes (`resolve_futures`: `quote`, `opaque` and `allow_failure` taken off,
        a failed upstream inside `allow_failure` passed as its exception), except that a
        runner may put a placeholder where a completed upstream's value goes.
        """
        if run.resolve_inputs:
            allowed = run.failure_allowed
            for upstream in run.dependencies:
                if upstream.final_state().type is not _S.COMPLETED and id(upstream) not in allowed:
                    # The normal life cycle records the upstream failure, here in the parent.
                    run_to_final_state(run)
                    return None
        if self._flow_run is None:
            self._flow_run = RemoteFlowRun(run.flow_run)
        values: dict[str, Any] = {}
        args, kwargs = run.args, run.kwargs
        if run.resolve_inputs:
            def substitute(future: HeadwaterFuture[Any]) -> Any:
                return self._upstream_value(future, values)

            args = tuple(resolve_futures(a, result_of=substitute) for a in args)
            kwargs = {k: resolve_futures(v, result_of=substitute) for k, v in kwargs.items()}
        return ship(run, self._flow_run, args, kwargs, self.where), values

    def _upstream_value(self, future: HeadwaterFuture[Any], values: dict[str, Any]) -> Any:
        """What goes in place of an upstream future: its result (here), or an `Upstream`
        placeholder with `values[task_run_id]` set to what fills it where the run executes."""
        return future.final_state().result_sync()

    def _send(self, ready: list[tuple[TaskRun, FinalStateSlot[Any], Any]]) -> None:
        raise NotImplementedError

    def _finished(self, run: TaskRun, outer: FinalStateSlot[Any], state: State[Any]) -> None:
        run.state = state  # the parent's copy catches up (the records were made remotely)
        if state.type is _S.COMPLETED and run.flow_run is not None and not isinstance(state.data, LazyResult):
            run.flow_run.lineage.record(state.data, run.id)
        outer.set_result(state)

    def _crashed(self, run: TaskRun, outer: FinalStateSlot[Any], error: BaseException,
                 message: str | None = None, retry: bool = True) -> None:
        """The process running `run` died or was lost: retry if it has retries, else Crashed."""
        message = message or f"the {self.where} running this task run was lost: {type(error).__name__}: {error}"
        crashes = self._crash_counts.get(run.id, 0) + 1
        self._crash_counts[run.id] = crashes
        if retry and crashes <= run.options.retries and self._dispatcher is not None:
            run.run_count = crashes
            delay = run.retry_delay()
            run.logger.warning("%s; retry %d/%d will start %s second(s) from now",
                               message, crashes, run.options.retries, f"{delay:g}")
            run.set_state(State(_S.SCHEDULED, "AwaitingRetry", message))
            timer = threading.Timer(delay, self._inbox.put, ((run, outer),))
            timer.daemon = True
            timer.start()
            return
        outer.set_result(end_in_parent(run, State(_S.CRASHED, None, message, error)))
