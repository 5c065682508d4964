"""Queries that read run history back as `headwater.core.schemas` models.

Each function takes an open connection; the repositories (`FlowRuns`, `History`) run
them through `Database.read`, which turns database failures into `StoreError`. Rows hold float epoch seconds; the models get
aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeAlias

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection, RowMapping

from headwater.core.clock import to_datetime
from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
from headwater.exceptions import ObjectNotFound
from headwater.store.tables import flow_runs, logs, states, task_run_inputs, task_runs

__all__ = [
    "count_rows",
    "find_flow_run",
    "list_flow_runs",
    "read_logs",
    "read_states",
    "read_task_run",
    "read_task_runs",
]

_HEX_AND_DASH = frozenset("0123456789abcdef-")
MIN_PREFIX = 4

# A run's columns by name: a row read back, or the values a write has just inserted.
RunRow: TypeAlias = RowMapping | Mapping[str, Any]


def as_utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def _current_state(row: RunRow, details: dict[str, Any] | None = None) -> StateInfo | None:
    if row["state_type"] is None:
        return None
    return StateInfo(
        type=row["state_type"],
        name=row["state_name"],
        message=row["state_message"],
        timestamp=as_utc(row["state_timestamp"]),
        details=details,
    )


def flow_run_from_row(row: RunRow) -> FlowRunInfo:
    return FlowRunInfo(
        id=row["id"],
        name=row["name"],
        flow_name=row["flow_name"],
        state=_current_state(row),
        flow_id=row.get("flow_id"),
        deployment_id=row.get("deployment_id"),
        expected_start_time=to_datetime(row.get("expected_start_time")),
        parameters=row["parameters"] or {},
        tags=row["tags"] or [],
        parent_task_run_id=row["parent_task_run_id"],
        run_count=row["run_count"],
        created=as_utc(row["created"]),
        start_time=to_datetime(row["start_time"]),
        end_time=to_datetime(row["end_time"]),
        heartbeat=to_datetime(row["heartbeat"]),
        job_variables=row.get("job_variables") or {},
    )


def task_run_from_row(row: RunRow, upstream: list[str], details: dict[str, Any] | None = None) -> TaskRunInfo:
    return TaskRunInfo(
        id=row["id"],
        name=row["name"],
        task_name=row["task_name"],
        task_key=row["task_key"],
        flow_run_id=row["flow_run_id"],
        dynamic_key=row["dynamic_key"],
        state=_current_state(row, details),
        tags=row["tags"] or [],
        run_count=row["run_count"],
        created=as_utc(row["created"]),
        start_time=to_datetime(row["start_time"]),
        end_time=to_datetime(row["end_time"]),
        upstream=upstream,
    )


def list_flow_runs(
    conn: Connection,
    *,
    state_types: Sequence[str] | None,
    flow_name: str | None,
    limit: int,
    offset: int,
    newest_first: bool,
) -> list[FlowRunInfo]:
    query = select(flow_runs)
    if state_types is not None:
        query = query.where(flow_runs.c.state_type.in_([str(getattr(t, "value", t)).upper() for t in state_types]))
    if flow_name is not None:
        query = query.where(flow_runs.c.flow_name == flow_name)
    order = (
        (flow_runs.c.created.desc(), flow_runs.c.id.desc()) if newest_first else (flow_runs.c.created, flow_runs.c.id)
    )
    query = query.order_by(*order).limit(limit).offset(offset)
    return [flow_run_from_row(row) for row in conn.execute(query).mappings()]


def find_flow_run(conn: Connection, ref: str) -> FlowRunInfo:
    """Find a flow run by full id, unique id prefix or suffix (>= 4 characters) or name (newest wins).

    Raises:
        ObjectNotFound: nothing matches, or the prefix matches several runs.
    """
    ref = ref.strip()
    if not ref:
        raise ObjectNotFound("no flow run given: pass a flow run id, an id prefix or a flow run name")
    row = conn.execute(select(flow_runs).where(flow_runs.c.id == ref)).mappings().first()
    if row is None and len(ref) >= MIN_PREFIX and set(ref.lower()) <= _HEX_AND_DASH:
        # Ids start with a timestamp, so the CLI shows their random end: accept either end.
        for where, what in ((flow_runs.c.id.startswith(ref.lower(), autoescape=True), "prefix"),
                            (flow_runs.c.id.endswith(ref.lower(), autoescape=True), "suffix")):
            matches = conn.execute(select(flow_runs).where(where).limit(6)).mappings().all()
            if len(matches) > 1:
                shown = ", ".join(m["id"] for m in matches[:5])
                raise ObjectNotFound(
                    f"flow run id {what} {ref!r} is ambiguous: it matches {shown}"
                    f"{', ...' if len(matches) > 5 else ''}. Give more characters."
                )
            if matches:
                row = matches[0]
                break
    if row is None:
        query = select(flow_runs).where(flow_runs.c.name == ref).order_by(flow_runs.c.created.desc()).limit(1)
        row = conn.execute(query).mappings().first()
    if row is None:
        raise ObjectNotFound(
            f"no flow run with id, id prefix or name {ref!r}. List flow runs with `headwater flow-run ls`."
        )
    return flow_run_from_row(row)


def upstream_by_task(conn: Connection, where: Any) -> dict[str, list[str]]:
    query = (
        select(task_run_inputs.c.task_run_id, task_run_inputs.c.upstream_task_run_id)
        .where(where)
        .order_by(task_run_inputs.c.task_run_id, task_run_inputs.c.parameter, task_run_inputs.c.upstream_task_run_id)
    )
    upstream: dict[str, list[str]] = {}
    for task_run_id, upstream_id in conn.execute(query):
        ids = upstream.setdefault(task_run_id, [])
        if upstream_id not in ids:
            ids.append(upstream_id)
    return upstream


def read_task_runs(conn: Connection, flow_run_id: str) -> list[TaskRunInfo]:
    query = (
        select(task_runs).where(task_runs.c.flow_run_id == flow_run_id).order_by(task_runs.c.created, task_runs.c.id)
    )
    rows = conn.execute(query).mappings().all()
    if not rows:
        return []
    in_flow_run = select(task_runs.c.id).where(task_runs.c.flow_run_id == flow_run_id).scalar_subquery()
    upstream = upstream_by_task(conn, task_run_inputs.c.task_run_id.in_(in_flow_run))
    details = current_details(conn, states.c.task_run_id.in_(in_flow_run), rows)
    return [task_run_from_row(row, upstream.get(row["id"], []), details.get(row["id"])) for row in rows]


def current_details(conn: Connection, where: Any, rows: Sequence[RowMapping]) -> dict[str, dict[str, Any]]:
    """The details (cache key, result location, ...) of each task run's current state, where it has some."""
    query = select(states.c.task_run_id, states.c.name, states.c.timestamp, states.c.details).where(
        where, states.c.details.is_not(None)
    )
    current = {row["id"]: (row["state_name"], row["state_timestamp"]) for row in rows}
    return {
        run_id: details
        for run_id, name, ts, details in conn.execute(query)
        if details is not None and current.get(run_id) == (name, ts)
    }


