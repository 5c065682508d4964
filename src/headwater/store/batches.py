"""Turning engine records into rows, and writing them: the store's hot path.

The background writer hands over up to a few thousand records at a time, about five
per task run (created, three state changes, a log line). To stay within a few
microseconds per task run, a batch is first *planned* in one pass of plain Python —
a run created in the batch gets its state changes folded into its INSERT row; several
state changes of a run created earlier become one UPDATE carrying the last — and then
written in one transaction with a handful of `executemany` calls that hand tuples
straight to the driver.

This module imports no SQLAlchemy: the embedded SQLite path (store/sqlite_sink.py)
writes with the standard library's sqlite3 and these same functions, so that a
`python flow.py` on an existing home does not pay for importing SQLAlchemy. The SQL
(`WriteStatements`) is compiled from the `Table` objects in store/writes.py.

Rows of `flow_runs` and `task_runs` are lists in table column order; both tables keep
their state columns at the same positions (below), so one fold serves both.

Re-sending a batch is harmless: run and input-edge INSERTs ignore rows that exist.
(State and log rows are appended again; they carry no key that could tell.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.core.ids import new_id
from headwater.core.states import FINAL_TYPES
from headwater.orchestrator.records import (
    ArtifactCreated,
    ArtifactUpdated,
    EventEmitted,
    AssetMaterialized,
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    RunProcess,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)

if TYPE_CHECKING:
    from headwater.store.event_rows import EventRows

__all__ = ["BatchPlan", "WriteStatements", "plan_batch", "write_plan"]

# Positions in a flow_runs / task_runs row (see the column order in tables/runs.py).
COL_ID, COL_STATE_TYPE, COL_STATE_NAME, COL_STATE_MESSAGE, COL_STATE_TS = 0, 7, 8, 9, 10
COL_START, COL_END, COL_RUN_COUNT, COL_CREATED, COL_UPDATED, COL_HEARTBEAT = 11, 12, 13, 14, 15, 16
_FLOW_ID, _FLOW_NAME = 1, 2

_FINAL_TYPES = frozenset(t.value for t in FINAL_TYPES)
_RUN_ROW_WIDTH = 17  # flow_runs up to heartbeat; task_runs use 16 (up to updated)


class WriteStatements(NamedTuple):
    """The SQL a batch is written with, for one dialect (compiled in store/writes.py).

    `*_update_order` give, for each placeholder of the UPDATE, the position in a run
    row (above) whose value fills it.
    """

    insert_flows: str
    select_flow: str
    insert_flow_runs: str
    insert_task_runs: str
    insert_inputs: str
    insert_states: str
    insert_logs: str
    insert_plain_task_states: str
    update_flow_runs: str
    flow_update_order: tuple[int, ...]
    update_task_runs: str
    task_update_order: tuple[int, ...]
    update_heartbeat: str
    update_process: str
    insert_artifacts: str
    update_artifacts: str
    upsert_artifact_collections: str
    insert_events: str
    select_flow_run_context: str
    insert_state_mark: str
    select_artifact_collection: str
    insert_asset_materializations: str
    upsert_assets: str
    touch_assets: str
    insert_asset_dependencies: str


@dataclass
class BatchPlan:
    """The rows one batch turns into, ready for `executemany`."""

    new_flow_runs: dict[str, list[Any]] = field(default_factory=dict)
    new_task_runs: dict[str, list[Any]] = field(default_factory=dict)
    flow_run_updates: dict[str, list[Any]] = field(default_factory=dict)
    task_run_updates: dict[str, list[Any]] = field(default_factory=dict)
    heartbeats: dict[str, float] = field(default_factory=dict)
    processes: dict[str, str] = field(default_factory=dict)
    states: list[tuple[Any, ...]] = field(default_factory=list)
    plain_task_states: list[tuple[str, str, str, float]] = field(default_factory=list)
    logs: list[Sequence[Any]] = field(default_factory=list)
    inputs: list[tuple[str, str, str, str]] = field(default_factory=list)
    artifacts: dict[str, list[Any]] = field(default_factory=dict)
    artifact_updates: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    """Emitted events and heartbeats, the records stored as events (state changes are not:
    their events are read from the states, store/state_events.py)."""
    asset_records: list[AssetMaterialized] = field(default_factory=list)


def _update_row(run_id: str) -> list[Any]:
    row: list[Any] = [None] * _RUN_ROW_WIDTH
    row[COL_ID] = run_id
    row[COL_RUN_COUNT] = 0
    return row


def plan_batch(records: Sequence[Any]) -> BatchPlan:
    """Coalesce `records` into rows (one pass; see the module docstring)."""
    plan = BatchPlan()
    new_flow_runs, new_task_runs = plan.new_flow_runs, plan.new_task_runs
    flow_updates, task_updates = plan.flow_run_updates, plan.task_run_updates
    add_state, add_log = plan.states.append, plan.logs.append
    add_plain_task_state = plan.plain_task_states.append
    dumps = json.dumps
    final = _FINAL_TYPES
    for record in records:
        kind = type(record)
        if kind is StateChanged:
            run_id, is_task, state_type, state_name, message, ts, details = record
            if details is not None:
                details = dumps(details)
            if message is not None and "\x00" in message:
                message = _visible_nul(message)
            if is_task:
                if message is None and details is None:
                    # Most states: binding a None costs sqlite3 more than a whole short
                    # value, so these go through SQL with the NULLs written in.
                    add_plain_task_state((run_id, state_type, state_name, ts))
                else:
                    add_state((None, run_id, state_type, state_name, message, ts, details))
                row = new_task_runs.get(run_id)
                if row is None:
                    row = task_updates.get(run_id)
                    if row is None:
                        row = task_updates[run_id] = _update_row(run_id)
            else:
                add_state((run_id, None, state_type, state_name, message, ts, details))
                row = new_flow_runs.get(run_id)
                if row is None:
                    row = flow_updates.get(run_id)
                    if row is None:
                        row = flow_updates[run_id] = _update_row(run_id)
            row[COL_STATE_TYPE] = state_type
            row[COL_STATE_NAME] = state_name
            row[COL_STATE_MESSAGE] = message
            row[COL_STATE_TS] = ts
            row[COL_UPDATED] = ts
            if state_type == "RUNNING":
                row[COL_RUN_COUNT] += 1
                if row[COL_START] is None:
                    row[COL_START] = ts
            row[COL_END] = ts if state_type in final else None
        elif kind is LogEmitted:
            if "\x00" in record.message:
                record = record._replace(message=_visible_nul(record.message))
            add_log(record)  # already in logs column order
        elif kind is TaskRunCreated:
            run_id, flow_run_id, name, task_name, task_key, dynamic_key, tags, created = record
            new_task_runs[run_id] = [
                run_id, flow_run_id, name, task_name, task_key, dynamic_key, dumps(tags) if tags else "[]",
                None, None, None, None, None, None, 0, created, created,
            ]  # fmt: skip
        elif kind is FlowRunCreated:
            run_id, flow_name, name, parameters, tags, parent_task_run_id, created = record
            new_flow_runs[run_id] = [
                run_id, None, flow_name, name, dumps(parameters) if parameters else "{}",
                dumps(tags) if tags else "[]", parent_task_run_id,
                None, None, None, None, None, None, 0, created, created, None,
            ]  # fmt: skip
        elif kind is TaskInputsRecorded:
            task_run_id = record.task_run_id
            plan.inputs.extend((task_run_id, upstream, parameter, k) for parameter, upstream, k in record.inputs)
        elif kind is Heartbeat:
            plan.events.append(record)
            row = new_flow_runs.get(record.flow_run_id)
            if row is not None:
                row[COL_HEARTBEAT] = record.timestamp
            else:
                plan.heartbeats[record.flow_run_id] = record.timestamp
        elif kind is RunProcess:
            plan.processes[record.flow_run_id] = record.process  # once per flow run: after its INSERT
        elif kind is ArtifactCreated or kind is ArtifactUpdated:
            _plan_artifact(plan, record)
        elif kind is EventEmitted:
            plan.events.append(record)
        elif kind is AssetMaterialized:
            plan.asset_records.append(record)  # rare: turned into rows when written
        else:
            raise TypeError(f"cannot store {record!r}: not a headwater.orchestrator.records record")
    return plan


# Positions in an artifacts row (the column order in tables/artifacts.py).
_ART_KEY, _ART_DESCRIPTION, _ART_DATA, _ART_CREATED, _ART_UPDATED = 1, 3, 4, 8, 9


def _plan_artifact(plan: BatchPlan, record: ArtifactCreated | ArtifactUpdated) -> None:
    # Artifacts are rare next to states and logs: kept out of the loop above.
    if isinstance(record, ArtifactCreated):
        artifact_id, key, type_, description, data, flow_run_id, task_run_id, created = record
        if description is not None and "\x00" in description:
            description = _visible_nul(description)
        plan.artifacts[artifact_id] = [artifact_id, key, type_, description, json.dumps(data), None, flow_run_id,
                                       task_run_id, created, created]
        return
    artifact_id, data, description, timestamp = record
    if description is not None and "\x00" in description:
        description = _visible_nul(description)
    row = plan.artifacts.get(artifact_id)
    if row is None:  # made in an earlier batch
        plan.artifact_updates.append((description, json.dumps(data), timestamp, artifact_id))
        return
    row[_ART_DATA] = json.dumps(data)
    if description is not None:
        row[_ART_DESCRIPTION] = description
    row[_ART_UPDATED] = timestamp


def _write_artifacts(statements: WriteStatements, plan: BatchPlan, executemany: Execute) -> None:
    if plan.artifacts:
        rows = list(map(tuple, plan.artifacts.values()))
        executemany(statements.insert_artifacts, rows)
        # The newest of a key's versions in this batch becomes its latest: one upsert
        # per key, however many versions a batch holds.
        newest: dict[str, tuple[Any, ...]] = {}
        for row in sorted(rows, key=itemgetter(_ART_CREATED)):
            if row[_ART_KEY] is not None:
                newest[row[_ART_KEY]] = row
        if newest:
            executemany(statements.upsert_artifact_collections,
                        [(new_id(), key, row[0], row[_ART_CREATED], row[_ART_CREATED])
                         for key, row in newest.items()])
    if plan.artifact_updates:
        executemany(statements.update_artifacts, plan.artifact_updates)


def _write_assets(statements: WriteStatements, records: list[AssetMaterialized], executemany: Execute) -> None:
    # Properties given on an `Asset` replace the stored ones (Prefect: "setting this will
    # overwrite properties of a known asset"); a key seen without them keeps its own.
    # One row per key: its newest properties in the batch (if any) and when last seen.
    properties_of: dict[str, str] = {}
    seen: dict[str, float] = {}
    materializations: list[tuple[Any, ...]] = []
    edges: dict[tuple[str, str], tuple[Any, ...]] = {}
    dumps = json.dumps
    for record in sorted(records, key=lambda r: r.timestamp):
        ts = record.timestamp
        for key, properties in [(record.key, record.properties), *record.upstream]:
            if properties is not None:
                properties_of[key] = dumps(properties)
            seen[key] = ts
        upstream = list(dict.fromkeys(key for key, _ in record.upstream))
        materializations.append((record.id, record.key, record.status, record.by,
                                 dumps(record.metadata) if record.metadata is not None else None, dumps(upstream),
                                 record.flow_run_id, record.task_run_id, ts))
        for key in upstream:
            edges.setdefault((key, record.key), (key, record.key, ts))
    touched = [(key, None, ts, ts) for key, ts in seen.items() if key not in properties_of]
    if touched:
        executemany(statements.touch_assets, touched)
    if properties_of:
        executemany(statements.upsert_assets, [(key, value, seen[key], seen[key]) for key, value in properties_of.items()])
    executemany(statements.insert_asset_materializations, materializations)
    if edges:
        executemany(statements.insert_asset_dependencies, list(edges.values()))


def _visible_nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text: one such message (an exception's, a log
    # line from any client) would fail its whole batch again and again.
    return text.replace("\x00", "\\x00")


Execute = Callable[[str, Any], Any]


def write_plan(statements: WriteStatements, plan: BatchPlan, executemany: Execute, execute: Execute,
               flow_ids: dict[str, str], events: EventRows | None = None) -> dict[str, str]:
    """Write `plan` inside the caller's transaction.

    Args:
        statements: the SQL for the connection's dialect.
        executemany: `executemany(sql, rows)` on the connection.
        execute: `execute(sql, params)` returning rows (to read flow ids back).
        flow_ids: flow ids by name known from earlier batches (not changed here).
        events: turns the plan's emitted events and heartbeats into event rows
            (store/event_rows.py); None stores none.

    Returns:
        flow ids by name resolved here; the caller adds them to `flow_ids` once committed.
    """
    resolved: dict[str, str] = {}
    if plan.new_flow_runs:
        resolved = _resolve_flow_ids(statements, plan.new_flow_runs.values(), executemany, execute, flow_ids)
        for row in plan.new_flow_runs.values():
            row[_FLOW_ID] = resolved.get(row[_FLOW_NAME]) or flow_ids[row[_FLOW_NAME]]
        executemany(statements.insert_flow_runs, list(map(tuple, plan.new_flow_runs.values())))
    if plan.new_task_runs:
        executemany(statements.insert_task_runs, list(map(tuple, plan.new_task_runs.values())))
    if plan.flow_run_updates:
        params = itemgetter(*statements.flow_update_order)
        executemany(statements.update_flow_runs, list(map(params, plan.flow_run_updates.values())))
    if plan.task_run_updates:
        params = itemgetter(*statements.task_update_order)
        executemany(statements.update_task_runs, list(map(params, plan.task_run_updates.values())))
    if plan.heartbeats:
        executemany(statements.update_heartbeat, [(ts, run_id) for run_id, ts in plan.heartbeats.items()])
    if plan.processes:
        executemany(statements.update_process, [(process, run_id) for run_id, process in plan.processes.items()])
    if plan.plain_task_states:
        executemany(statements.insert_plain_task_states, plan.plain_task_states)
    if plan.states:
        executemany(statements.insert_states, plan.states)
    if events is not None and (plan.states or plan.plain_task_states):
        at = events.state_mark_due()
        if at is not None:  # one statement a second at most, not one per row
            executemany(statements.insert_state_mark, [(at,)])
    if plan.logs:
        executemany(statements.insert_logs, plan.logs)
    if plan.inputs:
        executemany(statements.insert_inputs, plan.inputs)
    if plan.artifacts or plan.artifact_updates:
        _write_artifacts(statements, plan, executemany)
    if events is not None and (plan.events or plan.artifacts or plan.asset_records):
        rows = events.rows(plan, lambda run_id: execute(statements.select_flow_run_context, (run_id,)),
                           lambda key: execute(statements.select_artifact_collection, (key,)))
        if rows:
            executemany(statements.insert_events, rows)
    if plan.asset_records:
        _write_assets(statements, plan.asset_records, executemany)
    return resolved


def _resolve_flow_ids(statements: WriteStatements, rows: Any, executemany: Execute, execute: Execute,
                      flow_ids: dict[str, str]) -> dict[str, str]:
    missing: dict[str, float] = {}
    for row in rows:
        name = row[_FLOW_NAME]
        if name not in flow_ids and name not in missing:
            missing[name] = row[COL_CREATED]
    if not missing:
        return {}
    executemany(statements.insert_flows, [(new_id(), n, t) for n, t in missing.items()])
    # Another process may have inserted the same name first: read back the winners.
    resolved: dict[str, str] = {}
    for name in missing:  # one query per new flow name: a handful in a process's life
        for found_name, flow_id in execute(statements.select_flow, (name,)):
            resolved[found_name] = flow_id
    return resolved
