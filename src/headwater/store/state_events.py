"""The events of state changes, derived when read from the `states` table.

Every state of every flow run and task run is a row of `states`, written by the
history writer and by every other path that changes a state (the API, cancelling,
late runs, crashed zombies, workers claiming runs). Each row is an event
(`prefect.flow-run.<state name>` or `prefect.task-run.<state name>`) whose resource
and related resources come from the run's row, joined when read; nothing is stored
for it, so writing history costs nothing more for events.

An event filter becomes SQL over `states` joined with the runs (`derived_where`).
Its time range is found without an index on `states.timestamp` (which every state row
would pay for when written): the writers' marks (`state_marks`) turn it into a range of
state ids first (`state_id_range`), read on the primary key. The labels that depend
on the run's earlier states (the state it came from, its run count, the event it
follows) are computed for the page's rows only, from all states of those runs.

A derived event's id is stable: a version-8 UUID made of the run's id and the state
row's id (`state_event_id`), so pages, followers and de-duplication work on it, and
a filter by id finds the state row again.

This module reads the events; the parts it is made of live beside it:
`state_event_filters.py` (a filter as SQL), `state_ranges.py` (time ranges as state
ids, from the marks) and `state_event_ids.py` (the events' ids and names). Their public
names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnElement

from headwater.store.event_rows import flow_run_related, tag_list
from headwater.store.state_event_filters import JOINED_TABLES, ROW_COLUMNS, derived_from, derived_where
from headwater.store.state_event_ids import FLOW_RUN_PREFIX, TASK_RUN_PREFIX, state_event_id, state_id_of_event
from headwater.store.state_ranges import id_bounds, max_state_id, state_id_range
from headwater.store.tables import states

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from headwater.core.event_schemas import EventFilter, ReceivedEvent

__all__ = ["FLOW_RUN_PREFIX", "TASK_RUN_PREFIX", "DerivedQuery", "derived_from", "derived_where", "events_of_rows",
           "max_state_id", "state_event_id", "state_id_of_event", "state_id_range"]


class DerivedQuery:
    """Reads the state events matching a filter (see the module docstring)."""

    def __init__(self, spec: EventFilter, *, occurred: bool = True) -> None:
        from headwater.store.events import timestamp_of

        self.where = derived_where(spec, occurred=occurred)
        self._range = (timestamp_of(spec.occurred.since), timestamp_of(spec.occurred.until)) if occurred else None
        # Counting reads `states` alone unless the filter names what the runs are.
        named = {getattr(e, "table", None) for e in visitors.iterate(self.where)} if self.where is not None else set()
        self._joined = bool(named & JOINED_TABLES)
        self._source = derived_from() if self._joined else states

    def _ids(self, conn: Connection) -> tuple[int | None, int | None]:
        return (None, None) if self._range is None else state_id_range(conn, *self._range)

    def _bounded(self, conn: Connection, where: ColumnElement[bool]) -> ColumnElement[bool]:
        """`where` with the time range's state ids (read on the primary key)."""
        return id_bounds(where, *self._ids(conn))

    def count(self, conn: Connection) -> int:
        if self.where is None:
            return 0
        query = select(func.count()).select_from(self._source).where(self._bounded(conn, self.where))
        return int(conn.execute(query).scalar_one())

    def rows(self, conn: Connection, *, limit: int, descending: bool, after_state_id: int | None = None,
             through_state_id: int | None = None) -> list[Any]:
        """Up to `limit` matching rows in (timestamp, id) order, or in id order when
        following (`after_state_id` given: ids above it, up to `through_state_id`)."""
        if self.where is None or limit <= 0:
            return []
        if after_state_id is not None:
            where = and_(self._bounded(conn, self.where), states.c.id > after_state_id)
            if through_state_id is not None:
                where = and_(where, states.c.id <= through_state_id)
            query = select(*ROW_COLUMNS).select_from(derived_from()).where(where).order_by(states.c.id.asc()).limit(limit)
            return list(conn.execute(query).all())
        ids = self._page_ids(conn, self.where, limit, descending)
        if not ids:
            return []
        order = ((states.c.timestamp.desc(), states.c.id.desc()) if descending
                 else (states.c.timestamp.asc(), states.c.id.asc()))
        query = select(*ROW_COLUMNS).select_from(derived_from()).where(states.c.id.in_(ids)).order_by(*order)
        return list(conn.execute(query).all())

    def _page_ids(self, conn: Connection, where: ColumnElement[bool], limit: int, descending: bool) -> list[int]:
        """The ids of the first `limit` matching rows in (timestamp, id) order, found
        without sorting the whole range (there is no index on the timestamp): ids follow
        time closely, so the rows at the newest (or oldest) end of the id range are read
        first, by the primary key; then only rows beyond them that can still come
        earlier in the order (timestamp at least the page's last, for newest first) are
        looked for, in ids the marks allow (newest first) or in the range (oldest first)."""
        source = self._source
        first = max(4 * limit, 1000)
        low, high = self._ids(conn)
        by_id = states.c.id.desc() if descending else states.c.id.asc()
        head = conn.execute(select(states.c.id, states.c.timestamp).select_from(source)
                            .where(id_bounds(where, low, high)).order_by(by_id).limit(first)).all()
        found = [(float(ts), int(i)) for i, ts in head]
        if len(head) == first:
            found.sort(reverse=descending)
            edge = found[min(limit, len(found)) - 1][0]
            beyond = head[-1][0]
            # One bound a side on the id: SQLite reads the primary key's range by one of
            # them and would only filter by the other.
            if descending:  # older ids with a timestamp as new as the page's last
                edge_low, _ = state_id_range(conn, edge, edge)
                more = id_bounds(and_(where, states.c.timestamp >= edge),
                                  max(low or 0, edge_low or 0) or None, beyond - 1)
            else:  # newer ids with a timestamp as old as the page's last (bounded by the
                # range's own ids only: the marks' bound after `edge` would assume these
                # states were written within _LATE_SECONDS of `edge`, and a range that
                # reaches their writing must find them however late they were)
                more = id_bounds(and_(where, states.c.timestamp <= edge), beyond + 1, high)
            # Ordered and limited in SQL, so a range whose ids run against time costs a
            # bounded sort, not all its rows in memory.
            order = ((states.c.timestamp.desc(), states.c.id.desc()) if descending
                     else (states.c.timestamp.asc(), states.c.id.asc()))
            query = select(states.c.id, states.c.timestamp).select_from(source).where(more).order_by(*order)
            found += [(float(ts), int(i)) for i, ts in conn.execute(query.limit(limit))]
        found.sort(reverse=descending)
        return [i for _, i in found[:limit]]

    def count_by(self, conn: Connection, countable: str) -> list[tuple[str, int, float, float]]:
        """(event name or resource id, count, first, last) of the matching state events."""
        if self.where is None:
            return []
        is_task = states.c.task_run_id.is_not(None)
        key: tuple[Any, ...] = ((is_task, states.c.name) if countable == "event"
                                else (is_task, func.coalesce(states.c.task_run_id, states.c.flow_run_id)))
        query = (select(*key, func.count(), func.min(states.c.timestamp), func.max(states.c.timestamp))
                 .select_from(self._source).where(self._bounded(conn, self.where)).group_by(*key))
        prefix = {True: TASK_RUN_PREFIX, False: FLOW_RUN_PREFIX}
        return [(prefix[bool(row[0])] + str(row[1]), int(row[2]), float(row[3]), float(row[4]))
                for row in conn.execute(query)]


