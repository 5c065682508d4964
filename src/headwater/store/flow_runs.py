"""Flows and flow runs: reading, filtering, creating runs, setting and asking states.

`FlowRuns` is the store's repository of them (`store.flow_runs`); task runs, graphs,
logs and the engine's record batches are in `store/history.py`. The API's models and
filters are imported on first use: the engine may open a `Store` in `python flow.py`
and must not pay for them. Every read and write goes through the store's `Database`
(store/database.py has the one transaction policy); the background services' queries
are in `store/maintenance.py`.
"""

from __future__ import annotations

from json import dumps
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.schemas import FlowRunInfo, StateInfo
from headwater.core.states import FINAL_TYPES, StateType, check_transition
from headwater.exceptions import InvalidStateTransition, ObjectNotFound
from headwater.store import reads
from headwater.store.maintenance import delete_flow_runs, end_unfinished_task_runs
from headwater.store.reads import flow_run_from_row, as_utc
from headwater.store.tables import flow_runs, flows, states

if TYPE_CHECKING:
    from headwater.core.api_schemas import FlowInfo, FlowRunCreate, FlowRunFilterRequest
    from headwater.core.run_updates import FlowRunUpdate
    from headwater.store.database import Database

__all__ = ["FlowRuns", "ensure_flow_row", "flow_run_by_id", "insert_ignoring"]

_FINAL = frozenset(t.value for t in FINAL_TYPES)
_INTERRUPTED = ("CANCELLED", "CRASHED")  # a flow run set to these ends its unfinished task runs alike
_DEFAULT_NAMES = {t.value: t.value.capitalize() for t in StateType}


