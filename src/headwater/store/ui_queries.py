"""What the web UI's pages ask of the store, in as few and as cheap queries as possible.

`UiQueries` is the store's repository of them (`store.ui`). Its methods return small, plain rows
(named tuples of floats and strings) rather than the API's pydantic models: a flow run
page with 5,000 task runs or a list page over 100,000 flow runs must not pay for
building a model per row it only draws.

Every list query is bounded (a page, a newest-N tail) and leans on an index of
`store/tables/runs.py`: `flow_runs (created)`, `(state_type, created)`, `(flow_name, created)`,
`task_runs (flow_run_id, created)`, `logs (flow_run_id, timestamp)`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import String, and_, cast, func, select, true
from sqlalchemy.engine import Connection

from headwater.core.schemas import FlowRunInfo
from headwater.store.reads import flow_run_from_row
from headwater.store.tables import flow_runs, flows, logs, task_run_inputs, task_runs

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = [
    "SORTS",
    "EdgeRow",
    "FlowRunPage",
    "FlowRunQuery",
    "LogRow",
    "RunLink",
    "TaskRunRow",
    "UiQueries",
]

SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (flow_runs.c.created.desc(), flow_runs.c.id.desc()),
    "oldest": (flow_runs.c.created.asc(), flow_runs.c.id.asc()),
    "name": (flow_runs.c.name.asc(), flow_runs.c.id.asc()),
    "flow": (flow_runs.c.flow_name.asc(), flow_runs.c.created.desc()),
}
"""The sort orders of the flow runs list, by the name the page's links use."""


@dataclass(frozen=True)
class FlowRunQuery:
    """The filters, order and page of the flow runs list.

    Attributes:
        state_types: only these state types (upper case), or all.
        flow_name: only runs of this flow.
        deployment_ids: only runs of these deployments (a project filter is its deployments).
        tag: only runs carrying this tag.
        since: only runs created at or after this epoch time.
        until: only runs created before this epoch time.
        sort: one of `SORTS`.
        page: 1-based page number.
        page_size: rows per page.
    """

    state_types: tuple[str, ...] = ()
    flow_name: str | None = None
    deployment_ids: tuple[str, ...] | None = None
    tag: str | None = None
    since: float | None = None
    until: float | None = None
    sort: str = "newest"
    page: int = 1
    page_size: int = 50


@dataclass
class FlowRunPage:
    """One page of flow runs and how many match in all."""

    runs: list[FlowRunInfo] = field(default_factory=list)
    total: int = 0


class TaskRunRow(NamedTuple):
    """A task run as the timeline and graph draw it (times are epoch seconds)."""

    id: str
    name: str
    task_name: str
    task_key: str
    dynamic_key: int
    state_type: str | None
    state_name: str | None
    created: float
    start_time: float | None
    end_time: float | None
    updated: float


class EdgeRow(NamedTuple):
    """An input edge: `task_run_id` took `parameter` from (or waited for) `upstream_id`."""

    task_run_id: str
    upstream_id: str
    parameter: str
    kind: str


class LogRow(NamedTuple):
    """A log line with its row id, so a live tail can ask for what came after it."""

    id: int
    task_run_id: str | None
    level: int
    logger: str
    message: str
    timestamp: float


class RunLink(NamedTuple):
    """Enough of a run to link to it: id, name, state."""

    id: str
    name: str
    state_type: str | None
    state_name: str | None
    flow_run_id: str | None = None


_TASK_COLUMNS = (
    task_runs.c.id, task_runs.c.name, task_runs.c.task_name, task_runs.c.task_key, task_runs.c.dynamic_key,
    task_runs.c.state_type, task_runs.c.state_name, task_runs.c.created, task_runs.c.start_time,
    task_runs.c.end_time, task_runs.c.updated,
)
_LOG_COLUMNS = (logs.c.id, logs.c.task_run_id, logs.c.level, logs.c.logger, logs.c.message, logs.c.timestamp)


def _flow_run_where(query: FlowRunQuery) -> list[Any]:
    clauses: list[Any] = []
    if query.state_types:
        clauses.append(flow_runs.c.state_type.in_(list(query.state_types)))
    if query.flow_name:
        clauses.append(flow_runs.c.flow_name == query.flow_name)
    if query.deployment_ids is not None:
        clauses.append(flow_runs.c.deployment_id.in_(list(query.deployment_ids)))
    if query.tag:
        # Tags are JSON text written by json.dumps: the quoted tag matches exactly.
        clauses.append(cast(flow_runs.c.tags, String).contains(json.dumps(query.tag), autoescape=True))
    if query.since is not None:
        clauses.append(flow_runs.c.created >= query.since)
    if query.until is not None:
        clauses.append(flow_runs.c.created < query.until)
    return clauses


