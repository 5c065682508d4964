"""The process a worker starts for one flow run: `python -m headwater.worker.child`.

It reads the flow run's id from `HEADWATER_FLOW_RUN_ID` (once, here) and the rest
(entrypoint, parameters, due time) from the first line of stdin, loads the flow,
waits until the run is due, and runs it *as that flow run*: the id is handed to the
engine through `headwater.engine.context.adopted_flow_run_var`, so history, logs and
heartbeats land on the run the server created.

Talking to the worker:

- stdin stays open; a line "cancel" (then SIGTERM) means the run was cancelled: the
  flow stops where it is, starts no new task, and its final state is Cancelled;
- SIGTERM alone means stop (Crashed, "aborted by a termination signal");
- stdin reaching end-of-file means the worker died: the run stops and ends Crashed,
  saying so, so that its slot comes back; then this process ends its process group
  (the subprocesses the flow started), SIGTERM then SIGKILL, as the worker would have.

Retries are one budget across processes: a run retried after its process died
(`run_count` attempts used already, told in the payload) keeps only the flow's
`retries` left for retrying failures in this process.

Before loading the flow, the run's pull steps (if its deployment has any: a git
checkout, a directory) run here, in the process's working directory (the
`working_dir` job variable, else the worker's); the entrypoint is loaded from the
directory they give.

Exit status: 0 the run completed, 1 it did not (Failed, Crashed, Cancelled), 2 the
flow could not be fetched or loaded (the run is marked Failed with the reason).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

from headwater.exceptions import CancellationSignal, Pause, TerminationSignal
from headwater.orchestrator.records import StateChanged

__all__ = ["main"]

_REASON_WAIT_S = 0.5
_EXIT_AFTER_STOP_S = 10.0
_GROUP_GRACE_S = 1.0  # the flow's subprocesses' time to end on SIGTERM when the worker is gone
_MAX_EARLY_S = 3600.0  # a due time further ahead than this is a clock problem, not a plan
_WORKER_API_BUFFER_S = 900.0


class _StopReason:
    """Why the run is being stopped, told by the worker over stdin (or its death)."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.known = threading.Event()
        self.signalled = threading.Event()

    def set(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        self.known.set()


def _watch_stdin(stop: _StopReason) -> None:
    """Read the worker's lines; end of file means the worker is gone."""
    for line in sys.stdin:
        word = line.strip()
        if word in ("cancel", "shutdown"):
            stop.set(word)
    stop.set("worker-died")
    if stop.reason == "worker-died":
        os.kill(os.getpid(), signal.SIGTERM)
        # A flow that ignores the interruption is not left running without its worker.
        threading.Timer(_EXIT_AFTER_STOP_S, _end_group_and_exit, args=(0.0,)).start()


def _end_group_and_exit(grace: float) -> None:
    """Without a worker to do it: SIGTERM this process's group (the flow's own
    subprocesses; this process ignores it by now), SIGKILL after `grace` seconds, and
    exit. Only when this process leads its group, as the worker starts it."""
    group = os.getpgrp()
    if group == os.getpid():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            os.killpg(group, signal.SIGTERM)
            time.sleep(grace)
            os.killpg(group, signal.SIGKILL)  # this process too: the end of it
        except OSError:
            pass
    os._exit(1)


_STOP_MESSAGES = {
    "worker-died": "the worker running this flow run stopped (its process died or was killed); the run was interrupted",
    "shutdown": "the worker running this flow run was shut down; the run was interrupted",
}


def _install_sigterm(stop: _StopReason) -> None:
    def terminate(signum: int, frame: Any) -> None:
        stop.signalled.set()
        stop.known.wait(_REASON_WAIT_S)  # the worker writes the reason just before it signals
        if stop.reason == "cancel":
            raise CancellationSignal("cancelled: the worker stopped the flow run's process on request")
        raise TerminationSignal(_STOP_MESSAGES.get(stop.reason or "", "SIGTERM"))

    signal.signal(signal.SIGTERM, terminate)


def _record_failure(flow_run_id: str, message: str) -> None:
    from headwater.core import clock
    from headwater.orchestrator import get_orchestrator

    orchestrator = get_orchestrator()
    orchestrator.emit(StateChanged(flow_run_id, False, "FAILED", "Failed", message, clock.now(), None))
    orchestrator.flush(timeout=30)


def _with_retries_left(flow: Any, attempts_used: int) -> Any:
    """The flow with its `retries` less the attempts earlier processes used (see the module docstring)."""
    retries = getattr(getattr(flow, "options", None), "retries", 0) or 0
    if attempts_used <= 0 or retries <= 0:
        return flow
    return flow.with_options(retries=max(0, retries - attempts_used))


def _keep_history_longer() -> None:
    """Buffer history for `_WORKER_API_BUFFER_S` while the server is away, unless the
    user set HEADWATER_API_BUFFER_SECONDS: nobody waits at a terminal for a worker's run
    to exit, and its history is the only account of it (the default minute suits a
    script run by hand, which should not hang long at exit)."""
    from headwater.core.settings import get_settings, reset_settings

    settings = get_settings()
    if "api_buffer_seconds" not in settings.model_fields_set:
        reset_settings(settings.model_copy(update={"api_buffer_seconds": _WORKER_API_BUFFER_S}))


_T = TypeVar("_T")


async def _awaited(awaitable: Awaitable[_T]) -> _T:
    """`asyncio.run` takes a coroutine; an async flow's call gives an awaitable."""
    return await awaitable


def run(flow_run_id: str, payload: dict[str, Any]) -> int:
    """Load the flow, wait until due, run it as `flow_run_id`; the exit status."""
    from headwater.engine.context import adopted_flow_run_var
    from headwater.engine.deployments import in_worker_child
    from headwater.deployments.steps import StepError
    from headwater.deployments.templating import TemplateError
    from headwater.engine.code_source import load_flow_after_pull_steps
    from headwater.engine.entrypoints import EntrypointError
    from headwater.engine.startup import orchestrator_for_new_run
    from headwater.runner.git import GitError
    from headwater.runtime.deployment import record_deployment
    from headwater.runtime.flow_run import record_job_variables

    in_worker_child(True)  # loading the file must not register or serve the flow again
    try:
        # Pull steps first (a git checkout of the branch's commit now), then the flow from there.
        flow = load_flow_after_pull_steps(payload["entrypoint"], payload.get("pull_steps"))
    except (EntrypointError, StepError, TemplateError, GitError) as exc:
        sys.stderr.write(f"headwater worker: cannot load the flow of this run: {exc}\n")
        _record_failure(flow_run_id, f"cannot load the flow {payload['entrypoint']!r}: {exc}")
        return 2
    flow = _with_retries_left(flow, int(payload.get("run_count") or 0))
    _keep_history_longer()
    orchestrator_for_new_run()
    wait = float(payload.get("scheduled_time") or 0) - time.time()
    if wait > 0:
        time.sleep(min(wait, _MAX_EARLY_S))  # claimed ahead: the flow is loaded, now start on time
    name = payload.get("flow_run_name") or None  # None: the engine names the run
    adopted_flow_run_var.set((flow_run_id, name))
    record_job_variables(flow_run_id, payload.get("run_job_variables") or {})
    record_deployment(flow_run_id, payload.get("deployment_id"), payload.get("deployment_name"))
    state = flow(**payload.get("parameters", {}), return_state=True)
    if inspect.isawaitable(state):  # an async flow
        state = asyncio.run(_awaited(state))
    return 0 if state.is_completed() else 1


def main() -> None:
    """Entry point of the child process (see the module docstring)."""
    flow_run_id = os.environ.get("HEADWATER_FLOW_RUN_ID", "")
    line = sys.stdin.readline()
    if not flow_run_id or not line:
        sys.stderr.write("headwater worker child: started without a flow run (HEADWATER_FLOW_RUN_ID and the payload "
                         "on stdin); it is started by `headwater worker start`\n")
        sys.exit(2)
    payload = json.loads(line)
    stop = _StopReason()
    _install_sigterm(stop)
    threading.Thread(target=_watch_stdin, args=(stop,), name="headwater-worker-pipe", daemon=True).start()
    code = 1
    try:
        code = run(flow_run_id, payload)
    except Pause:
        code = 0  # suspended (suspend_flow_run): the run is resumed later, by a new process
    except (TerminationSignal, CancellationSignal, KeyboardInterrupt):
        code = 1
    except Exception as exc:  # the engine records the run's failure; this is only the process's status
        sys.stderr.write(f"headwater worker child: {type(exc).__name__}: {exc}\n")
        code = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if stop.signalled.is_set():
        # Stopped: send what is recorded, then leave without waiting for task threads
        # still running (they would start nothing new, but could take long).
        from headwater.orchestrator import get_orchestrator

        get_orchestrator().flush(timeout=_EXIT_AFTER_STOP_S)
        if stop.reason == "worker-died":
            _end_group_and_exit(_GROUP_GRACE_S)
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
