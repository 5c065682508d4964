"""Writing batches of engine records: the store's hot path.

The background writer hands over up to a few thousand records at a time, about five
per task run (created, three state changes, a log line). To stay within a few
microseconds per task run, a batch is first *planned* in one pass of plain Python —
a run created in the batch gets its state changes folded into its INSERT row; several
state changes of a run created earlier become one UPDATE carrying the last — and then
written in one transaction with a handful of `executemany` calls that hand tuples
straight to the driver. The SQL is compiled once per dialect from the `Table` objects.

Rows of `flow_runs` and `task_runs` are lists in table column order; both tables keep
their state columns at the same positions (below), so one fold serves both.

Re-sending a batch is harmless: run and input-edge INSERTs ignore rows that exist.
(State and log rows are appended again; they carry no key that could tell.)
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, func, null, select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement

from headwater.core.states import FINAL_TYPES
from headwater.orchestrator.records import (
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)
from headwater.store.tables import flow_runs, flows, logs, states, task_run_inputs, task_runs

__all__ = ["BatchPlan", "BatchWriter", "compile_positional", "positional_dialect"]

# Positions in a flow_runs / task_runs row (see the column order in tables.py).
_ID, _STATE_TYPE, _STATE_NAME, _STATE_MESSAGE, _STATE_TS = 0, 7, 8, 9, 10
_START, _END, _RUN_COUNT, _UPDATED, _HEARTBEAT = 11, 12, 13, 15, 16
_FLOW_ID, _FLOW_NAME = 1, 2

_FINAL_TYPES = frozenset(t.value for t in FINAL_TYPES)
_RUN_ROW_WIDTH = 17  # flow_runs up to heartbeat; task_runs use 16 (up to updated)

assert flow_runs.c.keys()[_STATE_TYPE : _RUN_COUNT + 1] == task_runs.c.keys()[_STATE_TYPE : _RUN_COUNT + 1]
assert flow_runs.c.keys()[_UPDATED] == task_runs.c.keys()[_UPDATED] == "updated"
assert flow_runs.c.keys()[_HEARTBEAT] == "heartbeat"


@dataclass
class BatchPlan:
    """The rows one batch turns into, ready for `executemany`."""

    new_flow_runs: dict[str, list[Any]] = field(default_factory=dict)
    new_task_runs: dict[str, list[Any]] = field(default_factory=dict)
    flow_run_updates: dict[str, list[Any]] = field(default_factory=dict)
    task_run_updates: dict[str, list[Any]] = field(default_factory=dict)
    heartbeats: dict[str, float] = field(default_factory=dict)
    states: list[tuple[Any, ...]] = field(default_factory=list)
    plain_task_states: list[tuple[str, str, str, float]] = field(default_factory=list)
    logs: list[Sequence[Any]] = field(default_factory=list)
    inputs: list[tuple[str, str, str, str]] = field(default_factory=list)


def _update_row(run_id: str) -> list[Any]:
    row: list[Any] = [None] * _RUN_ROW_WIDTH
    row[_ID] = run_id
    row[_RUN_COUNT] = 0
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
            row[_STATE_TYPE] = state_type
            row[_STATE_NAME] = state_name
            row[_STATE_MESSAGE] = message
            row[_STATE_TS] = ts
            row[_UPDATED] = ts
            if state_type == "RUNNING":
                row[_RUN_COUNT] += 1
                if row[_START] is None:
                    row[_START] = ts
            row[_END] = ts if state_type in final else None
        elif kind is LogEmitted:
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
            row = new_flow_runs.get(record.flow_run_id)
            if row is not None:
                row[_HEARTBEAT] = record.timestamp
            else:
                plan.heartbeats[record.flow_run_id] = record.timestamp
        else:
            raise TypeError(f"cannot store {record!r}: not a headwater.orchestrator.records record")
    return plan


def positional_dialect(dialect: Dialect) -> Dialect:
    if dialect.positional:
        return dialect
    # psycopg also takes %s placeholders, so tuples can go straight to executemany.
    return type(dialect)(paramstyle="format")  # type: ignore[call-arg]


def compile_positional(stmt: ClauseElement, dialect: Dialect, **kw: Any) -> tuple[str, list[str]]:
    compiled = stmt.compile(dialect=dialect, **kw)
    return compiled.string, list(getattr(compiled, "positiontup", None) or ())


def _state_update(table: Any, dialect: Dialect) -> tuple[str, itemgetter[Any]]:
    stmt = (
        update(table)
        .where(table.c.id == bindparam("p_id"))
        .values(
            state_type=bindparam("p_type"),
            state_name=bindparam("p_name"),
            state_message=bindparam("p_message"),
            state_timestamp=bindparam("p_ts"),
            start_time=func.coalesce(table.c.start_time, bindparam("p_start", type_=table.c.start_time.type)),
            run_count=table.c.run_count + bindparam("p_count", type_=table.c.run_count.type),
            end_time=bindparam("p_end"),
            updated=bindparam("p_updated"),
        )
    )
    sql, names = compile_positional(stmt, dialect)
    where = {
        "p_id": _ID, "p_type": _STATE_TYPE, "p_name": _STATE_NAME, "p_message": _STATE_MESSAGE,
        "p_ts": _STATE_TS, "p_start": _START, "p_count": _RUN_COUNT, "p_end": _END, "p_updated": _UPDATED,
    }  # fmt: skip
    return sql, itemgetter(*(where[name] for name in names))


class BatchWriter:
    """Writes planned batches for one dialect; remembers flow ids by name."""

    def __init__(self, dialect: Dialect) -> None:
        insert: Any
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        positional = positional_dialect(dialect)

        def insert_ignoring_existing(table: Any, width: int | None = None) -> str:
            # Columns past `width` are never set by records (cache_key, deployment_id).
            columns = table.c.keys()[:width]
            sql, names = compile_positional(insert(table).on_conflict_do_nothing(), positional, column_keys=columns)
            assert names == columns, (names, columns)
            return sql

        def append(table: Any) -> str:
            columns = [c.name for c in table.columns if c.name != "id"]
            sql, names = compile_positional(table.insert(), positional, column_keys=columns)
            assert names == columns, (names, columns)
            return sql

        self._insert_flows = insert_ignoring_existing(flows)
        self._insert_flow_runs = insert_ignoring_existing(flow_runs, _HEARTBEAT + 1)
        self._insert_task_runs = insert_ignoring_existing(task_runs, _UPDATED + 1)
        self._insert_inputs = insert_ignoring_existing(task_run_inputs)
        self._insert_states = append(states)
        self._insert_logs = append(logs)
        self._insert_plain_task_states, names = compile_positional(
            states.insert().values(
                flow_run_id=null(),
                task_run_id=bindparam("p_id"),
                type=bindparam("p_type"),
                name=bindparam("p_name"),
                message=null(),
                timestamp=bindparam("p_ts"),
                details=null(),
            ),
            positional,
        )
        assert names == ["p_id", "p_type", "p_name", "p_ts"], names
        self._update_flow_runs, self._flow_update_params = _state_update(flow_runs, positional)
        self._update_task_runs, self._task_update_params = _state_update(task_runs, positional)
        self._update_heartbeat, names = compile_positional(
            update(flow_runs).where(flow_runs.c.id == bindparam("p_id")).values(heartbeat=bindparam("p_hb")),
            positional,
        )
        assert names == ["p_hb", "p_id"], names
        self.flow_ids: dict[str, str] = {}

    def execute(self, conn: Connection, plan: BatchPlan) -> dict[str, str]:
        """Write `plan` on `conn` (inside the caller's transaction).

        Returns:
            flow ids by name resolved here; the caller caches them once committed.
        """
        run = conn.exec_driver_sql
        resolved: dict[str, str] = {}
        if plan.new_flow_runs:
            resolved = self._resolve_flow_ids(conn, plan.new_flow_runs.values())
            for row in plan.new_flow_runs.values():
                row[_FLOW_ID] = resolved.get(row[_FLOW_NAME]) or self.flow_ids[row[_FLOW_NAME]]
            run(self._insert_flow_runs, list(map(tuple, plan.new_flow_runs.values())))
        if plan.new_task_runs:
            run(self._insert_task_runs, list(map(tuple, plan.new_task_runs.values())))
        if plan.flow_run_updates:
            run(self._update_flow_runs, list(map(self._flow_update_params, plan.flow_run_updates.values())))
        if plan.task_run_updates:
            run(self._update_task_runs, list(map(self._task_update_params, plan.task_run_updates.values())))
        if plan.heartbeats:
            run(self._update_heartbeat, [(ts, run_id) for run_id, ts in plan.heartbeats.items()])
        if plan.plain_task_states:
            run(self._insert_plain_task_states, plan.plain_task_states)
        if plan.states:
            run(self._insert_states, plan.states)
        if plan.logs:
            run(self._insert_logs, plan.logs)
        if plan.inputs:
            run(self._insert_inputs, plan.inputs)
        return resolved

    def _resolve_flow_ids(self, conn: Connection, rows: Any) -> dict[str, str]:
        missing: dict[str, float] = {}
        for row in rows:
            name = row[_FLOW_NAME]
            if name not in self.flow_ids and name not in missing:
                missing[name] = row[14]  # the run's created time
        if not missing:
            return {}
        conn.exec_driver_sql(self._insert_flows, [(str(uuid.uuid4()), n, t) for n, t in missing.items()])
        # Another process may have inserted the same name first: read back the winners.
        found = conn.execute(select(flows.c.name, flows.c.id).where(flows.c.name.in_(list(missing))))
        return {name: flow_id for name, flow_id in found}
