"""Event rows: events as the `events` table holds them, and the events of state changes
derived while a batch of engine records is written.

The engine emits no event for a state change: the store derives one from each
`StateChanged` record as it writes the batch (and one per flow-run heartbeat), so
the task hot path pays nothing for events. Deriving needs what the run is (its name,
flow, flow run, deployment, pool, tags); `EventDeriver` keeps that per run for as
long as the run is active, reading it from the database once for a run it has not
seen (created by another process or before a restart). The JSON of the labels a run
keeps is built once per run; per state change only the state's part is formatted.

Free of SQLAlchemy, like store/batches.py: the embedded SQLite writer uses it too.
A row is a tuple in the table's column order (`EVENT_COLUMNS`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from headwater.core.ids import new_id

__all__ = ["EVENT_COLUMNS", "EventDeriver", "dump_related", "event_row"]

EVENT_COLUMNS = ("id", "occurred", "event", "resource_id", "resource", "related", "payload", "follows", "received")

_FINAL = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})
_MAX_CACHED_RUNS = 200_000  # runs known at once; beyond it the cache starts again (re-read on use)
_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

Execute = Callable[[str, Any], Any]


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


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


def _emitted_in(record: Any) -> str | None:
    for related in record.related:
        if related.get("prefect.resource.role") == "flow-run":
            resource_id = related.get("prefect.resource.id", "")
            if resource_id.startswith("prefect.flow-run."):
                return str(resource_id[len("prefect.flow-run."):])
    return None


class _Run:
    """What the events of one run repeat: the JSON of its resource's fixed labels and
    of its related resources, and the state it is in."""

    __slots__ = ("resource_id", "name", "head", "related", "related_list", "run_count", "state_type", "state_name",
                 "tail")

    def __init__(self, kind: str, run_id: str, name: str, related: list[dict[str, str]], run_count: int,
                 state_type: str | None, state_name: str | None, tail: str = "", related_json: str | None = None
                 ) -> None:
        self.resource_id = f"prefect.{kind}.{run_id}"
        self.name = name
        self.head = f'{{"prefect.resource.id":"{self.resource_id}","prefect.resource.name":{_compact(name)}'
        self.related_list = related
        self.related = related_json if related_json is not None else dump_related(related)
        self.run_count = run_count
        self.state_type = state_type
        self.state_name = state_name
        self.tail = tail


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [str(tag) for tag in value] if isinstance(value, list) else []


class EventDeriver:
    """Derives the events of state changes and heartbeats for one writer (see the
    module docstring). Not thread-safe: one writer thread uses it.

    What a run is and the state it was in are read afresh for each batch (from the
    batch, or from the database before the batch changes it), so a batch written
    again after a failed transaction derives the same events. Only the id of each
    active run's last event (`follows`) is kept between batches.
    """

    def __init__(self) -> None:
        self._flow_runs: dict[str, _Run] = {}
        self._task_runs: dict[str, _Run] = {}
        self._task_related: dict[tuple[str | None, str], tuple[list[dict[str, str]], str]] = {}
        self.last_events: dict[str, str] = {}

    # -- what runs are ---------------------------------------------------------------
    def _flow_run_from_row(self, row: Sequence[Any]) -> _Run:
        (run_id, name, flow_id, flow_name, tags, run_count, state_type, state_name, deployment_id,
         deployment_name, deployment_tags, pool_id, pool_name, pool_type, parent_task_run_id) = row
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
        for tag in sorted(set(_tags(tags)) | set(_tags(deployment_tags))):
            related.append({"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"})
        return _Run("flow-run", run_id, name, related, run_count or 0, state_type, state_name)

    def _flow_run(self, run_id: str, statements: Any, execute: Execute, plan: Any) -> _Run | None:
        run = self._flow_runs.get(run_id)
        if run is None:
            found = execute(statements.select_flow_run_context, (run_id,))
            if found:
                run = self._flow_run_from_row(found[0])
            else:
                row = plan.new_flow_runs.get(run_id)
                if row is None:
                    return None
                # (id, flow_id, flow_name, name, parameters, tags, parent_task_run_id, ...): new in this batch
                run = self._flow_run_from_row((run_id, row[3], row[1], row[2], row[5], 0, None, None, None, None,
                                               None, None, None, None, row[6]))
            self._flow_runs[run_id] = run
        return run

    def _task_run(self, run_id: str, statements: Any, execute: Execute, plan: Any) -> _Run | None:
        run = self._task_runs.get(run_id)
        if run is not None:
            return run
        row = plan.new_task_runs.get(run_id)
        if row is not None:
            name, tags, flow_run_id, run_count, state_type, state_name = row[2], row[6], row[1], 0, None, None
        else:
            found = execute(statements.select_task_run_context, (run_id,))
            if not found:
                return None
            _, name, tags, flow_run_id, run_count, state_type, state_name = found[0]
        key = (flow_run_id, tags if isinstance(tags, str) else _compact(tags))
        shared = self._task_related.get(key)
        if shared is None:  # the tasks of one flow run with the same tags share their related resources
            related = [{"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"}
                       for tag in _tags(tags)]
            flow_run = self._flow_run(flow_run_id, statements, execute, plan) if flow_run_id else None
            if flow_run is not None:
                related.append({"prefect.resource.id": flow_run.resource_id, "prefect.resource.role": "flow-run",
                                "prefect.resource.name": flow_run.name})
                related.extend(r for r in flow_run.related_list if r["prefect.resource.role"] != "tag")
            shared = self._task_related[key] = (related, dump_related(related))
        run = _Run("task-run", run_id, name, shared[0], run_count or 0, state_type, state_name,
                   ',"prefect.orchestration":"client"', shared[1])
        self._task_runs[run_id] = run
        return run

    def prefetch(self, statements: Any, execute: Execute, plan: Any) -> None:
        """Read what the batch's runs are and the state each was in, before the batch
        changes their rows."""
        self._flow_runs, self._task_runs, self._task_related = {}, {}, {}
        if len(self.last_events) > _MAX_CACHED_RUNS:
            self.last_events.clear()
        for record in plan.derived:
            kind = type(record).__name__
            if kind == "StateChanged":
                if record[1]:
                    self._task_run(record[0], statements, execute, plan)
                else:
                    self._flow_run(record[0], statements, execute, plan)
            elif kind == "Heartbeat":
                self._flow_run(record[0], statements, execute, plan)
            else:  # EventEmitted: the flow run it was emitted in
                flow_run_id = _emitted_in(record)
                if flow_run_id:
                    self._flow_run(flow_run_id, statements, execute, plan)

    # -- the events ------------------------------------------------------------------
    def derive(self, plan: Any, received: float) -> list[tuple[Any, ...]]:
        """The event rows of a prefetched batch: one per state change, heartbeat and
        emitted event, in the batch's order."""
        rows: list[tuple[Any, ...]] = []
        add = rows.append
        for record in plan.derived:
            kind = type(record).__name__
            if kind == "StateChanged":
                run_id, is_task, state_type, state_name, message, ts, _ = record
                run = (self._task_runs if is_task else self._flow_runs).get(run_id)
                if run is None:
                    continue  # a run the database does not hold: its history was refused too
                add(self._state_row(run, "prefect.task-run." if is_task else "prefect.flow-run.", state_type,
                                    state_name, message, ts, received))
                if state_type in _FINAL:
                    self.last_events.pop(run.resource_id, None)
            elif kind == "Heartbeat":
                run = self._flow_runs.get(record.flow_run_id)
                if run is not None:
                    add((new_id(), record.timestamp, "prefect.flow-run.heartbeat", run.resource_id, run.head + "}",
                         run.related, "{}", None, received))
            else:  # EventEmitted, with its flow run's related resources (flow, deployment, pool, tags)
                related = record.related
                flow_run_id = _emitted_in(record)
                run = self._flow_runs.get(flow_run_id) if flow_run_id else None
                if run is not None:
                    known = {r.get("prefect.resource.id") for r in related}
                    related = related + [r for r in run.related_list if r["prefect.resource.id"] not in known]
                add(event_row(record.id, record.occurred, record.event, record.resource, related,
                              record.payload, record.follows, received))
        return rows

    def _state_row(self, run: _Run, prefix: str, state_type: str, state_name: str, message: str | None,
                   ts: float, received: float) -> tuple[Any, ...]:
        previous_type, previous_name = run.state_type, run.state_name
        if state_type == "RUNNING":
            run.run_count += 1
        run.state_type, run.state_name = state_type, state_name
        name = _compact(state_name)
        resource = (f'{run.head},"prefect.run-count":"{run.run_count}","prefect.state-message":'
                    f'{_compact(message or "")},"prefect.state-name":{name},"prefect.state-timestamp":"{_iso(ts)}",'
                    f'"prefect.state-type":"{state_type}"{run.tail}}}')
        if previous_type is None:
            initial = "null"
            intended_from = "null"
        else:
            intended_from = f'"{previous_type}"'
            initial = f'{{"type":"{previous_type}","name":{_compact(previous_name or "")}}}'
        payload = (f'{{"intended":{{"from":{intended_from},"to":"{state_type}"}},"initial_state":{initial},'
                   f'"validated_state":{{"type":"{state_type}","name":{name}}}}}')
        event_id = new_id()
        follows = self.last_events.get(run.resource_id)
        self.last_events[run.resource_id] = event_id
        return (event_id, ts, prefix + state_name, run.resource_id, resource, run.related, payload, follows,
                received)
