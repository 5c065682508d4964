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
from collections import OrderedDict, deque
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, and_, cast, delete, func, literal, not_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from headwater.core import clock
from headwater.store.event_rows import event_row
from headwater.store.flow_runs import insert_ignoring
from headwater.store.tables import events, state_marks

if TYPE_CHECKING:
    from headwater.core.event_schemas import Event, EventFilter, ReceivedEvent
    from headwater.store.database import Database

__all__ = ["EventTail", "Events", "derived_text", "filter_where", "text_where", "timestamp_of"]

_COLUMNS = list(events.c)


def timestamp_of(value: datetime) -> float:
    """Epoch seconds of a datetime (a naive one is UTC)."""
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


def text_where(query: str, text: Any) -> ColumnElement[bool] | None:
    """The SQL condition of a text search `query` over the SQL text `text` (lowercase
    already), or None when the query has no terms. The query is at most 200 characters,
    so at most 100 terms: the condition stays small."""
    from headwater.core.text_search import parse_text_query

    parsed = parse_text_query(query)
    clauses: list[ColumnElement[bool]] = []
    if parsed.include:
        clauses.append(or_(*(text.contains(term.lower(), autoescape=True) for term in parsed.include)))
    clauses += [not_(text.contains(term.lower(), autoescape=True)) for term in parsed.exclude]
    clauses += [text.contains(term.lower(), autoescape=True) for term in parsed.required]
    return and_(*clauses) if clauses else None


def _searchable() -> Any:
    """A stored event's text for searching, as Prefect's: its name, resource, related
    resources and payload (JSON text), lowercase."""
    space = literal(" ")
    return func.lower(events.c.event + space + events.c.resource + space + events.c.related + space
                      + events.c.payload)


def derived_text(prefix: str, run_id: Any, related: list[tuple[str, str, Any]], names: list[Any]) -> Any:
    """The text of a state event (store/state_events.py) for searching, lowercase: its
    name, the run's id (`prefix` + `run_id`), state type and message, the related
    resources' ids (`(id prefix, role, column)`, tags as their JSON list) and `names`
    (the run's and the related resources'). Not the payload, which depends on the
    run's earlier states."""
    from headwater.store.tables import states

    parts: list[Any] = [literal(prefix) + states.c.name, literal(prefix) + run_id, states.c.type, states.c.message]
    parts += [cast(column, Text) if role == "tag" else literal(id_prefix) + column for id_prefix, role, column in related]
    text: Any = None
    for part in [*parts, *names]:
        part = func.coalesce(part, "")
        text = part if text is None else text + literal(" ") + part
    return func.lower(text)


def filter_where(spec: EventFilter, *, occurred: bool = True) -> ColumnElement[bool]:
    """The SQL condition of an `EventFilter` (without its time range when not `occurred`)."""
    clauses: list[ColumnElement[bool]] = []
    if occurred:
        clauses += [events.c.occurred >= timestamp_of(spec.occurred.since), events.c.occurred <= timestamp_of(spec.occurred.until)]
    name = spec.event
    if name is not None:
        if name.prefix:  # empty: no condition, as Prefect reads it
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
    if spec.text is not None:
        searched = text_where(spec.text.query, _searchable())
        if searched is not None:
            clauses.append(searched)
    return and_(*clauses) if clauses else events.c.id.is_not(None)


def _event_from_row(row: Any) -> ReceivedEvent:
    from headwater.core.event_schemas import ReceivedEvent

    return ReceivedEvent.model_validate({
        "id": row.id, "occurred": datetime.fromtimestamp(row.occurred, timezone.utc), "event": row.event,
        "resource": json.loads(row.resource), "related": json.loads(row.related), "payload": json.loads(row.payload),
        "follows": row.follows, "received": datetime.fromtimestamp(row.received, timezone.utc),
    })