def events_of_rows(conn: Connection, rows: Sequence[Any]) -> list[ReceivedEvent]:
    """The events of derived rows, with what depends on each run's earlier states."""
    if not rows:
        return []
    history = _run_histories(conn, {r.flow_run_id for r in rows if r.flow_run_id},
                             {r.task_run_id for r in rows if r.task_run_id})
    return [_event(row, history) for row in rows]


_HISTORY_CHUNK = 500


def _run_histories(conn: Connection, flow_run_ids: Iterable[str], task_run_ids: Iterable[str]
                   ) -> dict[int, tuple[str, str | None, str | None, int, int | None]]:
    """For each state row of these runs: (run id, previous type, previous name, run
    count so far, previous state row id)."""
    out: dict[int, tuple[str, str | None, str | None, int, int | None]] = {}
    for column, ids in ((states.c.flow_run_id, sorted(flow_run_ids)), (states.c.task_run_id, sorted(task_run_ids))):
        for start in range(0, len(ids), _HISTORY_CHUNK):
            chunk = ids[start:start + _HISTORY_CHUNK]
            query = (select(column, states.c.id, states.c.type, states.c.name).where(column.in_(chunk))
                     .order_by(column, states.c.timestamp, states.c.id))
            run, previous, count = None, (None, None, None), 0
            for run_id, state_id, type_, name in conn.execute(query):
                if run_id != run:
                    run, previous, count = run_id, (None, None, None), 0
                if type_ == "RUNNING":
                    count += 1
                out[state_id] = (run_id, previous[0], previous[1], count, previous[2])
                previous = (type_, name, state_id)
    return out


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


def _event(row: Any, history: dict[int, tuple[str, str | None, str | None, int, int | None]]) -> ReceivedEvent:
    from headwater.core.event_schemas import ReceivedEvent

    (state_id, flow_run_id, task_run_id, type_, name, message, ts, task_name, task_tags, task_flow_run_id,
     flow_run_name, flow_id, flow_name, flow_tags, deployment_id, deployment_name, pool_id, pool_name, pool_type,
     parent_task_run_id) = row
    run_id = task_run_id or flow_run_id
    _, previous_type, previous_name, run_count, previous_id = history.get(state_id, (run_id, None, None, 0, None))
    is_task = task_run_id is not None
    kind = TASK_RUN_PREFIX if is_task else FLOW_RUN_PREFIX
    resource = {"prefect.resource.id": kind + run_id, "prefect.resource.name": (task_name if is_task
                                                                                else flow_run_name) or "",
                "prefect.run-count": str(run_count), "prefect.state-message": message or "",
                "prefect.state-name": name, "prefect.state-timestamp": _iso(ts), "prefect.state-type": type_}
    if flow_id is not None:
        run_related = flow_run_related(flow_id, flow_name, deployment_id, deployment_name, pool_id, pool_name,
                                       pool_type, None if is_task else parent_task_run_id, flow_tags)
    else:
        run_related = []
    if is_task:
        resource["prefect.orchestration"] = "client"
        related = [{"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"}
                   for tag in tag_list(task_tags)]
        if task_flow_run_id:
            related.append({"prefect.resource.id": FLOW_RUN_PREFIX + task_flow_run_id,
                            "prefect.resource.role": "flow-run", "prefect.resource.name": flow_run_name or ""})
        related += [r for r in run_related if r["prefect.resource.role"] != "tag"]
    else:
        related = run_related
    payload = {
        "intended": {"from": previous_type, "to": type_},
        "initial_state": None if previous_type is None else {"type": previous_type, "name": previous_name or ""},
        "validated_state": {"type": type_, "name": name},
    }
    occurred = datetime.fromtimestamp(ts, timezone.utc)
    return ReceivedEvent.model_validate({
        "id": state_event_id(run_id, state_id), "occurred": occurred, "event": kind + name, "resource": resource,
        "related": related, "payload": payload,
        "follows": state_event_id(run_id, previous_id) if previous_id is not None else None, "received": occurred,
    })
