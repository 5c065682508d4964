"""Futures, as in `prefect.futures`.

Prefect's class names are aliases of headwater's: code that annotates or checks with
`PrefectFuture` / `PrefectFutureList` (or the concrete Prefect future classes) keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.engine.futures import (
    DoneAndNotDoneFutures,
    HeadwaterFuture,
    HeadwaterFutureList,
    as_completed,
    futures_to_states,
    resolve_futures,
    unmapped,
    wait,
)

PrefectFuture = HeadwaterFuture
PrefectFutureList = HeadwaterFutureList
# Prefect's concrete futures (thread pool, wrapped, by task run id) are one class here:
# every task runner returns a HeadwaterFuture. `task.delay()` returns a BackgroundFuture.
PrefectConcurrentFuture = PrefectWrappedFuture = PrefectTaskRunFuture = HeadwaterFuture
from headwater.engine.background.futures import BackgroundFuture as PrefectDistributedFuture  # noqa: E402

if TYPE_CHECKING:
    from uuid import UUID

resolve_futures_to_states = futures_to_states
"""Replace the futures inside a value (lists, tuples, sets, dicts, dataclasses) by their
final states, waiting for them."""

resolve_futures_to_results = resolve_futures
"""Replace the futures inside a value by their results, waiting for them."""

__all__ = [
    "DoneAndNotDoneFutures",
    "HeadwaterFuture",
    "HeadwaterFutureList",
    "PrefectConcurrentFuture",
    "PrefectDistributedFuture",
    "PrefectFuture",
    "PrefectFlowRunFuture",
    "PrefectFutureList",
    "PrefectTaskRunFuture",
    "PrefectWrappedFuture",
    "as_completed",
    "resolve_futures_to_results",
    "resolve_futures_to_states",
    "unmapped",
    "wait",
]


class PrefectFlowRunFuture:
    """The future of a flow run known by id (one started with `run_deployment(..., timeout=0)`):
    `wait()`, `result()` and `state` read it through `get_client()`.

    Args:
        flow_run_id: the run's id.
    """

    def __init__(self, flow_run_id: UUID | str) -> None:
        from uuid import UUID

        self._flow_run_id = flow_run_id if isinstance(flow_run_id, UUID) else UUID(str(flow_run_id))
        self._final_state: Any = None
        self._callbacks: list[Any] = []

    @property
    def flow_run_id(self) -> UUID:
        """The flow run's id."""
        return self._flow_run_id

    @property
    def state(self) -> Any:
        """The run's current state (read again until it is final)."""
        if self._final_state is not None:
            return self._final_state
        from headwater.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            state = client.read_flow_run(self._flow_run_id).state
        if state is not None and state.is_final():
            self._set_final(state)
        return state

    def wait(self, timeout: float | None = None) -> None:
        """Wait until the run is final, or `timeout` seconds have passed (then return)."""
        if self._final_state is not None:
            return
        import asyncio

        from headwater.exceptions import FlowRunWaitTimeout
        from headwater.flow_runs import wait_for_flow_run

        try:
            flow_run = asyncio.run(wait_for_flow_run(self._flow_run_id, timeout=timeout))  # type: ignore[arg-type]  # float seconds work; Prefect types timeout int
        except FlowRunWaitTimeout:
            return
        self._set_final(flow_run.state)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> Any:
        """The run's result, waiting for it.

        Raises:
            TimeoutError: the run did not finish within `timeout`.
            Exception: the run's own exception when it failed (`raise_on_failure`).
        """
        self.wait(timeout)
        state = self._final_state
        if state is None:
            raise TimeoutError(f"Flow run {self._flow_run_id} did not complete within {timeout} seconds")
        if state.is_completed() and state.data is None:
            return _persisted_flow_result(self._flow_run_id)
        return state.result(raise_on_failure=raise_on_failure)

    def add_done_callback(self, fn: Any) -> None:
        """Call `fn(self)` when the run is seen final (at once if it already is)."""
        if self._final_state is not None:
            fn(self)
        else:
            self._callbacks.append(fn)

    def _set_final(self, state: Any) -> None:
        self._final_state = state
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrefectFlowRunFuture) and other.flow_run_id == self.flow_run_id

    def __hash__(self) -> int:
        return hash(self._flow_run_id)

    def __repr__(self) -> str:
        return f"PrefectFlowRunFuture(flow_run_id={self._flow_run_id!r})"


def _persisted_flow_result(flow_run_id: UUID) -> Any:
    """A completed flow run's result as `persist_result=True` wrote it (named by the run's
    id in the default result storage).

    Raises:
        MissingResult: no such record (not persisted, or written to another storage).
    """
    from headwater.core.settings import get_settings
    from headwater.exceptions import MissingResult
    from headwater.results import open_storage, read_result

    stored = read_result(open_storage(get_settings().results_storage_resolved), str(flow_run_id))
    if stored is None:
        raise MissingResult(f"flow run {flow_run_id} completed, but its result was not found in the default "
                            "result storage: run the flow with persist_result=True (and no other result_storage)")
    return stored.value