class Events:
    """Stored events and the events of state changes over one `Database` (see the
    module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # States are inserted in id order and, on SQLite, committed in that order too
        # (one writer at a time); on PostgreSQL a later id may commit first.
        self.states_commit_in_order = db.dialect_name == "sqlite"

    def write(self, items: Sequence[Event]) -> int:
        """Store events (one already stored, by id, is kept as it was); returns how many were given."""
        if not items:
            return 0
        received = clock.now()
        rows = [dict(zip(events.c.keys(), event_row(
            str(item.id), timestamp_of(item.occurred), item.event, dict(item.resource.root),
            [dict(r.root) for r in item.related], item.payload, str(item.follows) if item.follows else None,
            received))) for item in items]
        self._db.write(lambda conn: write_rows(conn, rows))
        return len(rows)

    def query(self, spec: EventFilter, *, limit: int, offset: int = 0) -> tuple[list[ReceivedEvent], int]:
        """One page of the events matching `spec` in its order, and how many match in all:
        stored events and state events merged by (occurred, stored first, id)."""
        from headwater.core.event_schemas import EventOrder
        from headwater.store.state_events import DerivedQuery, events_of_rows

        where = filter_where(spec)
        descending = spec.order != EventOrder.ASC
        order = (events.c.occurred.desc(), events.c.id.desc()) if descending else (
            events.c.occurred.asc(), events.c.id.asc())
        derived = DerivedQuery(spec)
        wanted = offset + limit

        def read(conn: Connection) -> tuple[list[ReceivedEvent], int]:
            total = int(conn.execute(select(func.count()).select_from(events).where(where)).scalar_one())
            total += derived.count(conn)
            stored = conn.execute(select(*_COLUMNS).where(where).order_by(*order).limit(wanted)).all()
            states = derived.rows(conn, limit=wanted, descending=descending)
            merged: list[tuple[tuple[float, int, Any], bool, Any]] = (
                [((row.occurred, 0, row.id), False, row) for row in stored]
                + [((row.timestamp, 1, row.id), True, row) for row in states])
            merged.sort(key=lambda item: item[0], reverse=descending)
            page = merged[offset:wanted]
            made = iter(events_of_rows(conn, [row for _, is_state, row in page if is_state]))
            return [next(made) if is_state else _event_from_row(row) for _, is_state, row in page], total

        return self._db.read(read)

    def count_by(self, spec: EventFilter, countable: str) -> list[tuple[str, int, float, float]]:
        """(value, count, first occurred, last occurred) of the matching events grouped by
        their name (`countable="event"`) or resource id (`"resource"`), largest count first."""
        from headwater.store.state_events import DerivedQuery

        column = events.c.event if countable == "event" else events.c.resource_id
        query = (select(column, func.count(), func.min(events.c.occurred), func.max(events.c.occurred))
                 .where(filter_where(spec)).group_by(column))
        derived = DerivedQuery(spec)

        def read(conn: Connection) -> list[tuple[str, int, float, float]]:
            counts: dict[str, tuple[str, int, float, float]] = {}
            for value, n, first, last in [*conn.execute(query), *derived.count_by(conn, countable)]:
                had = counts.get(value)
                counts[value] = (value, int(n), float(first), float(last)) if had is None else (
                    value, had[1] + int(n), min(had[2], float(first)), max(had[3], float(last)))
            return sorted(counts.values(), key=lambda c: (-c[1], c[0]))

        return self._db.read(read)

    def read_new(self, after: float, *, spec: EventFilter | None = None, limit: int = 500) -> list[ReceivedEvent]:
        """Stored events received at or after `after` (matching `spec` but for its time
        range), oldest received first (at most `limit`). State events are followed by
        their row id: `read_new_states`."""
        where = events.c.received >= after
        if spec is not None:
            where = and_(where, filter_where(spec, occurred=False))
        query = (select(*_COLUMNS).where(where)
                 .order_by(events.c.received.asc(), events.c.id.asc()).limit(limit))
        return self._db.read(lambda conn: [_event_from_row(row) for row in conn.execute(query)])

    def read_new_states(self, after_state_id: int, spec: EventFilter | None = None, *, limit: int = 500
                        ) -> tuple[list[tuple[int, ReceivedEvent]], int]:
        """The events of state rows with ids above `after_state_id` (matching `spec` but
        for its time range), by id, at most `limit`, with their row ids; and the id the
        next read may start after (the last row looked at, matching or not).

        Pass `after_state_id=-1` for the highest id now, with no events."""
        from headwater.core.event_schemas import EventFilter as Filter
        from headwater.store.state_events import DerivedQuery, events_of_rows, max_state_id

        derived = DerivedQuery(spec or Filter(), occurred=False)

        def read(conn: Connection) -> tuple[list[tuple[int, ReceivedEvent]], int]:
            top = max_state_id(conn)
            if after_state_id < 0 or top <= after_state_id:
                return [], max(top, after_state_id)
            rows = derived.rows(conn, limit=limit, descending=False, after_state_id=after_state_id,
                                through_state_id=top)
            made = events_of_rows(conn, rows)
            upto = rows[-1].id if len(rows) >= limit else top
            return [(row.id, event) for row, event in zip(rows, made)], upto

        return self._db.read(read)

    def state_id_before(self, when: float) -> int:
        """A state row id below every state stamped at or after `when`, as the writers'
        marks bound it (0 where no mark is that old: a young database)."""
        from headwater.store.state_events import state_id_range

        def read(conn: Connection) -> int:
            low, _ = state_id_range(conn, when, when)
            return 0 if low is None else low - 1

        return int(self._db.read(read))

    def prune(self, cutoff: float, *, batch_size: int = 5000) -> int:
        """Delete up to `batch_size` stored events that occurred before `cutoff`; returns
        how many. (State events go with their states, by the runs' retention; the marks
        that find states by time go with the events: a range older than the oldest mark
        reads states from the first.)"""

        def action(conn: Connection) -> int:
            marks = list(conn.execute(select(state_marks.c.id).where(state_marks.c.at < cutoff)
                                      .limit(batch_size)).scalars())
            if marks:
                conn.execute(delete(state_marks).where(state_marks.c.id.in_(marks)))
            ids = list(conn.execute(select(events.c.id).where(events.c.occurred < cutoff).limit(batch_size)).scalars())
            if not ids:
                return 0
            return int(conn.execute(delete(events).where(events.c.id.in_(ids))).rowcount)

        return self._db.write(action)

    def count(self) -> int:
        """How many events are stored (state events are not)."""
        return int(self._db.read(lambda conn: conn.execute(select(func.count()).select_from(events)).scalar_one()))


def write_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert event rows (dicts by column) on `conn`, keeping rows whose id exists."""
    if rows:
        conn.execute(insert_ignoring(conn, events), rows)


