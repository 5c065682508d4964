"""Waiting on flow runs, as in `prefect.flow_runs`.

    flow_run = run_deployment("etl/nightly", timeout=0)
    finished = await wait_for_flow_run(flow_run.id, timeout=600)
    finished.state.is_completed()

Works embedded and through a server (`HEADWATER_API_URL`), through `get_client()`.
Pausing, suspending and resuming flow runs (`pause_flow_run`, `suspend_flow_run`,
`resume_flow_run` and their async twins) are `headwater.engine.pausing`'s, exported here.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID

from headwater.engine.pausing import (
    apause_flow_run,
    aresume_flow_run,
    asuspend_flow_run,
    pause_flow_run,
    resume_flow_run,
    suspend_flow_run,
)
from headwater.exceptions import FlowRunWaitTimeout

__all__ = ["apause_flow_run", "aresume_flow_run", "asuspend_flow_run", "pause_flow_run", "resume_flow_run",
           "suspend_flow_run", "wait_for_flow_run"]

_FIRST_POLL_SECONDS = 0.05


async def wait_for_flow_run(flow_run_id: UUID | str, timeout: int | None = 10800, poll_interval: int | None = None,
                            client: Any = None, log_states: bool = False) -> Any:
    """Wait until a flow run reaches a final state and return it (the client's `FlowRun`).

    Args:
        flow_run_id: the run to wait for.
        timeout: give up after this many seconds (None: wait as long as it takes).
        poll_interval: seconds between looks (default: starts at 50 ms and backs off to 5 s).
        client: an async client to use (default: a new `get_client()`).
        log_states: log each state the run is seen in.

    Raises:
        FlowRunWaitTimeout: the run did not finish within `timeout`.
        ObjectNotFound: no flow run has that id.
    """
    if client is None:
        from headwater.client.orchestration import get_client

        async with get_client() as owned:
            return await wait_for_flow_run(flow_run_id, timeout, poll_interval, owned, log_states)
    deadline = None if timeout is None else time.monotonic() + timeout
    pause = poll_interval if poll_interval is not None else _FIRST_POLL_SECONDS
    seen = None
    while True:
        flow_run = await client.read_flow_run(flow_run_id)
        state = flow_run.state
        if log_states and state is not None and (state.type, state.name) != seen:
            seen = (state.type, state.name)
            from headwater.logging.loggers import get_logger

            get_logger("flow_runs").info("Flow run is in state %r", state.name)
        if state is not None and state.is_final():
            return flow_run
        if deadline is not None and time.monotonic() >= deadline:
            raise FlowRunWaitTimeout(f"Flow run with ID {flow_run_id} exceeded watch timeout of {timeout} seconds")
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        await asyncio.sleep(pause if remaining is None else min(pause, remaining))
        if poll_interval is None:
            pause = min(pause * 2, 5.0)
