"""Pausing, suspending and resuming flow runs, as `prefect.flow_runs` does.

    answer = pause_flow_run(wait_for_input=Approval, timeout=600)   # blocks until resumed
    suspend_flow_run(timeout=86400)      # the process leaves; a worker runs the flow again
    resume_flow_run(flow_run_id, run_input={"approved": True})      # from anywhere

A pause proposes a Paused state through the client (`set_flow_run_state`, which follows
Prefect's pause rules, `store/flow_run_input.py`), then, if input is awaited, stores the
input's JSON schema; the process polls its run's state (one cheap read) until it is
RUNNING again, and returns the input. A suspend proposes Suspended and raises `Pause`,
which ends the flow without a final state; resuming schedules the run again and a
worker or `serve` runs the flow from the start, under the same run id. The calls that
ran before are answered from their cached results (the DEFAULT cache policy keys on
the run id, and persisted results are what it reads: `persist_result=True`), and the
`suspend_flow_run` call itself, whose key has fired, returns at once with the input.

Works embedded (another process resumes through the same database file) and through a
server; both are the client's transport.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID, uuid4

from headwater.core.async_dispatch import dispatch
from headwater.core.states import State, StateType
from headwater.exceptions import FlowPauseTimeout, NotPausedError, Pause

__all__ = ["apause_flow_run", "aresume_flow_run", "asuspend_flow_run", "pause_flow_run", "resume_flow_run",
           "suspend_flow_run"]

# A first look soon after pausing, so a quick resume is seen quickly; then less often,
# but at least every second: a look is one read of the run's row, cheap enough that a
# person's resume need not wait out Prefect's default `poll_interval` of 10 s.
_FIRST_LOOK_SECONDS = 0.05
_LONGEST_WAIT_SECONDS = 1.0


def _current_flow_run() -> Any:
    from headwater.engine.context import flow_run_var

    return flow_run_var.get()


def _next_pause_key(run: Any) -> str:
    # Prefect counts the pauses a run has observed: the same call in a flow that runs
    # again (after a suspend) gets the same key, and its pause has fired already.
    count = getattr(run, "observed_pauses", 0) + 1
    run.observed_pauses = count
    return str(count)


def _paused_state(name: str, timeout: float | None, pause_key: str, reschedule: bool,
                  wait_for_input: Any) -> tuple[State[Any], Any, Any]:
    from headwater.states import Paused

    state = Paused(name=name, timeout_seconds=timeout, reschedule=reschedule, pause_key=pause_key)
    details = state.details if state.details is not None else {}
    input_cls = keyset = None
    if wait_for_input is not None:
        from headwater.input.run_input import keyset_from_base_key, run_input_subclass_from_type

        input_cls = run_input_subclass_from_type(wait_for_input)
        keyset = keyset_from_base_key(f"{name.lower()}-{pause_key}")
        details["run_input_keyset"] = keyset
    return state, input_cls, keyset


def _propose(client: Any, flow_run_id: Any, state: State[Any], verb: str) -> Any:
    """The run's state after proposing `state` (Paused, or the state that stays)."""
    result = client.set_flow_run_state(flow_run_id, state)
    status = getattr(result.status, "value", result.status)
    if status == "ABORT":
        reason = (result.details or {}).get("reason", "")
        raise RuntimeError(f"Flow run cannot be {verb}: {reason}")
    if result.state is None:
        return client.read_flow_run(flow_run_id).state
    return result.state


def pause_flow_run(wait_for_input: Any = None, timeout: int = 3600, poll_interval: int = 10,
                   key: str | None = None) -> Any:
    """Pause the current flow run until it is resumed (or its timeout passes).

    The process waits; downstream work does not start; task runs already started go on.
    In async code this returns a coroutine (`apause_flow_run`).

    Args:
        wait_for_input: a `RunInput` subclass, a pydantic model or any type pydantic
            takes (`int`, `str`, ...): the run waits for that input and returns it.
        timeout: seconds to wait before failing the run with `FlowPauseTimeout`.
        poll_interval: the longest wait between looks at the run's state (headwater
            looks at least every second, starting 50 ms after pausing).
        key: names this pause (default: how many pauses the run has made so far).

    Returns:
        the input (an instance of the model, or the plain value), or None.

    Raises:
        FlowPauseTimeout: not resumed within `timeout`.
        RuntimeError: not inside a flow run, or the run cannot be paused.
    """
    return dispatch(lambda: _pause_sync(wait_for_input, timeout, poll_interval, key),
                    lambda: apause_flow_run(wait_for_input, timeout, poll_interval, key), None)


async def apause_flow_run(wait_for_input: Any = None, timeout: int = 3600, poll_interval: int = 10,
                          key: str | None = None) -> Any:
    """`pause_flow_run` for async code: the waiting happens off the event loop."""
    return await asyncio.to_thread(_pause_sync, wait_for_input, timeout, poll_interval, key)