class UiQueries:
    """The web UI's reads over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def flow_runs(self, query: FlowRunQuery) -> FlowRunPage:
        """One page of the flow runs list and the number of runs matching its filters."""
        where = and_(true(), *_flow_run_where(query))
        order = SORTS.get(query.sort, SORTS["newest"])
        offset = (max(query.page, 1) - 1) * query.page_size
        rows_query = select(flow_runs).where(where).order_by(*order).limit(query.page_size).offset(offset)
        count_query = select(func.count()).select_from(flow_runs).where(where)

        def read(conn: Connection) -> FlowRunPage:
            runs = [flow_run_from_row(row) for row in conn.execute(rows_query).mappings()]
            return FlowRunPage(runs=runs, total=int(conn.execute(count_query).scalar_one()))

        return self._db.read(read)

    def flow_run_states(self, ids: Sequence[str]) -> dict[str, FlowRunInfo]:
        """Some flow runs by id, in one query (a list page refreshing the rows it shows)."""
        if not ids:
            return {}
        query = select(flow_runs).where(flow_runs.c.id.in_(list(ids)[:1000]))
        return self._db.read(
            lambda conn: {run.id: run for run in (flow_run_from_row(row) for row in conn.execute(query).mappings())}
        )

    def flow_names(self, limit: int = 500) -> list[str]:
        """Names of known flows, alphabetically (for the list's flow filter)."""
        query = select(flows.c.name).order_by(flows.c.name).limit(limit)
        return self._db.read(lambda conn: list(conn.execute(query).scalars()))

    def state_counts(self, since: float, bucket_seconds: float) -> list[tuple[int, str, int]]:
        """Flow runs created since `since`, counted per time bucket and state type.

        Returns:
            `(bucket index, state type, count)` rows; bucket 0 starts at `since`.
        """
        bucket = func.floor((flow_runs.c.created - since) / bucket_seconds)
        state = func.coalesce(flow_runs.c.state_type, "PENDING")
        query = (select(bucket, state, func.count()).where(flow_runs.c.created >= since)
                 .group_by(bucket, state))
        return self._db.read(
            lambda conn: [(int(b), str(s), int(n)) for b, s, n in conn.execute(query)]
        )

    def runs_with_state(self, state_types: Sequence[str], *, state_name: str | None = None,
                           limit: int = 10) -> list[FlowRunInfo]:
        """The newest flow runs in one of `state_types` (and named `state_name`, if given)."""
        query = select(flow_runs).where(flow_runs.c.state_type.in_(list(state_types)))
        if state_name is not None:
            query = query.where(flow_runs.c.state_name == state_name)
        query = query.order_by(flow_runs.c.created.desc()).limit(limit)
        return self._db.read(
            lambda conn: [flow_run_from_row(row) for row in conn.execute(query).mappings()]
        )

    def task_runs(self, flow_run_id: str) -> list[TaskRunRow]:
        """Every task run of a flow run, in creation order, as plain rows."""
        query = (select(*_TASK_COLUMNS).where(task_runs.c.flow_run_id == flow_run_id)
                 .order_by(task_runs.c.created, task_runs.c.id))
        return self._db.read(
            lambda conn: [TaskRunRow(*row) for row in conn.execute(query)]
        )

    def task_runs_updated(self, flow_run_id: str, after: float) -> list[TaskRunRow]:
        """The task runs of a flow run changed after `after` (epoch seconds): a live page's delta."""
        query = (select(*_TASK_COLUMNS)
                 .where(task_runs.c.flow_run_id == flow_run_id, task_runs.c.updated > after)
                 .order_by(task_runs.c.created, task_runs.c.id))
        return self._db.read(
            lambda conn: [TaskRunRow(*row) for row in conn.execute(query)]
        )

    def edges(self, flow_run_id: str) -> list[EdgeRow]:
        """The input edges between the task runs of a flow run."""
        in_run = select(task_runs.c.id).where(task_runs.c.flow_run_id == flow_run_id).scalar_subquery()
        query = select(task_run_inputs.c.task_run_id, task_run_inputs.c.upstream_task_run_id,
                       task_run_inputs.c.parameter, task_run_inputs.c.kind).where(
            task_run_inputs.c.task_run_id.in_(in_run))
        return self._db.read(
            lambda conn: [EdgeRow(*row) for row in conn.execute(query)]
        )

    def downstream(self, task_run_id: str) -> list[RunLink]:
        """The task runs that took an input from `task_run_id`."""
        query = (select(task_runs.c.id, task_runs.c.name, task_runs.c.state_type, task_runs.c.state_name,
                        task_runs.c.flow_run_id)
                 .join(task_run_inputs, task_run_inputs.c.task_run_id == task_runs.c.id)
                 .where(task_run_inputs.c.upstream_task_run_id == task_run_id).distinct().limit(500))
        return self._db.read(lambda conn: [RunLink(*row) for row in conn.execute(query)])

    def task_run_links(self, ids: Sequence[str]) -> dict[str, RunLink]:
        """Names and states of the task runs with these ids."""
        if not ids:
            return {}
        query = select(task_runs.c.id, task_runs.c.name, task_runs.c.state_type, task_runs.c.state_name,
                       task_runs.c.flow_run_id).where(task_runs.c.id.in_(list(ids)[:1000]))
        return self._db.read(
            lambda conn: {row[0]: RunLink(*row) for row in conn.execute(query)}
        )

    def subflow_runs(self, flow_run_id: str) -> dict[str, RunLink]:
        """The subflow runs started by the task runs of a flow run, keyed by parent task run id."""
        in_run = (select(task_runs.c.id)
                  .where(task_runs.c.flow_run_id == flow_run_id, task_runs.c.task_key.startswith("subflow:"))
                  .scalar_subquery())
        query = select(flow_runs.c.parent_task_run_id, flow_runs.c.id, flow_runs.c.name, flow_runs.c.state_type,
                       flow_runs.c.state_name).where(flow_runs.c.parent_task_run_id.in_(in_run))
        return self._db.read(
            lambda conn: {row[0]: RunLink(*row[1:]) for row in conn.execute(query)}
        )

    def parent_flow_run(self, parent_task_run_id: str) -> RunLink | None:
        """The flow run whose task run `parent_task_run_id` started a subflow, if it is stored."""
        query = (select(flow_runs.c.id, flow_runs.c.name, flow_runs.c.state_type, flow_runs.c.state_name)
                 .join(task_runs, task_runs.c.flow_run_id == flow_runs.c.id)
                 .where(task_runs.c.id == parent_task_run_id))
        row = self._db.read(lambda conn: conn.execute(query).first())
        return RunLink(*row) if row is not None else None

    def logs(self, *, flow_run_id: str | None = None, task_run_id: str | None = None, after_id: int = 0,
                min_level: int = 0, tail: int = 500) -> list[LogRow]:
        """Log lines oldest first: the newest `tail` of them, or those after row `after_id`.

        Args:
            flow_run_id: lines of this flow run (and its task runs).
            task_run_id: lines of this task run.
            after_id: only rows after this id (a live tail's cursor); 0 for the newest `tail`.
            min_level: only lines at this level or above.
            tail: the most lines returned.
        """
        clauses: list[Any] = []
        if flow_run_id is not None:
            clauses.append(logs.c.flow_run_id == flow_run_id)
        if task_run_id is not None:
            clauses.append(logs.c.task_run_id == task_run_id)
        if min_level > 0:
            clauses.append(logs.c.level >= min_level)
        if after_id > 0:
            query = select(*_LOG_COLUMNS).where(*clauses, logs.c.id > after_id).order_by(logs.c.id).limit(tail)
            return self._db.read(lambda conn: [LogRow(*row) for row in conn.execute(query)])
        newest = select(*_LOG_COLUMNS).where(*clauses).order_by(logs.c.timestamp.desc(), logs.c.id.desc()).limit(tail)
        rows = self._db.read(lambda conn: [LogRow(*row) for row in conn.execute(newest)])
        rows.reverse()
        return rows

    def flow_run_updated(self, flow_run_id: str) -> float | None:
        """When a flow run last changed (its row's `updated`), None if there is no such run."""
        query = select(flow_runs.c.updated).where(flow_runs.c.id == flow_run_id)
        return self._db.read(lambda conn: conn.execute(query).scalar())

    def newest_activity(self, flow_run_id: str) -> tuple[float, int]:
        """The newest `updated` among a flow run and its task runs, and its newest log id.

        A live page polls this and fetches details only when either moved.
        """
        run_updated = select(func.max(flow_runs.c.updated)).where(flow_runs.c.id == flow_run_id).scalar_subquery()
        task_updated = (select(func.max(task_runs.c.updated)).where(task_runs.c.flow_run_id == flow_run_id)
                        .scalar_subquery())
        log_id = select(func.max(logs.c.id)).where(logs.c.flow_run_id == flow_run_id).scalar_subquery()
        query = select(run_updated, task_updated, log_id)

        def read(conn: Connection) -> tuple[float, int]:
            run, task, log = conn.execute(query).one()
            return max(run or 0.0, task or 0.0), int(log or 0)

        return self._db.read(read)

    def live_counts(self, state_types: Sequence[str]) -> dict[str, int]:
        """How many flow runs are in each of `state_types` now (for the header's live badge)."""
        query = (select(flow_runs.c.state_type, func.count()).where(flow_runs.c.state_type.in_(list(state_types)))
                 .group_by(flow_runs.c.state_type))
        return self._db.read(lambda conn: {s: int(n) for s, n in conn.execute(query)})

