"""Event rows: events as the `events` table holds them, the related resources of a run,
and the rows of the events the history writer stores.

The events of state changes are not stored: they are read from the `states` table
(store/state_events.py), so the task hot path and the writer pay nothing for them.
What the writer stores are the events that have no other record: events emitted by
user code inside a run (`EventEmitted`), with the related resources of the flow run
they were emitted in added, and flow-run heartbeats, at most one per run every
`HEARTBEAT_EVENT_SECONDS` (Prefect's default heartbeat frequency), whatever the
writer's own heartbeat interval.

Free of SQLAlchemy, like store/batches.py: the embedded SQLite writer uses it too.
A row is a tuple in the table's column order (`EVENT_COLUMNS`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from headwater.core import clock
from headwater.core.ids import new_id

__all__ = ["EVENT_COLUMNS", "HEARTBEAT_EVENT_SECONDS", "STATE_MARK_SECONDS", "EventRows", "dump_related", "event_row", "flow_run_related",
           "tag_list"]

EVENT_COLUMNS = ("id", "occurred", "event", "resource_id", "resource", "related", "payload", "follows", "received")
HEARTBEAT_EVENT_SECONDS = 180.0
STATE_MARK_SECONDS = 1.0
"""A writer adds a row to `state_marks` at most this often (store/state_ranges.py)."""
_MAX_TRACKED_RUNS = 100_000  # heartbeat times kept at once; beyond it the memory starts again

_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dump_related(related: Iterable[dict[str, str]]) -> str:
    """Related resources as stored: each with its id first and its role second, so that
    a filter can match `{"prefect.resource.id":X,"prefect.resource.role":R` as text."""
    ordered = []
    for resource in related:
        first = {"prefect.resource.id": resource.get("prefect.resource.id", ""),
                 "prefect.resource.role": resource.get("prefect.resource.role", "")}
        first.update(resource)
        ordered.append(first)
    return _compact(ordered)


def event_row(event_id: str, occurred: float, name: str, resource: dict[str, str], related: Iterable[dict[str, str]],
              payload: dict[str, Any], follows: str | None, received: float) -> tuple[Any, ...]:
    """One row of the `events` table (in `EVENT_COLUMNS` order)."""
    return (event_id, occurred, name, resource["prefect.resource.id"], _compact(resource), dump_related(related),
            _compact(payload), follows, received)


def tag_list(value: Any) -> list[str]:
    """A run's tags from its `tags` column (JSON text or a list), sorted and distinct."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return sorted({str(tag) for tag in value}) if isinstance(value, list) else []


def flow_run_related(flow_id: str | None, flow_name: str, deployment_id: str | None, deployment_name: str | None,
                     pool_id: str | None, pool_name: str | None, pool_type: str | None,
                     parent_task_run_id: str | None, tags: Any) -> list[dict[str, str]]:
    """The related resources of a flow run's events, in Prefect's order: its flow,
    deployment, work pool, parent task run, then its tags."""
    related = [{"prefect.resource.id": f"prefect.flow.{flow_id}", "prefect.resource.role": "flow",
                "prefect.resource.name": flow_name}]
    if deployment_id:
        related.append({"prefect.resource.id": f"prefect.deployment.{deployment_id}",
                        "prefect.resource.role": "deployment", "prefect.resource.name": deployment_name or ""})
    if pool_id:
        related.append({"prefect.resource.id": f"prefect.work-pool.{pool_id}", "prefect.resource.role": "work-pool",
                        "prefect.resource.name": pool_name or "", "prefect.work-pool.type": pool_type or ""})
    if parent_task_run_id:
        related.append({"prefect.resource.id": f"prefect.task-run.{parent_task_run_id}",
                        "prefect.resource.role": "task-run"})
    related.extend({"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"}
                   for tag in tag_list(tags))
    return related


def _emitted_in(record: Any) -> str | None:
    for related in record.related:
        if related.get("prefect.resource.role") == "flow-run":
            resource_id = related.get("prefect.resource.id", "")
            if resource_id.startswith("prefect.flow-run."):
                return str(resource_id[len("prefect.flow-run."):])
    return None


