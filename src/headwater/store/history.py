"""Run history below the flow run: the engine's record batches, task runs, a run's
graph, states and log lines.

`History` is the store's repository of them (`store.history`), beside `FlowRuns`
(store/flow_runs.py) with the same conventions: the API's models and filters are
imported on first use, and every read and write goes through the store's `Database`
(store/database.py). `write` is the embedded engine's path for record batches
(`write_batch` the server's, for client mode); both fold a batch into a few
`executemany` calls (store/batches.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.schemas import LogInfo, StateInfo, StoredLog, TaskRunInfo
from headwater.exceptions import ObjectNotFound
from headwater.store import reads
from headwater.store.batches import plan_batch
from headwater.store.flow_runs import insert_ignoring
from headwater.store.reads import current_details, task_run_from_row, upstream_by_task, as_utc
from headwater.store.tables import flow_runs, logs, received_batches, states, task_run_inputs, task_runs

if TYPE_CHECKING:
    from headwater.core.api_schemas import (LogCreate, LogFilterRequest, LogsAfterRequest, TaskRunDependencies,
                                            TaskRunFilterRequest)
    from headwater.orchestrator.records import Record
    from headwater.store.database import Database
    from headwater.store.writes import PlanWriter

__all__ = ["History"]


class History:
    """Record batches, task runs, states and logs over one `Database` (see the module docstring).

    Args:
        db: the database.
        writer: the batch writer (its flow-id cache is shared with `FlowRuns`).
    """

    def __init__(self, db: Database, writer: PlanWriter) -> None:
        self._db = db
        self._writer = writer

    # -- the engine's record batches -------------------------------------------------

    def write(self, records: Sequence[Record]) -> None:
        """Write a batch of engine records in one transaction (see `store/batches.py`).

        Raises:
            StoreError: the database refused the batch (nothing of it was written).
        """
        if not records:
            return
        plan = plan_batch(records)
        writer = self._writer
        resolved = self._db.write(lambda conn: writer.execute(conn, plan))
        if resolved:
            writer.flow_ids.update(resolved)

    def flow_run_graph(self, flow_run_id: str) -> list[TaskRunDependencies]:
        """The task runs of a flow run with the task runs each depended on.

        Raises:
            ObjectNotFound: no flow run has this id.
        """

        def query(conn: Connection) -> list[TaskRunDependencies]:
            if conn.execute(select(flow_runs.c.id).where(flow_runs.c.id == flow_run_id)).first() is None:
                raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
            in_run = select(task_runs.c.id).where(task_runs.c.flow_run_id == flow_run_id).scalar_subquery()
            edges: dict[str, list[UpstreamDependency]] = {}
            edge_query = (select(task_run_inputs).where(task_run_inputs.c.task_run_id.in_(in_run))
                          .order_by(task_run_inputs.c.task_run_id, task_run_inputs.c.parameter))
            for edge in conn.execute(edge_query):
                edges.setdefault(edge.task_run_id, []).append(
                    UpstreamDependency(id=edge.upstream_task_run_id, parameter=edge.parameter, kind=edge.kind)
                )
            runs = conn.execute(select(task_runs).where(task_runs.c.flow_run_id == flow_run_id)
                                .order_by(task_runs.c.created, task_runs.c.id)).mappings()
            return [
                TaskRunDependencies(id=info.id, name=info.name, task_name=info.task_name, state=info.state,
                          start_time=info.start_time, end_time=info.end_time,
                          upstream_dependencies=edges.get(info.id, []))
                for info in (task_run_from_row(row, []) for row in runs)
            ]

        from headwater.core.api_schemas import TaskRunDependencies, UpstreamDependency

        return self._db.read(query)

    # -- task runs -------------------------------------------------------------------

    def read_task_runs(self, flow_run_id: str) -> list[TaskRunInfo]:
        """The task runs of a flow run, oldest first, each with its upstream task run ids."""
        return self._db.read(lambda conn: reads.read_task_runs(conn, flow_run_id))

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        """Read one task run by id.

        Raises:
            ObjectNotFound: no task run has this id.
        """
        return self._db.read(lambda conn: reads.read_task_run(conn, task_run_id))

    def rename_task_run(self, task_run_id: str, name: str) -> TaskRunInfo:
        """Give a task run a new name.

        Raises:
            ObjectNotFound: no task run has this id.
        """

        def action(conn: Connection) -> None:
            done = conn.execute(update(task_runs).where(task_runs.c.id == task_run_id)
                                .values(name=name, updated=clock.now())).rowcount
            if not done:
                raise ObjectNotFound(f"no task run with id '{task_run_id}'.")

        self._db.write(action)
        return self.read_task_run(task_run_id)

    def read_states(self, run_id: str) -> list[StateInfo]:
        """Every state a flow run or task run went through, oldest first."""
        return self._db.read(lambda conn: reads.read_states(conn, run_id))

    def counts(self) -> dict[str, int]:
        """Row counts: flow_runs, task_runs, states, logs, task_run_inputs."""
        return self._db.read(reads.count_rows)

    def filter_task_runs(self, request: TaskRunFilterRequest) -> list[TaskRunInfo]:
        """One page of the task runs matching `request`, each with its upstream ids."""
        from headwater.store import api_filters

        where = api_filters.task_run_where(request.flows, request.flow_runs, request.task_runs)
        query = (select(task_runs).where(where).order_by(*api_filters.task_run_order(request.sort))
                 .limit(request.limit).offset(request.offset))

        def read(conn: Connection) -> list[TaskRunInfo]:
            rows = conn.execute(query).mappings().all()
            if not rows:
                return []
            ids = [row["id"] for row in rows]
            upstream = upstream_by_task(conn, task_run_inputs.c.task_run_id.in_(ids))
            # The current state's details (cache key, result location), as Prefect's state_details.
            details = current_details(conn, states.c.task_run_id.in_(ids), rows)
            return [task_run_from_row(row, upstream.get(row["id"], []), details.get(row["id"])) for row in rows]

        return self._db.read(read)

    def count_task_runs(self, request: TaskRunFilterRequest) -> int:
        """How many task runs match `request` (its page is ignored)."""
        from headwater.store import api_filters

        where = api_filters.task_run_where(request.flows, request.flow_runs, request.task_runs)
        return int(self._db.read(lambda conn: conn.execute(select(func.count()).select_from(task_runs)
                                                         .where(where)).scalar_one()))

    # -- logs ------------------------------------------------------------------------

    def read_logs(
        self,
        *,
        flow_run_id: str | None = None,
        task_run_id: str | None = None,
        min_level: int = 0,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[LogInfo]:
        """Log lines of a flow run and/or task run at `min_level` or above, oldest first."""
        return self._db.read(
            lambda conn: reads.read_logs(
                conn,
                flow_run_id=flow_run_id,
                task_run_id=task_run_id,
                min_level=min_level,
                limit=limit,
                offset=offset,
            )
        )

    def write_logs(self, lines: Sequence[LogCreate]) -> int:
        """Store log lines sent through the API; returns how many."""
        rows = [
            dict(flow_run_id=str(line.flow_run_id) if line.flow_run_id else None,
                 task_run_id=str(line.task_run_id) if line.task_run_id else None,
                 level=line.level, logger=line.name, message=line.message, timestamp=line.timestamp.timestamp())
            for line in lines
        ]
        if rows:
            self._db.write(lambda conn: conn.execute(insert(logs), rows))
        return len(rows)

    def filter_logs(self, request: LogFilterRequest) -> list[LogInfo]:
        """One page of the log lines matching `request`."""
        from headwater.store import api_filters

        query = (
            select(logs.c.flow_run_id, logs.c.task_run_id, logs.c.level, logs.c.logger, logs.c.message,
                   logs.c.timestamp)
            .where(api_filters.log_where(request.logs)).order_by(*api_filters.log_order(request.sort))
            .limit(request.limit).offset(request.offset)
        )
        return self._db.read(lambda conn: [
            LogInfo(flow_run_id=f, task_run_id=t, level=lv, logger=lg, message=m, timestamp=as_utc(ts))
            for f, t, lv, lg, m, ts in conn.execute(query)
        ])

    def logs_after(self, request: LogsAfterRequest) -> list[StoredLog]:
        """One flow run's log lines stored after the line numbered `request.after` (or
        its `request.newest` last ones), in the order they were stored (by row id,
        whatever their timestamps)."""
        query = (
            select(logs.c.id, logs.c.flow_run_id, logs.c.task_run_id, logs.c.level, logs.c.logger,
                   logs.c.message, logs.c.timestamp)
            .where(logs.c.flow_run_id == str(request.flow_run_id))
        )
        query = (query.order_by(logs.c.id.desc()).limit(request.newest) if request.newest
                 else query.where(logs.c.id > request.after).order_by(logs.c.id.asc()).limit(request.limit))
        found = self._db.read(lambda conn: [
            StoredLog(seq=i, log=LogInfo(flow_run_id=f, task_run_id=t, level=lv, logger=lg, message=m,
                                         timestamp=as_utc(ts)))
            for i, f, t, lv, lg, m, ts in conn.execute(query)
        ])
        return found[::-1] if request.newest else found

    def write_batch(self, batch_id: str, records: Sequence[Record]) -> bool:
        """Write a batch of engine records once: False when `batch_id` was written before.

        The batch id is inserted in the same transaction as the records, so a batch is
        either written with its id or not at all, and a re-send is recognised.
        """
        plan = plan_batch(records)
        writer = self._writer

        def action(conn: Connection) -> dict[str, str] | None:
            first_time = insert_ignoring(conn, received_batches).values(id=batch_id, received=clock.now())
            if conn.execute(first_time.returning(received_batches.c.id)).first() is None:
                return None  # written before: this is a re-send
            return dict(writer.execute(conn, plan))

        resolved = self._db.write(action)
        if resolved is None:
            return False
        writer.flow_ids.update(resolved)
        return True

