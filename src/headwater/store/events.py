"""Events in the store: writing them, reading them through Prefect's filter, following
new ones, and pruning old ones.

The events of state changes and heartbeats are written by the history writer
(store/event_rows.py, store/batches.py); this repository writes the others (emitted
through the API, deployment and work pool changes, worker heartbeats) and reads all.

`read_new` is the one place where events are seen after they are stored: it returns
what was received after a cursor, oldest first. The live stream follows it
(`EventTail`), and so can any other consumer (automations). Receiving transactions
may commit out of `received` order, so `EventTail` looks back a little and drops
the ids it has already returned.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, not_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from headwater.core import clock
from headwater.store.event_rows import event_row
from headwater.store.flow_runs import insert_ignoring
from headwater.store.tables import events

if TYPE_CHECKING:
    from headwater.core.event_schemas import Event, EventFilter, ReceivedEvent
    from headwater.store.database import Database

__all__ = ["EventTail", "Events", "filter_where"]

_COLUMNS = list(events.c)


def _ts(value: datetime) -> float:
    return value.timestamp() if value.tzinfo else value.replace(tzinfo=timezone.utc).timestamp()


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # as dump_related writes a label's value


def _related_pattern(resource_id: str | None, role: str | None) -> str:
    """Text found in `related` exactly when a related resource has this id and/or role
    (dump_related writes each resource's id first and its role second)."""
    if resource_id is not None and role is not None:
        return f'{{"prefect.resource.id":{_text(resource_id)},"prefect.resource.role":{_text(role)}'
    if resource_id is not None:
        return f'{{"prefect.resource.id":{_text(resource_id)},'
    return f'"prefect.resource.role":{_text(role or "")}'


def _related_clause(spec: Any) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    ids, roles = spec.id, spec.role
    if ids and roles:
        clauses.append(or_(*(events.c.related.contains(_related_pattern(i, r), autoescape=True)
                             for i in ids for r in roles)))
    elif ids:
        clauses.append(or_(*(events.c.related.contains(_related_pattern(i, None), autoescape=True) for i in ids)))
    elif roles:
        clauses.append(or_(*(events.c.related.contains(_related_pattern(None, r), autoescape=True) for r in roles)))
    if spec.resources_in_roles:
        clauses.append(or_(*(events.c.related.contains(_related_pattern(i, r), autoescape=True)
                             for i, r in spec.resources_in_roles)))
    return and_(*clauses) if clauses else events.c.id.is_not(None)


def _resource_clause(spec: Any, *, any_resource: bool) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if spec.id:
        own: ColumnElement[bool] = events.c.resource_id.in_(spec.id)
        if any_resource:
            own = or_(own, *(events.c.related.contains(_related_pattern(i, None), autoescape=True)
                             for i in spec.id))
        clauses.append(own)
    if spec.id_prefix:
        prefixed = [events.c.resource_id.startswith(p, autoescape=True) for p in spec.id_prefix]
        if any_resource:
            prefixed += [events.c.related.contains('{"prefect.resource.id":' + _text(p)[:-1], autoescape=True)
                         for p in spec.id_prefix]
        clauses.append(or_(*prefixed))
    return and_(*clauses) if clauses else events.c.id.is_not(None)


def filter_where(spec: EventFilter, *, occurred: bool = True) -> ColumnElement[bool]:
    """The SQL condition of an `EventFilter` (without its time range when not `occurred`)."""
    clauses: list[ColumnElement[bool]] = []
    if occurred:
        clauses += [events.c.occurred >= _ts(spec.occurred.since), events.c.occurred <= _ts(spec.occurred.until)]
    name = spec.event
    if name is not None:
        if name.prefix is not None:
            clauses.append(or_(*(events.c.event.startswith(p, autoescape=True) for p in name.prefix)))
        if name.exclude_prefix:
            clauses.append(not_(or_(*(events.c.event.startswith(p, autoescape=True) for p in name.exclude_prefix))))
        if name.name is not None:
            clauses.append(events.c.event.in_(name.name))
        if name.exclude_name:
            clauses.append(events.c.event.not_in(name.exclude_name))
    if spec.resource is not None:
        clauses.append(_resource_clause(spec.resource, any_resource=False))
    for related in spec.related if isinstance(spec.related, list) else [spec.related] if spec.related else []:
        clauses.append(_related_clause(related))
    anys = spec.any_resource
    for any_spec in anys if isinstance(anys, list) else [anys] if anys else []:
        clauses.append(_resource_clause(any_spec, any_resource=True))
    if spec.id.id is not None:
        clauses.append(events.c.id.in_([str(i) for i in spec.id.id]))
    return and_(*clauses) if clauses else events.c.id.is_not(None)


def _event_from_row(row: Any) -> ReceivedEvent:
    from headwater.core.event_schemas import ReceivedEvent

    return ReceivedEvent.model_validate({
        "id": row.id, "occurred": datetime.fromtimestamp(row.occurred, timezone.utc), "event": row.event,
        "resource": json.loads(row.resource), "related": json.loads(row.related), "payload": json.loads(row.payload),
        "follows": row.follows, "received": datetime.fromtimestamp(row.received, timezone.utc),
    })


class Events:
    """The events table over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write(self, items: Sequence[Event]) -> int:
        """Store events (one already stored, by id, is kept as it was); returns how many were given."""
        if not items:
            return 0
        received = clock.now()
        rows = [dict(zip(events.c.keys(), event_row(
            str(item.id), _ts(item.occurred), item.event, dict(item.resource.root),
            [dict(r.root) for r in item.related], item.payload, str(item.follows) if item.follows else None,
            received))) for item in items]
        self._db.write(lambda conn: write_rows(conn, rows))
        return len(rows)

    def query(self, spec: EventFilter, *, limit: int, offset: int = 0) -> tuple[list[ReceivedEvent], int]:
        """One page of the events matching `spec` in its order, and how many match in all."""
        from headwater.core.event_schemas import EventOrder

        where = filter_where(spec)
        order = (events.c.occurred.asc(), events.c.id.asc()) if spec.order == EventOrder.ASC else (
            events.c.occurred.desc(), events.c.id.desc())

        def read(conn: Connection) -> tuple[list[ReceivedEvent], int]:
            total = int(conn.execute(select(func.count()).select_from(events).where(where)).scalar_one())
            rows = conn.execute(select(*_COLUMNS).where(where).order_by(*order).limit(limit).offset(offset)).all()
            return [_event_from_row(row) for row in rows], total

        return self._db.read(read)

    def count_by(self, spec: EventFilter, countable: str) -> list[tuple[str, int, float, float]]:
        """(value, count, first occurred, last occurred) of the matching events grouped by
        their name (`countable="event"`) or resource id (`"resource"`), largest count first."""
        column = events.c.event if countable == "event" else events.c.resource_id
        query = (select(column, func.count(), func.min(events.c.occurred), func.max(events.c.occurred))
                 .where(filter_where(spec)).group_by(column).order_by(func.count().desc(), column))
        return self._db.read(lambda conn: [(v, int(n), float(a), float(b)) for v, n, a, b in conn.execute(query)])

    def read_new(self, after: float, *, spec: EventFilter | None = None, limit: int = 500) -> list[ReceivedEvent]:
        """Events received at or after `after` (matching `spec` but for its time range),
        oldest received first (at most `limit`)."""
        where = events.c.received >= after
        if spec is not None:
            where = and_(where, filter_where(spec, occurred=False))
        query = (select(*_COLUMNS).where(where)
                 .order_by(events.c.received.asc(), events.c.id.asc()).limit(limit))
        return self._db.read(lambda conn: [_event_from_row(row) for row in conn.execute(query)])

    def prune(self, cutoff: float, *, batch_size: int = 5000) -> int:
        """Delete up to `batch_size` events that occurred before `cutoff`; returns how many."""

        def action(conn: Connection) -> int:
            ids = list(conn.execute(select(events.c.id).where(events.c.occurred < cutoff).limit(batch_size)).scalars())
            if not ids:
                return 0
            return int(conn.execute(delete(events).where(events.c.id.in_(ids))).rowcount)

        return self._db.write(action)

    def count(self) -> int:
        """How many events are stored."""
        return int(self._db.read(lambda conn: conn.execute(select(func.count()).select_from(events)).scalar_one()))


def write_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert event rows (dicts by column) on `conn`, keeping rows whose id exists."""
    if rows:
        conn.execute(insert_ignoring(conn, events), rows)


class EventTail:
    """Follows the events stored after it was made, oldest received first.

    Args:
        store_events: the store's `Events`.
        lookback_seconds: how far before its cursor each read looks again, for
            transactions that committed after a later one.
        start: receive events received from this time (default: now).
        spec: only the events matching this filter (but for its time range).
    """

    def __init__(self, store_events: Events, *, lookback_seconds: float = 2.0, start: float | None = None,
                 spec: EventFilter | None = None) -> None:
        self._events = store_events
        self._spec = spec
        self._lookback = lookback_seconds
        self._cursor = clock.now() if start is None else start
        self._floor = self._cursor  # the lookback never reaches before the tail was made
        self._seen: OrderedDict[str, float] = OrderedDict()

    def poll(self, limit: int = 5000) -> list[ReceivedEvent]:
        """The events received since the last poll (never one twice)."""
        found = self._events.read_new(max(self._floor, self._cursor - self._lookback), spec=self._spec, limit=limit)
        fresh = []
        for event in found:
            key = str(event.id)
            if key in self._seen:
                continue
            received = event.received.timestamp()
            self._seen[key] = received
            self._cursor = max(self._cursor, received)
            fresh.append(event)
        horizon = self._cursor - 2 * self._lookback
        while self._seen and next(iter(self._seen.values())) < horizon:
            self._seen.popitem(last=False)
        return fresh