# Positions in a new flow_runs row of a batch (store/batches.py, tables/runs.py column order).
_ROW_FLOW_ID, _ROW_FLOW_NAME, _ROW_NAME, _ROW_TAGS, _ROW_PARENT = 1, 2, 3, 5, 6


class EventRows:
    """The event rows of a batch's emitted events and heartbeats, for one writer (not
    thread-safe: one writer thread uses it).

    The flow run an event concerns is read from the batch when it is new there, else
    from the database (one query per run and batch; few batches have any).
    """

    def __init__(self) -> None:
        self._heartbeats: dict[str, float] = {}
        self._last_mark = float("-inf")

    def state_mark_due(self) -> float | None:
        """The time of the `state_marks` row to add after this batch's states, or None
        when this writer added one less than `STATE_MARK_SECONDS` ago."""
        at = clock.now()
        if at - self._last_mark < STATE_MARK_SECONDS:
            return None
        self._last_mark = at
        return at

    def rows(self, plan: Any, read_flow_run: Callable[[str], Sequence[Any]],
             read_collection: Callable[[str], Sequence[Any]] | None = None) -> list[tuple[Any, ...]]:
        """The rows of `plan.events`, in order; then those of its keyed artifacts (when
        `read_collection` is given) and asset materializations (store/resource_events.py)."""
        runs: dict[str, tuple[str, list[dict[str, str]]] | None] = {}

        def run_of(run_id: str) -> tuple[str, list[dict[str, str]]] | None:
            if run_id not in runs:
                row = plan.new_flow_runs.get(run_id)
                if row is not None:  # new in this batch: no deployment or pool yet
                    runs[run_id] = (row[_ROW_NAME], flow_run_related(row[_ROW_FLOW_ID], row[_ROW_FLOW_NAME], None,
                                                                     None, None, None, None, row[_ROW_PARENT],
                                                                     row[_ROW_TAGS]))
                else:
                    found = read_flow_run(run_id)
                    if found:
                        (_, name, flow_id, flow_name, tags, deployment_id, deployment_name, pool_id, pool_name,
                         pool_type, parent) = found[0]
                        runs[run_id] = (name, flow_run_related(flow_id, flow_name, deployment_id, deployment_name,
                                                               pool_id, pool_name, pool_type, parent, tags))
                    else:
                        runs[run_id] = None
            return runs[run_id]

        received = clock.now()
        out: list[tuple[Any, ...]] = []
        if len(self._heartbeats) > _MAX_TRACKED_RUNS:
            self._heartbeats.clear()
        for record in plan.events:
            if type(record).__name__ == "Heartbeat":
                run_id, ts = record
                if ts - self._heartbeats.get(run_id, float("-inf")) < HEARTBEAT_EVENT_SECONDS:
                    continue
                run = run_of(run_id)
                if run is None:
                    continue  # a run the database does not hold: its history was refused too
                self._heartbeats[run_id] = ts
                resource = {"prefect.resource.id": f"prefect.flow-run.{run_id}", "prefect.resource.name": run[0]}
                out.append((new_id(), ts, "prefect.flow-run.heartbeat", resource["prefect.resource.id"],
                            _compact(resource), dump_related(run[1]), "{}", None, received))
                continue
            related = record.related
            flow_run_id = _emitted_in(record)
            run = run_of(flow_run_id) if flow_run_id else None
            if run is not None:  # the flow run's flow, deployment, pool and tags, as Prefect adds them
                known = {r.get("prefect.resource.id") for r in related}
                related = related + [r for r in run[1] if r["prefect.resource.id"] not in known]
            out.append(event_row(record.id, record.occurred, record.event, record.resource, related,
                                 record.payload, record.follows, received))
        if plan.artifacts or plan.asset_records:
            from headwater.store.resource_events import artifact_event_rows, asset_event_rows

            def run_related(run_id: str) -> list[dict[str, str]] | None:
                run = run_of(run_id)
                return None if run is None else run[1]

            if plan.artifacts and read_collection is not None:
                out += artifact_event_rows(list(plan.artifacts.values()), read_collection, run_related, received)
            if plan.asset_records:
                out += asset_event_rows(plan.asset_records, run_related, received)
        return out

