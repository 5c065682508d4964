"""A task runner whose task runs execute on a Ray cluster.

Each task run is one Ray task returning two objects: a small outcome marker, which
comes back to the flow so it knows how the run ended, and the run's value, which
stays in Ray's object store: a downstream task receives it as an argument (Ray moves
it worker to worker) and the flow fetches it only when it calls `.result()`. The run
itself executes with the normal life cycle on the Ray worker and records its history
into the flow's store (see remote.py), so retries, caching, time-outs, tag limits and
history are those of any task run. Ray's own task retries are off: headwater retries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.core.states import State, StateType
from headwater.engine.task_runners.cluster import ClusterResult, ClusterTaskRunner, settings_from, simply_completed
from headwater.engine.task_runners.remote import pack_state, run_shipped, unpack_state
from headwater.exceptions import ConfigurationError, InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.futures import FinalStateSlot
    from headwater.engine.runs import TaskRun

__all__ = ["RayTaskRunner"]

_S = StateType
_DONE = b"done"  # the marker of a run that simply completed: its value is the second object


class RayTaskRunner(ClusterTaskRunner):
    """Runs task runs on Ray: a local Ray started for the flow run, or a running cluster.

    Args:
        address: a running cluster to connect to (`"ray://10.0.0.5:10001"`, or
            `"auto"`); unset, a local Ray is started for the flow run and shut down
            when it ends (unless Ray was already running in this process).
        init_kwargs: keyword arguments for `ray.init` (`num_cpus`, `runtime_env`, ...).

    Example:
        >>> @flow(task_runner=RayTaskRunner(init_kwargs={"num_cpus": 4}))
        ... def crunch(chunks: list[str]) -> int:
        ...     return sum(score.map(chunks).result())
    """

    where = "a Ray worker"

    def __init__(self, address: str | None = None, init_kwargs: dict[str, Any] | None = None) -> None:
        super().__init__()
        if init_kwargs is not None and not isinstance(init_kwargs, dict):
            raise InvalidDefinitionError(f"RayTaskRunner: init_kwargs must be a dict, not "
                                         f"{type(init_kwargs).__name__}")
        self.address = address
        self.init_kwargs = dict(init_kwargs or {})
        self._owns_ray = False
        self._remote: Any = None

    def duplicate(self) -> RayTaskRunner:
        return RayTaskRunner(self.address, self.init_kwargs)

    def start(self) -> None:
        try:
            import ray
        except ImportError:
            raise ConfigurationError("RayTaskRunner needs the 'ray' package: pip install 'headwater[ray]'") from None
        if not ray.is_initialized():
            kwargs = {"log_to_driver": True, **self.init_kwargs}
            if self.address is not None:
                kwargs["address"] = self.address
            ray.init(**kwargs)
            self._owns_ray = True
        self._remote = ray.remote(_run_on_worker).options(num_returns=2, max_retries=0)
        self._start_dispatcher()

    def _close(self) -> None:
        if self._owns_ray:
            import ray

            self._owns_ray = False
            ray.shutdown()

    # -- parent side ----------------------------------------------------------------
    def _send(self, ready: list[tuple[TaskRun, FinalStateSlot[Any], Any]]) -> None:
        for run, outer, (payload, upstream) in ready:
            settings = self._settings_on_cluster(run.orchestrator.settings)
            # Object refs as top-level arguments: Ray waits for them and passes their values.
            marker, value = self._remote.remote(payload, settings, list(upstream), *upstream.values())
            marker.future().add_done_callback(
                lambda done, run=run, outer=outer, value=value: self._returned(run, outer, done, value))

    def _resolve(self, run: TaskRun, outer: FinalStateSlot[Any], *outcome: Any) -> None:
        done, value = outcome
        error = done.exception()
        if error is None:
            marker = done.result()
            state = State(_S.COMPLETED, data=RayResult(value, self)) if marker == _DONE else unpack_state(marker)
            self._finished(run, outer, state)
            return
        self._failed_on_cluster(run, outer, error)

    def _is_lost_worker(self, error: BaseException | None) -> bool:
        from ray import exceptions

        return isinstance(error, (exceptions.WorkerCrashedError, exceptions.NodeDiedError,
                                  exceptions.ObjectLostError, exceptions.RaySystemError,
                                  exceptions.TaskCancelledError))

    def _start_error(self, error: BaseException | None) -> BaseException | None:
        return getattr(error, "cause", None) or error  # a RayTaskError wraps what was raised

    def __repr__(self) -> str:
        return f"RayTaskRunner(address={self.address!r})"


class RayResult(ClusterResult):
    """A completed run's value, still in Ray's object store (`handle`, an object ref, of
    the runner `owner`); `.result()` fetches it once."""

    __slots__ = ()

    gone_message = ("the result is no longer available: it stayed on the Ray cluster, which was shut down when "
                    "the flow run ended; call .result() inside the flow (or return the value from it)")

    def available(self) -> bool:
        import ray

        return bool(ray.is_initialized())

    def fetch(self) -> Any:
        import ray

        return ray.get(self.handle)


def _run_on_worker(payload: bytes, settings: bytes, upstream_ids: list[str], *upstream_values: Any) -> Any:
    """On a Ray worker: run the shipped task run; return (marker, value)."""
    state = run_shipped(payload, settings_from(settings), dict(zip(upstream_ids, upstream_values)))
    if simply_completed(state):
        return _DONE, state.data
    return pack_state(state), None
