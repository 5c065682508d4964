"""What the runners on a cluster (Dask, Ray) share: values left on the cluster, lost workers.

A run on a cluster that simply completed leaves its value there: the parent's state
holds a `ClusterResult`, which a downstream run on the same cluster receives as the
cluster's own handle (the cluster moves the value worker to worker) and which the
flow fetches only on `.result()`. `ClusterTaskRunner` holds the parent side both
runners share: the settings pickled once per flow run, an upstream `ClusterResult`
passed as its handle, a run that comes back resolved whatever happens, a lost worker
retried or Crashed, and a run that could not start there Failed. The worker side
shares `settings_from` and `simply_completed`.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

from headwater.core.states import LazyResult, State, StateType
from headwater.engine.task_runners.remote import RemoteTaskRunner, Upstream, end_in_parent
from headwater.exceptions import MissingResult

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.futures import FinalStateSlot, HeadwaterFuture
    from headwater.engine.runs import TaskRun

__all__ = ["ClusterResult", "ClusterTaskRunner", "settings_from", "simply_completed"]

_S = StateType


class ClusterResult(LazyResult):
    """A completed run's value, still on the cluster; `.result()` fetches it once.

    Args:
        handle: the cluster's handle on the value (a Ray object ref, a Dask future).
        owner: what the value belongs to (the runner, or its client): a downstream run
            receives `handle` only on the same one.
    """

    __slots__ = ("handle", "owner", "_value", "_loaded")

    gone_message = "the result is no longer available: the cluster holding it is gone"
    """What `.result()` raises with once the cluster holding the value is gone."""

    def __init__(self, handle: Any, owner: Any) -> None:
        self.handle = handle
        self.owner = owner
        self._loaded = False
        self._value: Any = None

    def load(self) -> Any:
        if not self._loaded:
            if not self.available():
                raise MissingResult(self.gone_message)
            self._value = self.fetch()
            self._loaded = True
        return self._value

    def available(self) -> bool:
        """Whether the cluster holding the value is still there."""
        raise NotImplementedError

    def fetch(self) -> Any:
        """The value, fetched from the cluster."""
        raise NotImplementedError


class ClusterTaskRunner(RemoteTaskRunner):
    """The parent side of a runner whose runs execute on a cluster (see the module docstring).

    Subclasses set `where`, implement `_send`, `_resolve` (called with what `_returned`
    was given), `_close` and `_is_lost_worker`, and may override `_result_owner` and
    `_start_error`.
    """

    def __init__(self) -> None:
        super().__init__()
        self._settings_data: dict[int, tuple[Settings, bytes]] = {}

    def _release(self, wait: bool) -> None:
        if wait:
            self.wait_all()
        self._stop_dispatcher()
        self._settings_data.clear()
        self._close()

    def _close(self) -> None:
        """Close the client or cluster this runner opened, if any."""
        raise NotImplementedError

    def _result_owner(self) -> Any:
        """What this runner's `ClusterResult`s belong to (see `ClusterResult.owner`)."""
        return self

    def _upstream_value(self, future: HeadwaterFuture[Any], values: dict[str, Any]) -> Any:
        data = future.final_state().data
        if isinstance(data, ClusterResult) and data.owner is self._result_owner():
            values[future.task_run_id] = data.handle  # resolved worker-side by the cluster
            return Upstream(future.task_run_id)
        return super()._upstream_value(future, values)

    def _settings_on_cluster(self, settings: Settings) -> bytes:
        # Pickled once per flow run; workers unpickle each distinct value once
        # (`settings_from`). Kept with the settings so that their id is not reused. Sent
        # with each task, not scattered on Dask: scattered data dies with the workers
        # holding it, and later tasks would be cancelled with it.
        entry = self._settings_data.get(id(settings))
        if entry is None:
            entry = self._settings_data[id(settings)] = (settings, pickle.dumps(settings))
        return entry[1]

    def _returned(self, run: TaskRun, outer: FinalStateSlot[Any], *outcome: Any) -> None:
        """A run came back with `outcome` (what the cluster reports): resolve its future."""
        try:
            self._resolve(run, outer, *outcome)
        except BaseException as error:  # the future must resolve whatever happens
            if not outer.done():
                self._crashed(run, outer, error)

    def _resolve(self, run: TaskRun, outer: FinalStateSlot[Any], *outcome: Any) -> None:
        raise NotImplementedError

    def _failed_on_cluster(self, run: TaskRun, outer: FinalStateSlot[Any], error: BaseException | None) -> None:
        """The cluster reports `error` for `run`: its worker was lost (retry or Crashed),
        or the run could not start there (Failed: its module does not import, say)."""
        if self._is_lost_worker(error):
            assert error is not None
            self._crashed(run, outer, error, f"the {self.where.removeprefix('a ')} running this task run died or "
                                             f"was lost: {type(error).__name__}: {error}")
            return
        cause = self._start_error(error)
        message = f"task run {run.name!r} could not start on {self.where}: {type(cause).__name__}: {cause}"
        outer.set_result(end_in_parent(run, State(_S.FAILED, None, message, cause)))

    def _is_lost_worker(self, error: BaseException | None) -> bool:
        """Whether `error` says the worker running the task died or was lost."""
        raise NotImplementedError

    def _start_error(self, error: BaseException | None) -> BaseException | None:
        """What a run that could not start fails with, given the cluster's error."""
        return error


_worker_settings: dict[bytes, Settings] = {}


def settings_from(pickled: bytes) -> Settings:
    """On a worker: the parent's settings, unpickled once per distinct value."""
    loaded = _worker_settings.get(pickled)
    if loaded is None:
        loaded = _worker_settings[pickled] = pickle.loads(pickled)
    return loaded


def simply_completed(state: State[Any]) -> bool:
    """Whether a run ended plainly Completed with its value in hand: that value stays on
    the cluster, and only the other final states travel back whole."""
    return (state.type is _S.COMPLETED and state.name == "Completed" and state.message is None
            and not isinstance(state.data, LazyResult))