def insert_ignoring(conn: Connection, table: Any) -> Any:
    """An INSERT into `table` that skips rows whose key exists (either dialect)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table).on_conflict_do_nothing()


def ensure_flow_row(conn: Connection, name: str, now: float) -> str:
    """The id of the flow called `name`, inserting it if new (inside a write)."""
    conn.execute(insert_ignoring(conn, flows).values(id=new_id(), name=name, created=now))
    return str(conn.execute(select(flows.c.id).where(flows.c.name == name)).scalar_one())


def _flow_info(row: Any) -> FlowInfo:
    from headwater.core.api_schemas import FlowInfo

    return FlowInfo(id=row.id, name=row.name, created=as_utc(row.created))


def flow_run_by_id(conn: Connection, flow_run_id: str) -> FlowRunInfo:
    """Read one flow run by its exact id on `conn`.

    Raises:
        ObjectNotFound: no flow run has this id.
    """
    row = conn.execute(select(flow_runs).where(flow_runs.c.id == flow_run_id)).mappings().first()
    if row is None:
        raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
    return flow_run_from_row(row)


class FlowRuns:
    """Flows and flow runs over one `Database` (see the module docstring).

    Args:
        db: the database.
        flow_ids: flow ids by name, shared with the history writer, which fills it.
    """

    def __init__(self, db: Database, flow_ids: dict[str, str]) -> None:
        self._db = db
        self._flow_ids = flow_ids
        self._create_sql: tuple[str, list[str], str] | None = None

    # -- flows -----------------------------------------------------------------------

    def ensure_flow(self, name: str) -> FlowInfo:
        """Return the flow called `name`, creating it if it is new."""

        def action(conn: Connection) -> FlowInfo:
            flow_id = ensure_flow_row(conn, name, clock.now())
            return _flow_info(conn.execute(select(flows).where(flows.c.id == flow_id)).one())

        return self._db.write(action)

    def read_flow(self, *, flow_id: str | None = None, name: str | None = None) -> FlowInfo:
        """Read a flow by id or by name.

        Raises:
            ObjectNotFound: no such flow.
        """
        where = flows.c.id == flow_id if flow_id is not None else flows.c.name == name
        row = self._db.read(lambda conn: conn.execute(select(flows).where(where)).first())
        if row is None:
            raise ObjectNotFound(f"no flow with {'id' if flow_id is not None else 'name'} {flow_id or name!r}.")
        return _flow_info(row)

    def filter_flows(self, *, names: Sequence[str] | None, like: str | None, ids: Sequence[str] | None,
                     sort: str, limit: int, offset: int) -> list[FlowInfo]:
        """Flows matching the given names / substring / ids, one page."""
        query = select(flows)
        if names is not None:
            query = query.where(flows.c.name.in_(list(names)))
        if ids is not None:
            query = query.where(flows.c.id.in_(list(ids)))
        if like is not None:
            query = query.where(func.lower(flows.c.name).contains(like.lower(), autoescape=True))
        order = {"NAME_ASC": flows.c.name.asc(), "NAME_DESC": flows.c.name.desc(),
                 "CREATED_DESC": flows.c.created.desc()}[sort]
        query = query.order_by(order, flows.c.id).limit(limit).offset(offset)
        return self._db.read(lambda conn: [_flow_info(row) for row in conn.execute(query)])

    # -- flow runs -------------------------------------------------------------------

    def create_flow_run(self, body: FlowRunCreate, *, expected_start: float | None = None) -> FlowRunInfo:
        """Create a flow run in its initial state (PENDING unless `body.state` says).

        A create naming an `id` that exists returns the existing run unchanged.

        Raises:
            ObjectNotFound: `body.flow_id` names no flow.
        """
        run_id = str(body.id) if body.id is not None else new_id()
        state = body.state
        state_type = state.type.value if state is not None else "PENDING"
        state_name = (state.name if state is not None else None) or _DEFAULT_NAMES[state_type]
        message = state.message if state is not None else None
        details = state.details if state is not None else None

        known_flow_ids = self._flow_ids
        created: dict[str, Any] = {}

        def action(conn: Connection) -> bool:
            now = clock.now()
            # Only a client-chosen id can exist already; generated ones are new.
            if body.id is not None and conn.execute(
                select(flow_runs.c.id).where(flow_runs.c.id == run_id)
            ).first() is not None:
                return False
            if body.flow_id is not None:
                flow = conn.execute(select(flows).where(flows.c.id == str(body.flow_id))).first()
                if flow is None:
                    raise ObjectNotFound(f"no flow with id '{body.flow_id}': create it with POST /api/flows/.")
                flow_id, flow_name = flow.id, flow.name
            else:
                flow_name = body.flow_name or ""
                flow_id = known_flow_ids.get(flow_name) or ensure_flow_row(conn, flow_name, now)
            running = state_type == "RUNNING"
            created.update(
                id=run_id, flow_id=flow_id, flow_name=flow_name, name=body.name or f"{flow_name}-{run_id[-6:]}",
                parameters=body.parameters, tags=body.tags,
                parent_task_run_id=str(body.parent_task_run_id) if body.parent_task_run_id else None,
                state_type=state_type, state_name=state_name, state_message=message, state_timestamp=now,
                start_time=now if running else None, end_time=now if state_type in _FINAL else None,
                run_count=1 if running else 0, created=now, updated=now, heartbeat=None,
                expected_start_time=(expected_start or now) if state_type == "SCHEDULED" else None,
            )
            run_sql, run_columns, state_sql = self._create_statements(conn, created)
            row = {**created, "parameters": dumps(body.parameters), "tags": dumps(body.tags)}
            conn.exec_driver_sql(run_sql, tuple(row[c] for c in run_columns))
            conn.exec_driver_sql(state_sql, (run_id, state_type, state_name, message, now,
                                             None if details is None else dumps(details)))
            return True

        if body.flow_id is None and not body.flow_name:
            raise ObjectNotFound("a flow run needs a flow: give flow_name (created if new) or flow_id.")
        if not self._db.write(action):
            return self.read_flow_run_by_id(run_id)
        known_flow_ids[created["flow_name"]] = created["flow_id"]
        return flow_run_from_row(created)

    def _create_statements(self, conn: Connection, columns: Iterable[str]) -> tuple[str, list[str], str]:
        """The INSERTs of `create_flow_run`, compiled once: the API's busiest write
        goes straight to the driver, as the history writer's batches do."""
        compiled = self._create_sql
        if compiled is None:
            from headwater.store.writes import compile_positional, positional_dialect

            dialect = positional_dialect(conn.dialect)
            run_sql, run_columns = compile_positional(insert(flow_runs), dialect,
                                                      column_keys=[c for c in flow_runs.c.keys() if c in columns])
            state_sql, state_columns = compile_positional(
                insert(states), dialect, column_keys=["flow_run_id", "type", "name", "message", "timestamp", "details"])
            assert state_columns == ["flow_run_id", "type", "name", "message", "timestamp", "details"], state_columns
            compiled = self._create_sql = (run_sql, run_columns, state_sql)
        return compiled

    def read_flow_run_by_id(self, flow_run_id: str) -> FlowRunInfo:
        """Read one flow run by its exact id.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        return self._db.read(lambda conn: flow_run_by_id(conn, flow_run_id))

    def read_flow_run(self, ref: str) -> FlowRunInfo:
        """Read a flow run by full id, unique id prefix (>= 4 characters) or name (newest).

        Raises:
            ObjectNotFound: nothing matches `ref`, or the prefix is ambiguous.
        """
        return self._db.read(lambda conn: reads.find_flow_run(conn, ref))

    def list_flow_runs(
        self,
        *,
        state_types: Sequence[str] | None = None,
        flow_name: str | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[FlowRunInfo]:
        """List flow runs by creation time, optionally only some state types or one flow."""
        return self._db.read(
            lambda conn: reads.list_flow_runs(
                conn,
                state_types=state_types,
                flow_name=flow_name,
                limit=limit,
                offset=offset,
                newest_first=newest_first,
            )
        )

    def filter_flow_runs(self, request: FlowRunFilterRequest) -> list[FlowRunInfo]:
        """One page of the flow runs matching `request`, in its sort order."""
        from headwater.store import api_filters

        where = api_filters.flow_run_where(request.flows, request.flow_runs, request.task_runs)
        query = (select(flow_runs).where(where).order_by(*api_filters.flow_run_order(request.sort))
                 .limit(request.limit).offset(request.offset))
        return self._db.read(lambda conn: [flow_run_from_row(row) for row in conn.execute(query).mappings()])

    def count_flow_runs(self, request: FlowRunFilterRequest) -> int:
        """How many flow runs match `request` (its page is ignored)."""
        from headwater.store import api_filters

        where = api_filters.flow_run_where(request.flows, request.flow_runs, request.task_runs)
        query = select(func.count()).select_from(flow_runs).where(where)
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def set_flow_run_state(
        self,
        flow_run_id: str,
        state_type: StateType,
        *,
        name: str | None = None,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        expected_start: float | None = None,
        force: bool = False,
    ) -> StateInfo:
        """Move a flow run into a state, if the transition table allows it. A run set
        Cancelled or Crashed ends its unfinished task runs alike, in the same transaction.

        Args:
            expected_start: for a SCHEDULED state, when the run is due (default now).
            force: skip the transition rules (an operator's override).

        Raises:
            ObjectNotFound: no flow run has this id.
            InvalidStateTransition: the table forbids the move (the run is unchanged).
        """
        target = state_type.value
        state_name = name or _DEFAULT_NAMES[target]

        def action(conn: Connection) -> StateInfo:
            query = select(flow_runs.c.state_type).where(flow_runs.c.id == flow_run_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None:
                raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
            if not force:
                check_transition(StateType(row.state_type) if row.state_type else None, state_type)
            now = clock.now()
            values: dict[str, Any] = dict(
                state_type=target, state_name=state_name, state_message=message, state_timestamp=now,
                updated=now, end_time=now if target in _FINAL else None,
            )
            if target == "RUNNING":
                values.update(start_time=func.coalesce(flow_runs.c.start_time, now),
                              run_count=flow_runs.c.run_count + 1)
            if target == "SCHEDULED":
                values["expected_start_time"] = expected_start if expected_start is not None else now
                values["process"] = None  # the next attempt's process records itself; the last one's is no news
            conn.execute(update(flow_runs).where(flow_runs.c.id == flow_run_id).values(**values))
            conn.execute(insert(states).values(
                flow_run_id=flow_run_id, type=target, name=state_name, message=message, timestamp=now,
                details=details,
            ))
            if target in _INTERRUPTED:  # its engine is gone or stopping: nothing under it is still running
                end_unfinished_task_runs(conn, [flow_run_id], target, _DEFAULT_NAMES[target], message, now)
            return StateInfo(type=target, name=state_name, message=message, timestamp=as_utc(now), details=details)

        return self._db.write(action)

    def update_flow_run(self, flow_run_id: str, body: FlowRunUpdate) -> FlowRunInfo:
        """Replace the name, parameters or tags of a flow run (those given).

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        values = body.model_dump(exclude_none=True)

        def action(conn: Connection) -> None:
            done = conn.execute(update(flow_runs).where(flow_runs.c.id == flow_run_id)
                                .values(updated=clock.now(), **values)).rowcount
            if not done:
                raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")

        self._db.write(action)
        return self.read_flow_run_by_id(flow_run_id)

    def delete_flow_run(self, flow_run_id: str) -> None:
        """Delete a flow run with its task runs, states, logs and input edges.

        Raises:
            ObjectNotFound: no flow run has this id.
        """

        def action(conn: Connection) -> int:
            return delete_flow_runs(conn, [flow_run_id])

        if self._db.write(action) == 0:
            raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        """Cancel a run: one not started yet is Cancelled at once; a running one is
        Cancelling until its worker stops its process (then Cancelled).

        Raises:
            ObjectNotFound: no such run.
            InvalidStateTransition: it has finished already.
        """
        run = self.read_flow_run_by_id(flow_run_id)
        current = run.state.type if run.state is not None else None
        if run.state is not None and current in _FINAL:
            raise InvalidStateTransition(f"flow run '{flow_run_id}' already finished ({run.state.name}); there is "
                                         "nothing to cancel")
        target = StateType.CANCELLING if current in ("RUNNING", "CANCELLING") else StateType.CANCELLED
        return self.set_flow_run_state(flow_run_id, target, message="cancelled on request")

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        """Schedule a finished run again, due now (AwaitingRetry); its worker resumes it.

        Raises:
            ObjectNotFound: no such run.
            InvalidStateTransition: it has not finished.
        """
        run = self.read_flow_run_by_id(flow_run_id)
        if run.state is None or run.state.type not in _FINAL:
            current = run.state.name if run.state is not None else "no state"
            raise InvalidStateTransition(f"flow run '{flow_run_id}' is {current}, not finished; only a finished run "
                                         "can be retried")
        return self.set_flow_run_state(flow_run_id, StateType.SCHEDULED, name="AwaitingRetry",
                                       message="retry requested")
