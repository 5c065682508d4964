"""`TaskWorker`: runs the background task runs of some tasks, `limit` at a time.

Three kinds of thread share the work:

- the claimer (the thread that calls `run()`) claims runs of the worker's tasks as
  slots free up; each claim waits on the control plane for a run to arrive, so an
  idle worker starts a new run within a few milliseconds of `delay()`;
- `limit` runner threads run each claimed run through the engine's one life cycle
  (retries, caching, time-outs, tag limits, hooks and history as any task run), then
  store its outcome in the task scheduling storage;
- the reporter (`reporting.EndReporter`) reports how runs ended when no claim is
  about to carry them (each claim carries the ends so far, after the runs' history
  is stored), and heartbeats: the worker's leases are renewed every third of their
  length, so a worker that dies gives its runs back when they expire.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from headwater.core.background_schemas import (
    BackgroundClaimRequest,
    BackgroundRunEnd,
    ClaimedBackgroundRun,
    TaskWorkerHeartbeat,
)
from headwater.core.ids import new_id
from headwater.core.states import State, StateType
from headwater.engine.background.submit import background_key

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.engine.background.reporting import EndReporter
    from headwater.engine.tasks import Task
    from headwater.orchestrator.base import Orchestrator

__all__ = ["TaskWorker"]

_CLAIM_WAIT_SECONDS = 1.0  # one claim waits this long for work: the bound on noticing stop()
_GATHER_SECONDS = 0.002  # with half the slots free, wait at most this for the rest before claiming


class TaskWorker:
    """Serves tasks: runs their background task runs (`task.delay(...)`) as they arrive.

    Args:
        *tasks: the tasks to serve (the same functions the callers delay).
        limit: how many runs at once (default 10; None: 100).

    Raises:
        TypeError: something that is not a task was given.

    Example:
        >>> worker = TaskWorker(add, limit=4)
        >>> worker.start(timeout=60)  # or: headwater.task_worker.serve(add)
    """

    def __init__(self, *tasks: Task[..., Any], limit: int | None = 10) -> None:
        from headwater.engine.tasks import Task

        for item in tasks:
            if not isinstance(item, Task):
                raise TypeError(f"TaskWorker serves tasks (functions decorated with @task), not {item!r}")
        if limit is not None and limit < 1:
            raise ValueError(f"limit must be at least 1 (or None), not {limit}")
        self.tasks: list[Task[..., Any]] = list(tasks)
        self._by_key = {background_key(t): t for t in tasks}
        self.task_keys = sorted(self._by_key)
        self.limit = limit
        self._slots = limit if limit is not None else 100
        self.name = f"task-worker-{socket.gethostname()}-{os.getpid()}-{new_id()[-6:]}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._free = threading.Condition(self._lock)
        self._running: dict[str, ClaimedBackgroundRun] = {}
        self._reporter: EndReporter | None = None
        self.finished = 0
        self.started_at: float | None = None
        self._transport: Transport | None = None
        self._orchestrator: Orchestrator | None = None

    # -- life ------------------------------------------------------------------------
    def start(self, timeout: float | None = None) -> Any:
        """Serve until `stop()` (or Ctrl-C, or `timeout` seconds), then finish the runs in
        progress and report them. Called in async code it returns `astart(timeout)` to
        await, as Prefect's does."""
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.run(timeout)
        return self.astart(timeout)

    async def astart(self, timeout: float | None = None) -> None:
        """`start()` for async code: served in a thread, so the event loop stays free;
        cancelling it stops the worker (after the runs in progress)."""
        import asyncio

        try:
            await asyncio.to_thread(self.run, timeout)
        except asyncio.CancelledError:
            self.stop()
            raise

    def run(self, timeout: float | None = None) -> None:
        """Serve in this thread (what `start()` does outside async code)."""
        from concurrent.futures import ThreadPoolExecutor

        from headwater.client.kept import kept_client
        from headwater.core.settings import get_settings
        from headwater.engine.background.reporting import EndReporter
        from headwater.engine.startup import orchestrator_for_new_run

        settings = get_settings()
        lease = settings.task_worker_lease_seconds
        self._transport = transport = kept_client().transport
        self._orchestrator = orchestrator_for_new_run()
        self.started_at = time.time()
        deadline = None if timeout is None else time.monotonic() + timeout
        self._reporter = ends = EndReporter(self.name, transport, self._orchestrator, lambda: self._heartbeat(lease))
        self._heartbeat(lease)
        reporter = threading.Thread(target=ends.run, args=(lease,), name="headwater-task-worker-reporter",
                                    daemon=True)
        reporter.start()
        pool = ThreadPoolExecutor(self._slots, thread_name_prefix="headwater-task-run")
        try:
            while not self._stop.is_set():
                with self._free:
                    # Claim when half the slots are free (or all): one claim for many runs,
                    # not one write per run that ends.
                    while (len(self._running) > self._slots // 2 or len(self._running) >= self._slots) \
                            and not self._stop.is_set():
                        self._free.wait(0.5)
                    # Runs just handed to the pool may end within a moment (trivial tasks):
                    # waiting that moment for them makes the claim twice as big.
                    self._free.wait_for(lambda: not self._running or self._stop.is_set(), _GATHER_SECONDS)
                    free = self._slots - len(self._running)
                left = None if deadline is None else deadline - time.monotonic()
                if self._stop.is_set() or (left is not None and left <= 0):
                    break
                wait = _CLAIM_WAIT_SECONDS if left is None else min(_CLAIM_WAIT_SECONDS, left)
                # While the queue is busy, a claim that does not wait carries the ends so far;
                # otherwise it would only look, as the waiting claim does first anyway (one
                # request and one read more per run when runs trickle in, as from `delay()`).
                claimed = self._claim(transport, free, lease, 0.0) if self._reporter.busy else []
                if not claimed:  # nothing queued: wait for work (the reporter reports ends meanwhile)
                    claimed = self._claim(transport, free, lease, wait)
                for run in claimed:
                    with self._lock:
                        self._running[run.task_run_id] = run
                    pool.submit(self._execute, run)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop.set()
            ends.claiming(False)  # no more claims: the reporter reports what ends from now on
            pool.shutdown(wait=True)
            ends.stop()
            reporter.join()
            self._heartbeat(lease, stopping=True)

    def stop(self) -> None:
        """Stop claiming; `run()` returns once the runs in progress are done."""
        self._stop.set()
        with self._free:
            self._free.notify_all()

    async def astop(self) -> None:
        """`stop()` for async code."""
        self.stop()

    @property
    def started(self) -> bool:
        """Whether it is serving."""
        return self.started_at is not None and not self._stop.is_set()

    @property
    def current_tasks(self) -> int:
        """How many runs it is running."""
        return len(self._running)

    @property
    def available_tasks(self) -> int:
        """How many more runs it could take now."""
        return self._slots - len(self._running)

    @property
    def client_id(self) -> str:
        """`host-pid`, as Prefect names a task worker's client."""
        return f"{socket.gethostname()}-{os.getpid()}"

    async def __aenter__(self) -> TaskWorker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop()

    def _claim(self, transport: Transport, free: int, lease: float, wait: float) -> list[ClaimedBackgroundRun]:
        """One claim of up to `free` runs. While the queue is busy (the last claim got all
        it asked for), claims follow each other closely: each carries the
        ends so far, and the reporter leaves them to it. Otherwise (runs trickling in) the
        reporter sends the ends in batches, and claims do not write them one by one."""
        assert self._orchestrator is not None and self._reporter is not None
        reporter = self._reporter
        carry = wait <= 0 and reporter.busy
        reporter.claiming(carry)
        claimed: list[ClaimedBackgroundRun] = []
        try:
            ended = reporter.take() if carry else []
            if ended:  # history first: a waiter that sees the end sees the run
                self._orchestrator.flush(timeout=30)
            try:
                claimed = transport.claim_background_task_runs(BackgroundClaimRequest(
                    worker=self.name, task_keys=self.task_keys, limit=free, lease_seconds=lease,
                    wait_seconds=wait, ended=ended))
            except Exception:
                reporter.give_back(ended)  # the reporter sends them again
                raise
            return claimed
        finally:
            reporter.claiming(len(claimed) >= free)  # a full batch, even after a wait: a backlog

    # -- one run -----------------------------------------------------------------------
    def _execute(self, claimed: ClaimedBackgroundRun) -> None:
        from headwater.engine.background.storage import pack_outcome

        try:
            state = self._run_task(claimed)
        except BaseException as exc:  # nothing may leave a claimed run without an end
            message = f"the task worker could not run it: {type(exc).__name__}: {exc}"
            state = State(StateType.FAILED, None, message, exc)
            self._emit_state(claimed.task_run_id, state)
        failed = state.type is not StateType.COMPLETED
        try:
            value = state.result_sync(raise_on_failure=False) if not failed else state.exception()
        except Exception as exc:
            failed, value = True, exc
        outcome = None
        try:
            outcome = pack_outcome(claimed.storage, claimed.task_run_id, failed, value)
        except Exception as exc:  # the storage cannot be written: the waiter learns from the state's message
            state = state.copy(message=f"{state.message or ''} (its result could not be stored: {exc})".strip())
        end = BackgroundRunEnd(task_run_id=claimed.task_run_id, state_type=state.type.value, state_name=state.name,
                               state_message=state.message, outcome=outcome)
        assert self._reporter is not None
        self._reporter.ended(end)  # before the slot frees: the claim it lets start carries it
        with self._free:
            self._running.pop(claimed.task_run_id, None)
            self.finished += 1
            self._free.notify()

    def _run_task(self, claimed: ClaimedBackgroundRun) -> State[Any]:
        from headwater.engine.background.futures import BackgroundFuture
        from headwater.engine.background.storage import unpack_parameters
        from headwater.engine.drivers import run_sync
        from headwater.engine.task_runs import TaskRun
        from headwater.utilities.callables import parameters_to_args_kwargs

        assert self._orchestrator is not None
        task = self._by_key[claimed.task_key]
        parameters, awaited = unpack_parameters(claimed.storage, claimed.task_run_id, claimed.parameters)
        args, kwargs = parameters_to_args_kwargs(task.fn, parameters)
        run = TaskRun(task, args, kwargs, None, self._orchestrator)
        run.id = claimed.task_run_id
        run.name = claimed.name
        run.label = f"Task run {claimed.name!r}"
        run.announced = True  # queued by delay(): its task run exists, SCHEDULED
        run.state = State(StateType.SCHEDULED)
        run.run_count = claimed.run_count  # attempts a dead worker made count against retries
        if awaited:
            # Background futures answer what the engine asks of a dependency (final_state, name).
            run.dependencies = [BackgroundFuture(i) for i in awaited]  # type: ignore[misc]  # duck-typed dependency
            run.resolve_inputs = True
        run.set_state(State(StateType.PENDING))
        if task.isasync:
            import asyncio

            from headwater.engine.drivers import run_async

            return asyncio.run(run_async(run))
        return run_sync(run)

    def _emit_state(self, task_run_id: str, state: State[Any]) -> None:
        from headwater.orchestrator.records import StateChanged

        assert self._orchestrator is not None
        self._orchestrator.emit(StateChanged(task_run_id, True, state.type.value, state.name, state.message,
                                             state.ts, None))

    # -- heartbeat --------------------------------------------------------------------------
    def _heartbeat(self, lease: float, *, stopping: bool = False) -> None:
        import logging

        assert self._transport is not None
        with self._lock:
            running = [*self._running]
        if self._reporter is not None:
            running.extend(self._reporter.unreported())
        try:
            self._transport.task_worker_heartbeat(TaskWorkerHeartbeat(
                worker=self.name, task_keys=self.task_keys, limit=self.limit, host=socket.gethostname(),
                pid=os.getpid(), running=running, lease_seconds=lease, stopping=stopping))
        except Exception:
            logging.getLogger("headwater.task_worker").warning(
                "task worker %s could not heartbeat; its runs return to the queue if this lasts %g s",
                self.name, lease, exc_info=True)

    def status(self) -> dict[str, Any]:
        """What the worker is doing (for its status server)."""
        with self._lock:
            running = sorted(self._running)
        return {"name": self.name, "task_keys": self.task_keys, "limit": self.limit,
                "started": self.started_at, "running": running, "finished": self.finished}
