"""`Worker`: polls for due flow runs, runs each in its own process, reports how it ended.

One loop, every `poll_interval` seconds:

1. reap the processes that exited: a run whose process died before its engine
   recorded a final state is reported Crashed with the exit status, and the server
   (or the database) schedules it again while its deployment's `retries` last
   (`store/workers.py` `crash_run` decides, for every worker alike); a cancelled one
   is marked Cancelled;
2. heartbeat (every `heartbeat_interval`): the server learns the worker is alive and
   answers which of its runs were cancelled; those get SIGTERM, then SIGKILL after
   `cancel_grace_seconds`;
3. claim as many due runs as there is room for (`limit`), up to `prefetch_seconds`
   ahead: the process starts and loads the flow now, and begins the run on time.

When the server cannot be reached the loop logs it once, keeps its processes (their
engines buffer history themselves), and tries again each pass; what it could not
report is reported when the server is back. Stopping the worker (Ctrl+C) stops its
runs: they end Crashed, saying the worker was shut down.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.core.api_schemas import StateCreate
from headwater.core.deployment_schemas import ClaimedRun, ClaimRequest, CrashReport, WorkerHeartbeat
from headwater.core.states import StateType
from headwater.exceptions import HeadwaterError, InvalidStateTransition, ObjectNotFound, StoreError
from headwater.worker.process import describe_exit
from headwater.worker.types import Job, JobPreparationError, worker_type_for

if TYPE_CHECKING:
    from headwater.client.transport import Transport

__all__ = ["Worker", "show_worker_logs"]

log = logging.getLogger("headwater.worker")

_T = TypeVar("_T")


def show_worker_logs(level: int = logging.INFO) -> None:
    """Print the worker's own log lines (runs started, cancelled, crashed) on stderr."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d | %(levelname)-7s | %(message)s",
                                               datefmt="%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(level)
        log.propagate = False