def _pause_sync(wait_for_input: Any, timeout: int, poll_interval: float, key: str | None) -> Any:
    from headwater.client.orchestration import get_client

    if timeout is not None and timeout < 0:
        raise ValueError(f"'timeout' must be a non-negative number, got {timeout}")
    run = _current_flow_run()
    if run is None:
        raise RuntimeError("Flow runs can only be paused from within a flow run.")
    counted = _next_pause_key(run)
    pause_key = key or counted
    run.logger.info("Pausing flow, execution will continue when this flow run is resumed.")
    proposed, input_cls, keyset = _paused_state("Paused", timeout, pause_key, False, wait_for_input)
    with get_client(sync_client=True) as client:
        state = _propose(client, run.id, proposed, "paused")
        if state.is_running():  # this pause fired before, and the run was resumed since
            return input_cls.load_now(keyset, run.id) if input_cls is not None else None
        if not state.is_paused():
            raise RuntimeError(f"Flow run cannot be paused. Received non-paused state from API: {state}")
        if input_cls is not None:
            input_cls.save_now(keyset, run.id)
        deadline = time.monotonic() + timeout
        pause = min(_FIRST_LOOK_SECONDS, poll_interval)
        while True:
            remaining = deadline - time.monotonic()
            time.sleep(max(0.0, min(pause, remaining)))
            current = client.read_flow_run(run.id).state
            if current is not None and current.is_running():
                run.logger.info("Resuming flow run execution!")
                return input_cls.load_now(keyset, run.id) if input_cls is not None else None
            if remaining <= 0:
                break
            pause = min(max(pause * 2, _FIRST_LOOK_SECONDS), poll_interval, _LONGEST_WAIT_SECONDS)
    raise FlowPauseTimeout("Flow run was paused and never resumed.")


def suspend_flow_run(wait_for_input: Any = None, flow_run_id: UUID | str | None = None, timeout: int | None = None,
                     key: str | None = None) -> Any:
    """Suspend a flow run: its process leaves, and it runs again once resumed.

    Called in a flow (no `flow_run_id`), the flow ends at once (`Pause` is raised), its
    run Suspended; resumed, a worker or `serve` runs the flow again, where this call
    returns the input (the calls before it answered from their persisted results). The
    run needs a deployment, as in Prefect. In async code this returns a coroutine.

    Args:
        wait_for_input: what the run waits for, as for `pause_flow_run`.
        flow_run_id: suspend another run instead of the current one.
        timeout: seconds after which the run fails if not resumed (None: never).
        key: names this suspend (default: how many pauses the run has made so far).

    Raises:
        RuntimeError: not inside a flow run, inside a task, or the run cannot be suspended.
    """
    return dispatch(lambda: _suspend_sync(wait_for_input, flow_run_id, timeout, key),
                    lambda: asuspend_flow_run(wait_for_input, flow_run_id, timeout, key), None)


async def asuspend_flow_run(wait_for_input: Any = None, flow_run_id: UUID | str | None = None,
                            timeout: int | None = None, key: str | None = None) -> Any:
    """`suspend_flow_run` for async code."""
    return await asyncio.to_thread(_suspend_sync, wait_for_input, flow_run_id, timeout, key)


def _suspend_sync(wait_for_input: Any, flow_run_id: UUID | str | None, timeout: int | None, key: str | None) -> Any:
    from headwater.client.orchestration import get_client
    from headwater.engine.context import task_run_var

    if timeout is not None and timeout < 0:
        raise ValueError(f"'timeout' must be a non-negative number, got {timeout}")
    run = _current_flow_run()
    if flow_run_id is None:
        if task_run_var.get() is not None:
            raise RuntimeError("Cannot suspend task runs.")
        if run is None:
            raise RuntimeError("Flow runs can only be suspended from within a flow run.")
        run.logger.info("Suspending flow run, execution will be rescheduled when this flow run is resumed.")
        target: Any = run.id
        current = True
        counted = _next_pause_key(run)
        pause_key = key or counted
    else:
        # Another run's own pause keys are its counts: a random key cannot collide.
        target, current, pause_key = str(flow_run_id), False, key or str(uuid4())
    proposed, input_cls, keyset = _paused_state("Suspended", timeout, pause_key, True, wait_for_input)
    with get_client(sync_client=True) as client:
        state = _propose(client, target, proposed, "suspended")
        if state.is_running():  # suspended before, resumed since: this is the run again
            return input_cls.load_now(keyset, target) if input_cls is not None else None
        if not state.is_paused():
            raise RuntimeError(f"Flow run cannot be suspended. Received unexpected state from API: {state}")
        if input_cls is not None:
            input_cls.save_now(keyset, target)
    if current:
        proposed.details = dict(proposed.details or {})
        run.recorded_elsewhere = proposed  # the engine must not record it again
        raise Pause(state=proposed)
    return None


def resume_flow_run(flow_run_id: UUID | str, run_input: dict[str, Any] | None = None) -> Any:
    """Resume a paused or suspended flow run, with the input it waits for.

    Args:
        flow_run_id: the run.
        run_input: the input's fields (checked against the model the run waits for).

    Raises:
        NotPausedError: the run is not paused.
        FlowPauseTimeout: the pause had timed out (the run is now Failed).
        RuntimeError: refused, e.g. input that fails validation (the run stays paused);
            the message lists each field's problem.
    """
    return dispatch(lambda: _resume_sync(flow_run_id, run_input), lambda: aresume_flow_run(flow_run_id, run_input),
                    None)


async def aresume_flow_run(flow_run_id: UUID | str, run_input: dict[str, Any] | None = None) -> None:
    """`resume_flow_run` for async code."""
    await asyncio.to_thread(_resume_sync, flow_run_id, run_input)


def _resume_sync(flow_run_id: UUID | str, run_input: dict[str, Any] | None) -> None:
    from headwater.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
        if flow_run.state is None or not flow_run.state.is_paused():
            raise NotPausedError("Cannot resume a run that isn't paused!")
        response = client.resume_flow_run(flow_run_id, run_input=run_input)
    status = getattr(response.status, "value", response.status)
    if status == "ABORT":
        raise NotPausedError("Cannot resume a run that isn't paused!")
    if status == "REJECT":
        if response.state is not None and response.state.type is StateType.FAILED:
            raise FlowPauseTimeout("Flow run can no longer be resumed.")
        raise RuntimeError(f"Cannot resume this run: {(response.details or {}).get('reason', '')}")