def read_task_run(conn: Connection, task_run_id: str) -> TaskRunInfo:
    row = conn.execute(select(task_runs).where(task_runs.c.id == task_run_id)).mappings().first()
    if row is None:
        raise ObjectNotFound(f"no task run with id {task_run_id!r}.")
    upstream = upstream_by_task(conn, task_run_inputs.c.task_run_id == task_run_id)
    details = current_details(conn, states.c.task_run_id == task_run_id, [row])
    return task_run_from_row(row, upstream.get(task_run_id, []), details.get(task_run_id))


def read_states(conn: Connection, run_id: str) -> list[StateInfo]:
    query = (
        select(states.c.type, states.c.name, states.c.message, states.c.timestamp, states.c.details)
        .where(or_(states.c.flow_run_id == run_id, states.c.task_run_id == run_id))
        .order_by(states.c.timestamp, states.c.id)
    )
    return [
        StateInfo(type=t, name=n, message=m, timestamp=as_utc(ts), details=d) for t, n, m, ts, d in conn.execute(query)
    ]


def read_logs(
    conn: Connection,
    *,
    flow_run_id: str | None,
    task_run_id: str | None,
    min_level: int,
    limit: int | None,
    offset: int,
) -> list[LogInfo]:
    query = select(
        logs.c.flow_run_id, logs.c.task_run_id, logs.c.level, logs.c.logger, logs.c.message, logs.c.timestamp
    )
    if flow_run_id is not None:
        query = query.where(logs.c.flow_run_id == flow_run_id)
    if task_run_id is not None:
        query = query.where(logs.c.task_run_id == task_run_id)
    if min_level > 0:
        query = query.where(logs.c.level >= min_level)
    query = query.order_by(logs.c.timestamp, logs.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [
        LogInfo(flow_run_id=f, task_run_id=t, level=lv, logger=lg, message=m, timestamp=as_utc(ts))
        for f, t, lv, lg, m, ts in conn.execute(query)
    ]


def count_rows(conn: Connection) -> dict[str, int]:
    counts = {}
    for table in (flow_runs, task_runs, states, logs, task_run_inputs):
        counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return counts
