"""Futures of background task runs, and the one watcher per process that waits on them.

A `BackgroundFuture` is only a task run id (it pickles, so it can be handed to other
processes); its final state comes from the control plane and its result from the
task scheduling storage. Waiting is done by the process's `RunWatcher`: one daemon
thread that asks the control plane, in one call for all the runs anybody waits on,
which have ended (the call itself waits a little for the next end: on the server it
is woken when a worker reports one), then fills their slots.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from headwater.core.states import State, StateType
from headwater.engine.futures import FinalStateSlot

__all__ = ["BackgroundFuture", "RunWatcher", "watcher"]

R = TypeVar("R")
_WAIT_SECONDS = 0.1  # one status call waits this long for an end: new waiters join the next call


def _final_state(status: Any) -> State[Any]:
    """The final `State` a DONE status stands for, its data read from storage lazily
    (a failure's exception is read at once: it is what the state stands for)."""
    from headwater.engine.background.storage import StoredOutcome, unpack_outcome

    type_ = StateType(status.state_type)
    if type_ is StateType.COMPLETED:
        state: State[Any] = State(type_, status.state_name, status.state_message,
                                  StoredOutcome(status.storage, status.task_run_id, status.outcome))
    else:
        try:
            _, error = unpack_outcome(status.storage, status.task_run_id, status.outcome)
        except Exception:  # a run that crashed stored nothing: the state's message says why
            error = None
        state = State(type_, status.state_name, status.state_message,
                      error if isinstance(error, BaseException) else None)
    state.run_id = status.task_run_id
    return state


class RunWatcher:
    """Waits on background task runs for this process (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, FinalStateSlot[Any]] = {}
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def slot(self, task_run_id: str) -> FinalStateSlot[Any]:
        """The slot the run's final state arrives in (watched from now on)."""
        with self._lock:
            slot = self._slots.get(task_run_id)
            if slot is None:
                slot = self._slots[task_run_id] = FinalStateSlot()
                self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="headwater-background-watcher",
                                                daemon=True)
                self._thread.start()
            return slot

    def _watch(self) -> None:
        from headwater.client.kept import kept_client
        from headwater.core.background_schemas import BackgroundStatusRequest

        while True:
            with self._lock:
                ids = [i for i, s in self._slots.items() if not s.done()][:10_000]
            if not ids:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            self._wake.clear()
            try:
                found = kept_client().transport.read_background_task_runs(
                    BackgroundStatusRequest(ids=ids, wait_seconds=_WAIT_SECONDS))
            except Exception:  # the control plane is away: the transport waited already; look again
                self._wake.wait(0.5)
                continue
            for status in found:
                if status.status == "DONE":
                    slot = self._slots.get(status.task_run_id)
                    if slot is not None and not slot.done():
                        slot.set_result(_final_state(status))


_watcher: list[RunWatcher] = []
_watcher_lock = threading.Lock()


def watcher() -> RunWatcher:
    """The process's watcher."""
    if not _watcher:
        with _watcher_lock:
            if not _watcher:
                _watcher.append(RunWatcher())
    return _watcher[0]


class BackgroundFuture(Generic[R]):
    """The eventual outcome of a background task run (`task.delay(...)`).

    It holds only the run's id, so it can be pickled and waited on in any process
    that reaches the same control plane and storage.

    Attributes:
        task_run_id: the run's id.
    """

    def __init__(self, task_run_id: str, name: str = "") -> None:
        self.task_run_id = str(task_run_id)
        self._name = name
        self.observed = False

    def __reduce__(self) -> tuple[Any, ...]:
        return BackgroundFuture, (self.task_run_id, self._name)

    @property
    def name(self) -> str:
        """The task run's name."""
        return self._name or self.task_run_id

    def _slot(self) -> FinalStateSlot[R]:
        return watcher().slot(self.task_run_id)

    def done(self) -> bool:
        """Whether the run has ended (asks the control plane, once, if not known yet)."""
        slot = self._slot()
        if not slot.done():
            self._check_once(slot)
        return slot.done()

    def _check_once(self, slot: FinalStateSlot[Any]) -> None:
        from headwater.client.kept import kept_client
        from headwater.core.background_schemas import BackgroundStatusRequest

        for status in kept_client().transport.read_background_task_runs(
                BackgroundStatusRequest(ids=[self.task_run_id])):
            if status.status == "DONE" and not slot.done():
                try:
                    slot.set_result(_final_state(status))
                except RuntimeError:  # the watcher filled it meanwhile
                    pass

    @property
    def state(self) -> State[R]:
        """The final state if the run ended, else Scheduled (waiting) or Running (claimed)."""
        self.observed = True
        slot = self._slot()
        if slot.done():
            return slot.result()
        from headwater.client.kept import kept_client
        from headwater.core.background_schemas import BackgroundStatusRequest

        found = kept_client().transport.read_background_task_runs(BackgroundStatusRequest(ids=[self.task_run_id]))
        if found and found[0].status == "DONE":
            return _final_state(found[0])
        if found and found[0].status == "CLAIMED":
            return State(StateType.RUNNING)
        return State(StateType.SCHEDULED)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the run to end, at most `timeout` seconds."""
        try:
            self._slot().result(timeout)
        except TimeoutError:
            pass

    def final_state(self, timeout: float | None = None) -> State[R]:
        """The final state, waiting for it (`TimeoutError` after `timeout` seconds)."""
        self.observed = True
        return self._slot().result(timeout)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> R:
        """The run's return value, waiting for it; raises the run's exception if it failed.

        Raises:
            TimeoutError: the run did not end within `timeout` seconds.
        """
        state = self.final_state(timeout)
        return state.result_sync(raise_on_failure=raise_on_failure)

    def add_done_callback(self, fn: Callable[[BackgroundFuture[R]], Any]) -> None:
        """Call `fn(future)` when the run ends (in the watcher's thread)."""
        self._slot().add_done_callback(lambda _: fn(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BackgroundFuture) and other.task_run_id == self.task_run_id

    def __hash__(self) -> int:
        return hash(self.task_run_id)

    def __repr__(self) -> str:
        return f"BackgroundFuture(task_run_id={self.task_run_id!r})"
