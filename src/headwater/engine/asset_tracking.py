"""Which assets a task run made or read, recorded when it ends (`headwater.assets`).

A `@materialize` task run that ends Completed (not from the cache) or Failed emits one
`AssetMaterialized` record per asset it makes, through the orchestrator's background
writer like every other history record: the task pays a queue append. Its upstream
assets are its `asset_deps` plus the assets of the upstream task runs whose results
(or futures, or `wait_for`) it received, as in Prefect: a materializing task passes
on the assets it made, any other task passes on what it read (its upstream assets and
its `asset_deps`), so lineage flows through plain tasks in between.

Plain tasks in flows without assets never come here (`TaskRun.finish` checks two
attributes first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.states import StateType
from headwater.engine.context import task_run_var
from headwater.orchestrator.records import AssetMaterialized

if TYPE_CHECKING:
    from headwater.core.asset_schemas import Asset
    from headwater.core.states import State
    from headwater.engine.task_runs import TaskRun

__all__ = ["add_metadata", "task_run_ended", "upstream_assets"]

_NOT_MATERIALIZED = "Can only add metadata to assets that are arguments to @materialize"


def add_metadata(key: str, metadata: dict[str, Any], outside_message: str) -> None:
    """Merge `metadata` into what the running task run records for asset `key`.

    Raises:
        RuntimeError: no task run is executing here (`outside_message`, Prefect's words).
        ValueError: the running task does not materialize `key`.
    """
    run = task_run_var.get()
    if run is None:
        raise RuntimeError(outside_message)
    made = getattr(run.task, "assets", None) or ()
    if key not in {asset.key for asset in made}:
        raise ValueError(_NOT_MATERIALIZED)
    if not isinstance(metadata, dict):
        raise TypeError(f"asset metadata must be a dict, got {type(metadata).__name__}")
    existing = run.asset_metadata.get(key, {}) if run.asset_metadata is not None else {}
    if run.asset_metadata is None:
        run.asset_metadata = {}
    run.asset_metadata[key] = existing | metadata


def _properties(asset: Asset) -> dict[str, Any] | None:
    if asset.properties is None:
        return None
    return asset.properties.model_dump(exclude_unset=True)


def upstream_assets(run: TaskRun) -> dict[str, Asset]:
    """The assets the task run received from upstream task runs, by key."""
    upstream: dict[str, Asset] = {}
    flow_run = run.flow_run
    known = flow_run.task_run_assets if flow_run is not None else None
    if known:
        for _parameter, upstream_id, _kind in run.inputs:
            for asset in known.get(upstream_id, ()):
                upstream.setdefault(asset.key, asset)
    return upstream


def task_run_ended(run: TaskRun, state: State[Any]) -> None:
    """Pass the run's assets on to its downstream task runs, and record its materializations."""
    task = run.task
    made: list[Asset] = list(getattr(task, "assets", None) or ())
    deps: list[Asset] = list(task.options.asset_deps)
    upstream = upstream_assets(run)
    flow_run = run.flow_run
    if flow_run is not None:
        passed_on = made or [*upstream.values(), *deps]
        if passed_on:
            if flow_run.task_run_assets is None:
                flow_run.task_run_assets = {}
            flow_run.task_run_assets[run.id] = passed_on
    if not made or state.name == "Cached":
        return
    if state.type is StateType.FAILED:
        status = "failed"
    elif state.type is StateType.COMPLETED:
        status = "succeeded"
    else:  # crashed, cancelled, never started: not a materialization
        return
    for asset in deps:
        upstream.setdefault(asset.key, asset)
    edges = [(asset.key, _properties(asset)) for asset in upstream.values()]
    metadata = run.asset_metadata or {}
    now = clock.now()
    emit = run.orchestrator.emit
    for asset in dict.fromkeys(made):
        emit(AssetMaterialized(new_id(), asset.key, _properties(asset), _json_safe(metadata.get(asset.key)), edges,
                               getattr(task, "materialized_by", None), status, run.flow_run_id, run.id, now))


def _json_safe(metadata: dict[str, Any] | None) -> dict[str, Any] | None:
    """`metadata` as JSON can hold it (what is not JSON becomes its `str`)."""
    if metadata is None:
        return None
    import json

    return dict(json.loads(json.dumps(metadata, default=str)))
