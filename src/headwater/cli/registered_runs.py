"""`headwater run --name FLOW [--project P]` / `--id ID`: a run of a registered flow (Prefect 1's backend run).

What Prefect 1 calls a flow registered in a project is, here, the deployment that
`flow.register(project_name=P)` made (named after the flow) or `headwater deploy`
made. This module finds it, creates a flow run of it through the control plane, and
then, as Prefect 1's `prefect run` does:

- by default, leaves the run to a worker of its pool (`headwater agent local start`)
  and exits 0 once it is created;
- with `--watch`, follows it to its end: state changes and log lines, exit 0 if it
  Completed and 1 otherwise;
- with `--execute`, runs it in a child process of this command, as a worker would
  (`python -m headwater.worker.child`), so no worker is needed.

A run taken with `--execute` is first moved to Pending, which no worker claims; the
state history then says whether a worker claimed it in the instant before (its claim
leaves a Pending state naming the worker), in which case this command follows that
worker's run instead of running it a second time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer

from headwater.cli._control import open_control
from headwater.client.registered_flows import find_registered_flow
from headwater.exceptions import HeadwaterError, ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.deployment_schemas import DeploymentInfo
    from headwater.core.schemas import FlowRunInfo

__all__ = ["RegisteredRun"]

_FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
_POLL_S = 0.3
_NO_WORKER_WARNING_S = 15.0  # as long as Prefect 1 waits before saying no agent took the run
_NO_WORKER_REPEAT_S = 30.0
# Idempotency keys become run ids (a re-sent create returns the run that exists); one namespace for them.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c1e0a-52f4-4d49-9d2a-2f3e8f7d1c11")


class RegisteredRun:
    """One `headwater run` of a registered flow: find it, create the run, then leave, watch or execute.

    Args:
        quiet: print only the flow run's id (and, when followed, its log lines).
        no_logs: when following the run, print its state changes but not its log lines.
        log_level: with `--execute`, the level of the run's logs (HEADWATER_LOGGING_LEVEL).
    """

    def __init__(self, *, quiet: bool, no_logs: bool, log_level: str | None) -> None:
        self.quiet = quiet
        self.no_logs = no_logs
        self.log_level = log_level

    def say(self, text: str, *, nl: bool = True) -> None:
        """Print a progress line unless --quiet."""
        if not self.quiet:
            typer.echo(text, nl=nl)

    @contextlib.contextmanager
    def step(self, text: str) -> Iterator[None]:
        """`text... Done`, or `text... Error` before the error is reported."""
        self.say(text, nl=False)
        try:
            yield
        except BaseException:
            self.say(" Error")
            raise
        self.say(" Done")

    def run(self, *, name: str | None, project: str | None, ref: str | None, params: list[str],
            file_params: dict[str, Any], labels: list[str], run_name: str | None, idempotency_key: str | None,
            execute: bool, watch: bool) -> int:
        """Create the run, then leave it to a worker, watch it, or execute it; the exit code."""
        from headwater.core.deployment_schemas import DeploymentRunCreate

        if self.log_level is not None and not execute:
            raise typer.BadParameter("--log-level applies to runs in this process (--execute, or a flow from a file); "
                                     "a worker's runs log at the worker's HEADWATER_LOGGING_LEVEL",
                                     param_hint="--log-level")
        with open_control() as control:
            with self.step("Looking up flow metadata..."):
                deployment = find_registered_flow(control, name=name, project=project, ref=ref)
            given = _parameters(params, deployment.parameter_schema)
            overlap = sorted(set(file_params) & set(given))
            if overlap:
                self.say(f"The parameters {', '.join(overlap)} are in the file and given with --param; --param wins.")
            run_id = None
            existing = None
            if idempotency_key is not None:
                run_id = str(uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{deployment.id}\n{idempotency_key}"))
                with contextlib.suppress(ObjectNotFound):
                    existing = control.read_flow_run(run_id)
            if existing is not None and execute:
                raise HeadwaterError(f"flow run {existing.name!r} ({existing.id}) was created with idempotency key "
                                     f"{idempotency_key!r} already ({existing.state.name if existing.state else '?'}); "
                                     "it is not run a second time")
            with self.step(f"Creating run for flow {deployment.flow_name!r}..."):
                run = existing or control.create_deployment_run(deployment.id, DeploymentRunCreate(
                    parameters={**file_params, **given}, name=run_name, tags=labels, id=run_id))
            if self.quiet:
                typer.echo(run.id)
            self._describe(run, existing is not None)
            if execute:
                if self._take(control, run):
                    return self._execute(control, deployment, run)
                self.say("A worker claimed this flow run first; following it there...")
            elif not watch:
                if not self.quiet and deployment.work_pool_name is not None:
                    self.say(f"A worker of work pool {deployment.work_pool_name!r} runs it (start one with `headwater "
                             f"agent local start`); follow it with `headwater flow-run logs {run.id}`.")
                return 0
            return self._watch(control, run)

    def _describe(self, run: FlowRunInfo, existed: bool) -> None:
        from headwater.core.settings import get_settings

        api_url = get_settings().api_url
        where = f"{api_url.rstrip('/').removesuffix('/api')}/flow-runs/{run.id}" if api_url else \
            f"`headwater flow-run inspect {run.id}`"
        if existed:
            self.say("A flow run with this idempotency key exists already; it is not created again.")
        for label, value in (("Name", run.name), ("UUID", run.id), ("Labels", run.tags),
                             ("Parameters", run.parameters), ("URL", where)):
            self.say(f"└── {label}: {value}")

    # -- --execute ---------------------------------------------------------------------------
    def _take(self, control: Transport, run: FlowRunInfo) -> bool:
        """Move the new run to Pending, which no worker claims; False if a worker claimed it first."""
        from headwater.core.api_schemas import StateCreate
        from headwater.core.states import StateType

        current = control.read_flow_run(run.id).state
        if current is None or current.type != "SCHEDULED":
            return False
        control.set_flow_run_state(run.id, StateCreate(
            type=StateType.PENDING, message=f"taken by `headwater run --execute` (process {os.getpid()}) to run there",
            details={"agentless": os.getpid()}))
        return not any((s.details or {}).get("worker") for s in control.read_flow_run_states(run.id))

    def _execute(self, control: Transport, deployment: DeploymentInfo, run: FlowRunInfo) -> int:
        """Run it as a worker would, in a child process; the exit code from its final state."""
        from headwater.core.deployment_schemas import CrashReport
        from headwater.worker.process import describe_exit

        self.say("Executing flow run...")
        env = dict(os.environ, HEADWATER_FLOW_RUN_ID=run.id)
        if self.log_level is not None:
            env["HEADWATER_LOGGING_LEVEL"] = self.log_level
        if self.quiet or self.no_logs:
            env["HEADWATER_LOGGING_TO_CONSOLE"] = "false"
        payload = {"entrypoint": deployment.entrypoint, "parameters": run.parameters, "flow_run_name": run.name,
                   "scheduled_time": 0, "run_count": run.run_count}
        # Its own session: Ctrl+C reaches this command, which then cancels the run (as a worker would).
        child = subprocess.Popen([sys.executable, "-m", "headwater.worker.child"], stdin=subprocess.PIPE, env=env,
                                 start_new_session=True)
        assert child.stdin is not None
        stopped = False
        try:
            child.stdin.write((json.dumps(payload) + "\n").encode())
            child.stdin.flush()
            code = child.wait()
        except KeyboardInterrupt:
            self.say("Keyboard interrupt detected! Cancelling the flow run...")
            stopped = True
            with contextlib.suppress(OSError):
                child.stdin.write(b"cancel\n")
                child.stdin.flush()
                child.terminate()
            code = child.wait()
        finally:
            with contextlib.suppress(OSError):
                child.stdin.close()
        if code != 0:
            # Recorded by the run's engine already unless its process died first; then Crashed, not retried.
            control.crash_flow_run(CrashReport(
                flow_run_id=run.id, retry=False,
                message=f"the process of `headwater run --execute` ended before the run finished ({describe_exit(code)})"
                + ("; the command was interrupted" if stopped else "")))
        return self._outcome(control, run)

    # -- --watch ---------------------------------------------------------------------------
    def _watch(self, control: Transport, run: FlowRunInfo) -> int:
        """Print its state changes and log lines until it ends; 0 if it Completed."""
        from headwater.cli._control import RunHistory

        self.say("Watching flow run execution...")
        history = RunHistory(control)
        printed_logs = printed_states = 0
        started = time.monotonic()
        next_warning = started + _NO_WORKER_WARNING_S
        while True:
            current = history.read_flow_run(run.id)
            state = current.state
            final = state is not None and state.type in _FINAL
            states = history.read_states(run.id)
            # States and log lines in the order they happened, as one stream.
            lines = [(s.timestamp, logging.INFO, f"Entered state <{s.name}>" + (f": {s.message}" if s.message else ""))
                     for s in states[printed_states:] if not self.quiet]
            printed_states = len(states)
            if not self.no_logs:
                logs = list(history.iter_logs(flow_run_id=run.id, offset=printed_logs, limit=None if final else 1000))
                printed_logs += len(logs)
                lines += [(line.timestamp, line.level, line.message) for line in logs]
            for moment_, level, text in sorted(lines, key=lambda line: line[0]):
                typer.echo(_line(moment_, level, text))
            if final:
                return self._outcome(control, run)
            moment = time.monotonic()
            if state is not None and state.type == "SCHEDULED" and moment >= next_warning:
                next_warning = moment + _NO_WORKER_REPEAT_S
                self.say(f"It has been {moment - started:.0f} seconds and no worker has taken this flow run; start one "
                         "with `headwater agent local start` (or run it here with `headwater run ... --execute`).")
            time.sleep(_POLL_S)

    def _outcome(self, control: Transport, run: FlowRunInfo) -> int:
        state = control.read_flow_run(run.id).state
        if state is not None and state.type == "COMPLETED":
            self.say("Flow run succeeded!")
            return 0
        if state is not None and state.type in ("FAILED", "CRASHED"):
            self.say("Flow run failed!" + (f" {state.name}: {state.message}" if state.message else ""))
            return 1
        self.say(f"Flow run is in unexpected state: {state.name if state else 'none'}")
        return 1


def _line(moment: Any, level: int, message: str) -> str:
    return f"└── {moment.astimezone():%H:%M:%S} | {logging.getLevelName(level):<7} | {message}"


def _parameters(pairs: list[str], schema: dict[str, Any] | None) -> dict[str, Any]:
    """`--param key=value` pairs; values are JSON, or text as typed for string parameters."""
    from headwater.cli._input import parse_pairs

    properties = (schema or {}).get("properties", {})
    return parse_pairs(pairs, lambda key: properties.get(key, {}).get("type") == "string")
