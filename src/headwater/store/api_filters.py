"""The API's filter objects (`headwater.core.api_schemas`) as SQL WHERE and ORDER BY.

Each criterion is one indexed-friendly comparison on a column of `flow_runs`,
`task_runs` or `logs`; filters across kinds (the flow runs of some flows, the task
runs of some flow runs) are `IN (subquery)` on the foreign id column.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select, true
from sqlalchemy.sql import ColumnElement

from headwater.core.api_schemas import (
    FlowFilter,
    FlowRunFilter,
    FlowRunSort,
    LogFilter,
    LogSort,
    TaskRunFilter,
    TaskRunSort,
)
from headwater.store.tables import flow_runs, logs, task_runs

__all__ = [
    "flow_run_order",
    "flow_run_where",
    "log_order",
    "log_where",
    "task_run_order",
    "task_run_where",
]

Clause = ColumnElement[bool]


def _ts(value: datetime) -> float:
    return value.timestamp()


def _ids(values: Any) -> list[str]:
    return [str(v) for v in values]


def _any(column: Any, spec: Any, clauses: list[Clause], *, convert: Any = list) -> None:
    if spec is None:
        return
    if getattr(spec, "any_", None) is not None:
        clauses.append(column.in_(convert(spec.any_)))
    if getattr(spec, "not_any_", None) is not None and spec.not_any_:
        clauses.append(or_(column.is_(None), column.notin_(convert(spec.not_any_))))
    if getattr(spec, "like_", None) is not None:
        clauses.append(func.lower(column).contains(spec.like_.lower(), autoescape=True))
    if getattr(spec, "is_null_", None) is not None:
        clauses.append(column.is_(None) if spec.is_null_ else column.isnot(None))


def _time_range(column: Any, spec: Any, clauses: list[Clause]) -> None:
    if spec is None:
        return
    if spec.before_ is not None:
        clauses.append(column <= _ts(spec.before_))
    if spec.after_ is not None:
        clauses.append(column >= _ts(spec.after_))
    if spec.is_null_ is not None:
        clauses.append(column.is_(None) if spec.is_null_ else column.isnot(None))


def _tags(column: Any, spec: Any, clauses: list[Clause]) -> None:
    if spec is None:
        return
    # Tags are stored as JSON text written by json.dumps; matching the quoted tag in
    # the text is exact for a list of strings and works the same on both databases.
    text = cast(column, String)
    for tag in spec.all_ or ():
        clauses.append(text.contains(json.dumps(tag), autoescape=True))
    if spec.is_null_ is not None:
        clauses.append(text == "[]" if spec.is_null_ else text != "[]")


def _state(table: Any, spec: Any, clauses: list[Clause]) -> None:
    if spec is None:
        return
    to_values = lambda types: [getattr(t, "value", t) for t in types]  # noqa: E731
    _any(table.c.state_type, spec.type, clauses, convert=to_values)
    _any(table.c.state_name, spec.name, clauses)


def _flow_where(spec: FlowFilter | None, clauses: list[Clause]) -> None:
    if spec is None:
        return
    _any(flow_runs.c.flow_id, spec.id, clauses, convert=_ids)
    _any(flow_runs.c.flow_name, spec.name, clauses)


def _flow_run_clauses(spec: FlowRunFilter | None, clauses: list[Clause]) -> None:
    if spec is None:
        return
    _any(flow_runs.c.id, spec.id, clauses, convert=_ids)
    _any(flow_runs.c.name, spec.name, clauses)
    _tags(flow_runs.c.tags, spec.tags, clauses)
    _state(flow_runs, spec.state, clauses)
    _time_range(flow_runs.c.start_time, spec.start_time, clauses)
    _time_range(flow_runs.c.end_time, spec.end_time, clauses)
    _time_range(flow_runs.c.expected_start_time, spec.expected_start_time, clauses)
    _any(flow_runs.c.parent_task_run_id, spec.parent_task_run_id, clauses, convert=_ids)
    _any(flow_runs.c.deployment_id, spec.deployment_id, clauses, convert=_ids)


def _task_run_clauses(spec: TaskRunFilter | None, clauses: list[Clause]) -> None:
    if spec is None:
        return
    _any(task_runs.c.id, spec.id, clauses, convert=_ids)
    _any(task_runs.c.name, spec.name, clauses)
    _tags(task_runs.c.tags, spec.tags, clauses)
    _state(task_runs, spec.state, clauses)
    _time_range(task_runs.c.start_time, spec.start_time, clauses)
    _any(task_runs.c.flow_run_id, spec.flow_run_id, clauses, convert=_ids)


def _all(clauses: list[Clause]) -> Clause:
    return and_(*clauses) if clauses else true()


def flow_run_where(
    flows: FlowFilter | None, runs: FlowRunFilter | None, tasks: TaskRunFilter | None
) -> Clause:
    """The WHERE clause on `flow_runs` for a flow-run filter request."""
    clauses: list[Clause] = []
    _flow_where(flows, clauses)
    _flow_run_clauses(runs, clauses)
    if tasks is not None:
        inner: list[Clause] = []
        _task_run_clauses(tasks, inner)
        if inner:
            clauses.append(flow_runs.c.id.in_(select(task_runs.c.flow_run_id).where(_all(inner))))
    return _all(clauses)


def task_run_where(
    flows: FlowFilter | None, runs: FlowRunFilter | None, tasks: TaskRunFilter | None
) -> Clause:
    """The WHERE clause on `task_runs` for a task-run filter request."""
    clauses: list[Clause] = []
    _task_run_clauses(tasks, clauses)
    outer: list[Clause] = []
    _flow_where(flows, outer)
    _flow_run_clauses(runs, outer)
    if outer:
        clauses.append(task_runs.c.flow_run_id.in_(select(flow_runs.c.id).where(_all(outer))))
    return _all(clauses)


def log_where(spec: LogFilter | None) -> Clause:
    """The WHERE clause on `logs` for a log filter."""
    clauses: list[Clause] = []
    if spec is not None:
        if spec.level is not None:
            if spec.level.ge_ is not None:
                clauses.append(logs.c.level >= spec.level.ge_)
            if spec.level.le_ is not None:
                clauses.append(logs.c.level <= spec.level.le_)
        _time_range(logs.c.timestamp, spec.timestamp, clauses)
        _any(logs.c.flow_run_id, spec.flow_run_id, clauses, convert=_ids)
        _any(logs.c.task_run_id, spec.task_run_id, clauses, convert=_ids)
    return _all(clauses)


def _order(table: Any, key: str) -> list[Any]:
    # Ties are broken by id so that pages never overlap or skip rows.
    field, _, direction = key.rpartition("_")
    column = {
        "ID": table.c.id,
        "CREATED": table.c.created,
        "START_TIME": table.c.start_time,
        "END_TIME": table.c.end_time,
        "NAME": table.c.name,
        "EXPECTED_START_TIME": getattr(table.c, "expected_start_time", None),
    }[field]
    if field == "ID":
        return [column.desc() if direction == "DESC" else column.asc()]
    # NULLS LAST on both databases (their defaults differ): runs not yet started sort last.
    if direction == "DESC":
        return [column.desc().nulls_last(), table.c.id.desc()]
    return [column.asc().nulls_last(), table.c.id.asc()]


def flow_run_order(sort: FlowRunSort) -> list[Any]:
    """ORDER BY columns of a flow-run sort."""
    return _order(flow_runs, sort.value)


def task_run_order(sort: TaskRunSort) -> list[Any]:
    """ORDER BY columns of a task-run sort."""
    return _order(task_runs, sort.value)


def log_order(sort: LogSort) -> list[Any]:
    """ORDER BY columns of a log sort."""
    if sort is LogSort.TIMESTAMP_DESC:
        return [logs.c.timestamp.desc(), logs.c.id.desc()]
    return [logs.c.timestamp.asc(), logs.c.id.asc()]