class Worker:
    """Runs the flow runs of a work pool (or of some deployments, for `serve`).

    Args:
        control: the control plane: the client's transport to the server or the database
            (`headwater.client.transport.open_transport`).
        name: the worker's name, unique within its pool.
        work_pool_name: the pool to take runs from.
        deployment_ids: or: the deployments to take runs of (`flow.serve()`).
        limit: most runs at once (None: no limit).
        poll_interval: seconds between claims.
        heartbeat_interval: seconds between heartbeats (cancellations are noticed then).
        prefetch_seconds: claim runs due this far ahead, so they start on time.
        cancel_grace_seconds: after SIGTERM, how long a cancelled run's process has
            before SIGKILL.
        run_scheduler: also create scheduled runs (when there is no server to).
        env: the environment of the run processes (default: this process's).

    What a run is started as is the pool type's business (`headwater.worker.types`):
    the worker reads its pool's type and base job template, fills in each run's job
    variables and hands the result to the type to prepare and start.
    """

    def __init__(self, control: Transport, *, name: str | None = None, work_pool_name: str | None = None,
                 deployment_ids: Sequence[str] = (), limit: int | None = None, poll_interval: float = 0.5,
                 heartbeat_interval: float = 2.0, prefetch_seconds: float = 5.0, cancel_grace_seconds: float = 10.0,
                 run_scheduler: bool = False, scheduler_interval: float = 5.0,
                 env: dict[str, str] | None = None) -> None:
        self.control = control
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.work_pool_name = work_pool_name
        self.deployment_ids = list(deployment_ids)
        self.limit = limit
        self.poll_interval = poll_interval
        self.heartbeat_interval = heartbeat_interval
        self.prefetch_seconds = prefetch_seconds
        self.cancel_grace_seconds = cancel_grace_seconds
        self.run_scheduler = run_scheduler
        self.scheduler_interval = scheduler_interval
        self.env = dict(os.environ if env is None else env)
        self.worker_id: str | None = None
        self.processes: dict[str, Job] = {}
        self._pool_type = "process"
        self._template: dict[str, Any] | None = None  # None: the type's default (`serve`: process)
        self.started_runs = 0
        self._reports: list[CrashReport | tuple[str, str]] = []  # crashes, and (run id, message) cancellations
        self._stop = threading.Event()
        self._last_heartbeat = -1e9
        self._last_schedule = -1e9
        self._unreachable_since: float | None = None

    # -- life ------------------------------------------------------------------------

    def register(self) -> None:
        """The first heartbeat: checks the pool exists and the server answers.

        Raises:
            ObjectNotFound: the pool does not exist (the message says how to create it).
            StoreError: the server or database cannot be reached.
            ConfigurationError: the server refused the API key.
        """
        self._heartbeat(time.monotonic(), raise_errors=True)

    def stop(self) -> None:
        """Ask the loop to end (from another thread or a signal handler)."""
        self._stop.set()

    def run(self, *, until: float | None = None) -> None:
        """Run the loop until `stop()` (or the monotonic time `until`), then stop the runs.

        Raises:
            ObjectNotFound, StoreError, ConfigurationError: as `register`.
        """
        if self.worker_id is None and self.work_pool_name is not None:
            self.register()
        try:
            while not self._stop.is_set() and (until is None or time.monotonic() < until):
                self.run_once()
                self._stop.wait(self.poll_interval)
        finally:
            self.shutdown()

    def run_once(self) -> None:
        """One pass of the loop (see the module docstring)."""
        now = time.monotonic()
        self._reap(now)
        if now - self._last_heartbeat >= self.heartbeat_interval:
            self._heartbeat(now)
        if self.run_scheduler and now - self._last_schedule >= self.scheduler_interval:
            self._last_schedule = now
            self._call(lambda: self.control.scheduler_pass(time.time()))
        self._claim()
        self._send_reports()

    def drain(self, timeout: float | None = None) -> bool:
        """Claim nothing more; keep reaping, heartbeating and reporting until every run
        this worker started has ended (or `timeout`). Whether they all ended."""
        self._stop.set()
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.processes and (deadline is None or time.monotonic() < deadline):
            self.run_once()
            if self.processes:
                time.sleep(min(self.poll_interval, 0.1))
        self._send_reports()
        return not self.processes

    def shutdown(self) -> None:
        """Stop the runs still going (Crashed: the worker was shut down) and report them."""
        for process in self.processes.values():
            process.stop("shutdown", self.cancel_grace_seconds)
        deadline = time.monotonic() + self.cancel_grace_seconds + 5
        while self.processes and time.monotonic() < deadline:
            now = time.monotonic()
            for process in self.processes.values():
                process.kill_if_overdue(now)
            self._reap(now)
            if self.processes:
                time.sleep(0.05)
        self._send_reports()

    # -- the steps -------------------------------------------------------------------

    def _call(self, action: Callable[[], _T], raise_errors: bool = False) -> _T | None:
        """Call the control plane; an unreachable server is logged once and retried next pass."""
        try:
            result = action()
        except StoreError as exc:
            if raise_errors:
                raise
            if self._unreachable_since is None:
                self._unreachable_since = time.monotonic()
                log.warning("worker %s: %s; keeping %d run(s) going and retrying", self.name, exc,
                            len(self.processes))
            return None
        if self._unreachable_since is not None:
            log.warning("worker %s: the server is reachable again (after %.0f s)", self.name,
                        time.monotonic() - self._unreachable_since)
            self._unreachable_since = None
        return result

    def _heartbeat(self, now: float, raise_errors: bool = False) -> None:
        body = WorkerHeartbeat(name=self.name, work_pool_name=self.work_pool_name,
                               deployment_ids=self.deployment_ids, limit=self.limit, host=socket.gethostname(),
                               pid=os.getpid(), running=sorted(self.processes))
        reply = self._call(lambda: self.control.worker_heartbeat(body), raise_errors)
        if reply is None:
            return
        self._last_heartbeat = now
        self.worker_id = reply.worker_id or self.worker_id
        for flow_run_id in reply.cancel:
            process = self.processes.get(flow_run_id)
            if process is not None and process.stop_reason is None:
                log.info("worker %s: cancelling flow run %s (SIGTERM, SIGKILL after %g s)", self.name,
                         flow_run_id, self.cancel_grace_seconds)
                process.stop("cancel", self.cancel_grace_seconds)

    def _room(self) -> int:
        if self._stop.is_set():
            return 0
        if self.limit is None:
            return 50
        return max(0, self.limit - len(self.processes))

    def _claim(self) -> None:
        room = self._room()
        if room <= 0 or (self.work_pool_name is None and not self.deployment_ids):
            return
        body = ClaimRequest(worker_id=self.worker_id, work_pool_name=self.work_pool_name,
                            deployment_ids=self.deployment_ids, limit=room, prefetch_seconds=self.prefetch_seconds)
        try:
            claimed = self._call(lambda: self.control.claim_runs(body))
        except ObjectNotFound as exc:
            log.error("worker %s: %s", self.name, exc)
            return
        if claimed:
            self._read_pool()
        for run in claimed or ():
            try:
                self.processes[run.flow_run_id] = self._start(run)
            except JobPreparationError as exc:
                self._report(CrashReport(flow_run_id=run.flow_run_id, claimed_start=run.scheduled_time, retry=False,
                                         message=f"the worker could not prepare this flow run's job: {exc}"))
                continue
            except OSError as exc:
                self._report(CrashReport(flow_run_id=run.flow_run_id, claimed_start=run.scheduled_time,
                                         message=f"the worker could not start a process for this flow run: {exc}"))
                continue
            self.started_runs += 1
            log.info("worker %s: started flow run %s (%s/%s) in process %d", self.name, run.flow_run_id,
                     run.flow_name, run.deployment_name, self.processes[run.flow_run_id].pid)

    def _read_pool(self) -> None:
        """The pool's type and template as they are now (changes apply to the next runs)."""
        if self.work_pool_name is None:
            return
        pool = self._call(lambda: self.control.read_work_pool(self.work_pool_name or ""))
        if pool is not None:
            self._pool_type, self._template = pool.type, pool.base_job_template or None

    def _start(self, run: ClaimedRun) -> Job:
        """Prepare the run's job from the pool's template and its job variables, and start it."""
        from headwater.core.job_templates import merge_job_variables, render_job_configuration

        kind = worker_type_for(self._pool_type)
        template = self._template or kind.default_base_job_template()
        configuration = render_job_configuration(template, merge_job_variables(template, run.job_variables))
        return kind.start(run, kind.prepare(run, configuration, env=self.env))

    def _reap(self, now: float) -> None:
        for flow_run_id, process in list(self.processes.items()):
            process.kill_if_overdue(now)
            code = process.poll()
            if code is None:
                continue
            del self.processes[flow_run_id]
            process.close()
            self._after_exit(process, code)

    def _after_exit(self, process: Job, code: int) -> None:
        flow_run_id = process.run.flow_run_id
        if process.stop_reason == "cancel":
            self._report((flow_run_id, f"cancelled: the worker stopped the flow run's process ({describe_exit(code)})"))
            return
        if process.stop_reason == "shutdown":
            # A deliberate stop, not a failure of the run's process: not retried.
            message = f"the worker running this flow run was shut down; its process ended ({describe_exit(code)})"
        else:
            message = f"the flow run's process ended before the run finished ({describe_exit(code)})"
        self._report(CrashReport(flow_run_id=flow_run_id, message=message, claimed_start=process.run.scheduled_time,
                                 retry=process.stop_reason is None))

    def _report(self, report: CrashReport | tuple[str, str]) -> None:
        self._reports.append(report)
        self._send_reports()

    def _send_reports(self) -> None:
        """Record the outcomes of exited processes the engine did not record itself."""
        left = []
        for report in self._reports:
            try:
                done = self._call(lambda: self._record(report))
            except HeadwaterError as exc:
                log.warning("worker %s: cannot record the end of flow run %s: %s", self.name,
                            report.flow_run_id if isinstance(report, CrashReport) else report[0], exc)
                continue
            if done is None:
                left.append(report)
        self._reports = left

    def _record(self, report: CrashReport | tuple[str, str]) -> bool:
        if isinstance(report, CrashReport):
            # The server decides: no-op if the engine recorded the end, else Crashed, then
            # scheduled again while the deployment's retries last.
            state = self.control.crash_flow_run(report)
            if state.type == "CRASHED" and state.message == report.message:
                log.warning("worker %s: flow run %s crashed: %s", self.name, report.flow_run_id, report.message)
            elif state.name == "AwaitingRetry" and state.details and state.details.get("after") == "crash":
                log.warning("worker %s: flow run %s crashed (%s); %s", self.name, report.flow_run_id,
                            report.message, state.message.split(":", 1)[0] if state.message else "retrying")
            return True
        flow_run_id, message = report
        current = self.control.read_flow_run(flow_run_id).state
        if current is not None and current.type == "CANCELLED":
            return True  # the engine recorded how it ended
        try:
            self.control.set_flow_run_state(flow_run_id, StateCreate(type=StateType.CANCELLED, message=message),
                                            force=True)
        except InvalidStateTransition:
            pass  # it moved on meanwhile (retried through the API)
        return True