class EventTail:
    """Follows the events stored, and the states written, after it was made: each poll
    returns the new ones, stored events (oldest received first) then state events (by
    row id).

    Args:
        store_events: the store's `Events`.
        lookback_seconds: how far back each read looks again, for transactions that
            committed after a later one (stored events by their `received` time; state
            rows, on PostgreSQL only, by the ids seen that long ago).
        start: receive events received from this time (default: now); the states
            followed are those written after the tail was made.
        spec: only the events matching this filter (but for its time range).
        start_state_id: follow the states written after the row with this id (default:
            those written after the tail was made).
    """

    def __init__(self, store_events: Events, *, lookback_seconds: float = 2.0, start: float | None = None,
                 spec: EventFilter | None = None, start_state_id: int | None = None) -> None:
        self._events = store_events
        self._spec = spec
        self._lookback = lookback_seconds
        self._cursor = clock.now() if start is None else start
        self._floor = self._cursor  # the lookback never reaches before the tail was made
        self._seen: OrderedDict[str, float] = OrderedDict()
        _, self._state_cursor = store_events.read_new_states(-1)
        if start_state_id is not None:
            self._state_cursor = min(self._state_cursor, start_state_id)
        # (when, state cursor then), to look back on PostgreSQL: ids below the cursor may commit late.
        self._state_marks: deque[tuple[float, int]] = deque([(clock.now(), self._state_cursor)])
        self._seen_states: OrderedDict[int, None] = OrderedDict()

    @property
    def cursor(self) -> float:
        """The latest `received` time of the stored events returned so far."""
        return self._cursor

    @property
    def state_cursor(self) -> int:
        """The state row id the tail has followed up to."""
        return self._state_cursor

    def poll(self, limit: int = 5000) -> list[ReceivedEvent]:
        """The events stored since the last poll (never one twice)."""
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
        return fresh + self._poll_states(limit)

    def _poll_states(self, limit: int) -> list[ReceivedEvent]:
        if self._events.states_commit_in_order:  # nothing commits below the cursor later
            found, upto = self._events.read_new_states(self._state_cursor, self._spec, limit=limit)
            self._state_cursor = max(self._state_cursor, upto)
            return [event for _, event in found]
        now = clock.now()
        marks = self._state_marks
        while len(marks) > 1 and marks[1][0] <= now - self._lookback:
            marks.popleft()
        found, upto = self._events.read_new_states(marks[0][1], self._spec, limit=limit)
        if len(found) >= limit and upto < self._state_cursor:  # a busy window: go on from the cursor too
            more, upto = self._events.read_new_states(self._state_cursor, self._spec, limit=limit)
            found += more
        fresh = []
        for state_id, event in found:
            if state_id not in self._seen_states:
                self._seen_states[state_id] = None
                fresh.append(event)
        self._state_cursor = max(self._state_cursor, upto)
        marks.append((now, self._state_cursor))
        oldest = marks[0][1]  # ids at or below it are never read again
        while self._seen_states and next(iter(self._seen_states)) <= oldest:
            self._seen_states.popitem(last=False)
        return fresh
