"""A task runner whose task runs execute on a Dask cluster (`distributed`).

Each task run is one Dask task. A worker runs it with the normal life cycle and
records its history into the same store as the flow (see remote.py). What a task
returns stays on the worker that computed it: the parent's future holds the Dask
future, a downstream task receives the Dask future as an argument (Dask moves the
value worker to worker), and the value reaches the flow only when it calls
`.result()`. Only a small "final state" travels back for runs that did not simply
complete, so the parent always knows each run's outcome without fetching its data.
"""

from __future__ import annotations

import concurrent.futures
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from headwater.core.states import State, StateType
from headwater.engine.task_runners.cluster import ClusterResult, ClusterTaskRunner, settings_from, simply_completed
from headwater.engine.task_runners.remote import pack_state, run_shipped, unpack_state
from headwater.exceptions import ConfigurationError, InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.futures import FinalStateSlot
    from headwater.engine.runs import TaskRun

__all__ = ["DaskTaskRunner"]

_S = StateType


class DaskTaskRunner(ClusterTaskRunner):
    """Runs task runs on a Dask cluster: a temporary local one, or an existing one.

    Args:
        address: a running scheduler to connect to (`"tcp://10.0.0.5:8786"`); unset, a
            cluster is started for the flow run and closed when it ends.
        cluster_class: the cluster to start when there is no address: a class or its
            import path (`"dask_kubernetes.KubeCluster"`); default `distributed.LocalCluster`.
        cluster_kwargs: keyword arguments for `cluster_class`.
        client_kwargs: keyword arguments for `distributed.Client`.

    Retries, time-outs, caching, hooks and history work as with threads; they run on
    the workers. On a cluster it starts, a worker that dies mid-task makes Dask give
    up on that task at once (`allowed-failures` 0), and the task run is retried if it
    has retries left, else it ends Crashed.

    Example:
        >>> @flow(task_runner=DaskTaskRunner(cluster_kwargs={"n_workers": 4}))
        ... def crunch(chunks: list[str]) -> int:
        ...     return sum(score.map(chunks).result())
    """

    where = "a Dask worker"

    def __init__(self, address: str | None = None, cluster_class: type | str | None = None,
                 cluster_kwargs: dict[str, Any] | None = None, client_kwargs: dict[str, Any] | None = None) -> None:
        super().__init__()
        if address is not None and (cluster_class is not None or cluster_kwargs):
            raise InvalidDefinitionError(
                "DaskTaskRunner: give either address= (connect to a running scheduler) or "
                "cluster_class=/cluster_kwargs= (start a cluster), not both"
            )
        for name, value in (("cluster_kwargs", cluster_kwargs), ("client_kwargs", client_kwargs)):
            if value is not None and not isinstance(value, dict):
                raise InvalidDefinitionError(f"DaskTaskRunner: {name} must be a dict, not {type(value).__name__}")
        self.address = address
        self.cluster_class = cluster_class
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self.client_kwargs = dict(client_kwargs or {})
        self._cluster: Any = None
        self._client: Any = None

    def duplicate(self) -> DaskTaskRunner:
        return DaskTaskRunner(self.address, self.cluster_class, self.cluster_kwargs, self.client_kwargs)

    @property
    def client(self) -> Any:
        """The `distributed.Client` of the running runner (None before start)."""
        return self._client

    def start(self) -> None:
        try:
            import dask
            import distributed
        except ImportError:
            raise ConfigurationError(
                "DaskTaskRunner needs the 'distributed' package: pip install 'headwater[dask]'"
            ) from None
        client_kwargs = {"set_as_default": False, **self.client_kwargs}
        if self.address is not None:
            self._client = distributed.Client(self.address, **client_kwargs)
        else:
            cluster_class = _import_class(self.cluster_class) if self.cluster_class else distributed.LocalCluster
            # headwater retries task runs itself; Dask re-running a task whose worker died
            # would repeat it behind the run's back and delay the Crashed state.
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self._cluster = cluster_class(**self.cluster_kwargs)
            try:
                self._client = distributed.Client(self._cluster, **client_kwargs)
            except BaseException:
                self._cluster.close()
                raise
        self._start_dispatcher()

    def _close(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    # -- parent side ----------------------------------------------------------------
    def _result_owner(self) -> Any:
        return self._client

    def _send(self, ready: list[tuple[TaskRun, FinalStateSlot[Any], Any]]) -> None:
        client = self._client
        for run, outer, (payload, upstream) in ready:
            settings = self._settings_on_cluster(run.orchestrator.settings)
            dask_future = client.submit(
                _run_on_worker, payload, settings, upstream,
                key=f"{run.task.name}-{run.id}-{run.run_count}", pure=False,
            )
            dask_future.add_done_callback(lambda f, run=run, outer=outer: self._returned(run, outer, f))

    def _resolve(self, run: TaskRun, outer: FinalStateSlot[Any], *outcome: Any) -> None:
        (dask_future,) = outcome
        status = dask_future.status
        if status == "finished":
            if dask_future.type is not None and dask_future.type is not FinalState \
                    and not isinstance(dask_future.type, str):
                # Plain completion: the value stays on the cluster.
                self._finished(run, outer, State(_S.COMPLETED, data=DaskResult(dask_future, self._client)))
                return
            value = dask_future.result()
            if isinstance(value, FinalState):
                state = unpack_state(value.packed)
            else:
                state = State(_S.COMPLETED, data=DaskResult(dask_future, self._client))
            self._finished(run, outer, state)
            return
        if status == "error":
            self._failed_on_cluster(run, outer, dask_future.exception())
            return
        self._crashed(run, outer, RuntimeError(status),
                      f"Dask reports the task as {status} (were its inputs lost with a worker, or the cluster closed?)")

    def _is_lost_worker(self, error: BaseException | None) -> bool:
        from distributed import KilledWorker
        from distributed.comm import CommClosedError

        return isinstance(error, (KilledWorker, CommClosedError, OSError, concurrent.futures.CancelledError))

    def __repr__(self) -> str:
        target = f"address={self.address!r}" if self.address else f"cluster_class={self.cluster_class!r}"
        return f"DaskTaskRunner({target})"


class DaskResult(ClusterResult):
    """A completed run's value, still on the Dask cluster (`handle`, a Dask future, of
    the client `owner`); `.result()` fetches it once."""

    __slots__ = ()

    gone_message = ("the result is no longer available: it stayed on the Dask cluster, which was closed when "
                    "the flow run ended; call .result() inside the flow (or return the future from it)")

    def available(self) -> bool:
        return self.owner.status in ("running", "connecting", "newly-created")

    def fetch(self) -> Any:
        value = self.handle.result()
        return unpack_state(value.packed).data if isinstance(value, FinalState) else value


class FinalState:
    """What a worker returns for a run that did not simply complete: its packed state."""

    __slots__ = ("packed",)

    def __init__(self, packed: bytes) -> None:
        self.packed = packed

    def __reduce__(self) -> Any:
        return FinalState, (self.packed,)


def _run_on_worker(payload: bytes, settings: bytes, upstream: dict[str, Any]) -> Any:
    """On a Dask worker: run the shipped task run; return its value, or a FinalState."""
    if upstream:
        upstream = {k: unpack_state(v.packed).data if isinstance(v, FinalState) else v for k, v in upstream.items()}
    state = run_shipped(payload, settings_from(settings), upstream)
    if simply_completed(state) and not isinstance(state.data, FinalState):
        return state.data
    return FinalState(pack_state(state))


def _import_class(spec: type | str) -> Callable[..., object]:
    if isinstance(spec, type):
        return spec
    module_name, _, name = spec.rpartition(".")
    try:
        found: object = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as error:
        raise ConfigurationError(f"DaskTaskRunner: cannot import cluster_class {spec!r}: {error}") from None
    if not callable(found):  # a class, or a function that makes the cluster
        raise ConfigurationError(f"DaskTaskRunner: cluster_class {spec!r} is {found!r}, which cannot be called")
    return found
