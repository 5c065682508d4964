"""One execution of a task: announced at call or submit, dependencies, caching, slots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.core.states import State
from headwater.engine.context import transaction_var
from headwater.engine.runs import S, Run, render_run_name, tags_of_run
from headwater.exceptions import UpstreamTaskError
from headwater.orchestrator.records import TaskInputsRecorded, TaskRunCreated

if TYPE_CHECKING:
    from headwater.engine.caching import CachePlan
    from headwater.engine.flow_runs import FlowRun
    from headwater.engine.futures import HeadwaterFuture
    from headwater.engine.options import TaskOptions
    from headwater.engine.tasks import Task
    from headwater.orchestrator.base import Orchestrator

__all__ = ["TaskRun"]


class TaskRun(Run):
    """One execution of a task."""

    kind = "task"
    is_task = True
    options: TaskOptions
    txn: Any = None  # this attempt's transaction (engine/task_transactions.py), if transactions apply
    # Set by tasks.py when the arguments hold futures or annotations (quote, allow_failure, ...).
    resolve_inputs = False
    failure_allowed: set[int] | frozenset[int] = frozenset()  # ids of futures in allow_failure(...)
    inputs: tuple[tuple[str, str, str], ...] = ()  # (parameter, upstream task run id, kind), set at announce
    asset_metadata: dict[str, dict[str, Any]] | None = None  # add_asset_metadata (engine/asset_tracking.py)

    def __init__(self, task: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 flow_run: FlowRun | None, orchestrator: Orchestrator) -> None:
        super().__init__(task.fn, args, kwargs, task.options, orchestrator)
        self.task = task
        self.is_async = task.isasync
        self.flow_run = flow_run
        self.announced = False
        self.dependencies: list[HeadwaterFuture[Any]] = []
        self.cache: CachePlan | None = None  # engine/caching.py's plan for this run, if it caches or persists
        self._parameters: dict[str, Any] | None = None
        template = task.options.task_run_name
        self.name = render_run_name(template, self) if template else f"{task.name}-{self.id[-3:]}"
        self.label = f"Task run {self.name!r}"
        self.dynamic_key = flow_run.next_dynamic_key(task.task_key) if flow_run is not None else 0
        self.tags = tags_of_run(task.options.tags)

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
            self.inputs = upstream
            self.orchestrator.emit(TaskInputsRecorded(self.id, upstream))
        self.set_state(State(S.PENDING))

    def begin(self) -> State[Any] | None:
        if not self.announced:
            self.announce()
        if self.resolve_inputs:
            failed = self._resolve_dependencies()
            if failed is not None:
                return failed
        task = self.task
        flow_run = self.flow_run
        if task.uses_results or (flow_run is not None and flow_run.options.persist_result):
            from headwater.engine import caching

            self.cache = caching.plan(self)
            if self.cache is not None:
                hit = self.cache.lookup()
                if hit is not None:
                    return self.set_state(hit)
        if task.uses_transactions or transaction_var.get() is not None:
            from headwater.engine.task_transactions import open_task_transaction

            open_task_transaction(self)
        return None

    def needs_slots(self) -> bool:
        """Whether the run must take tag concurrency slots before it starts (the
        drivers take them: waiting differs between threads and an event loop)."""
        return bool(self.tags)

    def state_from_return(self, value: Any) -> State[Any]:
        state = super().state_from_return(value)
        if self.cache is not None and state.type is S.COMPLETED:
            return self.cache.complete(state)
        return state

    def end(self) -> None:
        if self.slots is not None:
            self.slots.release()
            self.slots = None
        if self.cache is not None:
            self.cache.close()
        if self.txn is not None:
            from headwater.engine.task_transactions import close_task_transactions

            close_task_transactions(self)

    def _resolve_dependencies(self) -> State[Any] | None:
        """Replace futures in the arguments by their results; a failed upstream ends this run."""
        from headwater.engine.futures import resolve_futures

        allowed = self.failure_allowed
        for upstream in self.dependencies:
            state = upstream.final_state()
            if state.type is not S.COMPLETED and id(upstream) not in allowed:
                if self.flow_run is not None and self.flow_run.flow.fails_on_upstream_failure:
                    message = f"Upstream task run {upstream.name!r} did not complete: it ended in state {state}"
                    return self.set_state(State(S.FAILED, None, message, UpstreamTaskError(message)))
                # Prefect 3: the run never starts and stays Pending, named NotReady (not a
                # failure of its own); its result() raises UnfinishedRun.
                message = (f"Upstream task run {upstream.name!r} did not reach a 'COMPLETED' state: "
                           f"it ended in state {state}")
                return self.set_state(State(S.PENDING, "NotReady", message))
        self.args = tuple(resolve_futures(a) for a in self.args)
        self.kwargs = {k: resolve_futures(v) for k, v in self.kwargs.items()}
        return None

    def finish(self, state: State[Any]) -> None:
        flow_run = self.flow_run
        if state.type is S.COMPLETED and flow_run is not None:
            flow_run.lineage.record(state.data, self.id)
        if self.task.tracks_assets or (flow_run is not None and flow_run.task_run_assets):
            from headwater.engine.asset_tracking import task_run_ended

            task_run_ended(self, state)
        if self.txn is not None:
            from headwater.engine.task_transactions import end_task_attempt

            end_task_attempt(self, state, retrying=False)
        super().finish(state)

    def awaiting_retry(self, failed: State[Any], delay: float) -> State[Any]:
        if self.txn is not None:  # each attempt is a transaction: this one rolls back
            from headwater.engine.task_transactions import end_task_attempt

            end_task_attempt(self, failed, retrying=True)
        return super().awaiting_retry(failed, delay)

    def should_retry(self, state: State[Any]) -> bool:
        if not super().should_retry(state):
            return False
        condition = self.options.retry_condition_fn
        if condition is None:
            return True
        try:
            return bool(condition(self.task, self, state))
        except Exception:
            self.logger.exception("retry_condition_fn raised; not retrying")
            return False
