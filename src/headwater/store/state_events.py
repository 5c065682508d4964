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
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Union

from sqlalchemy import Double, Text, and_, bindparam, cast, false, func, literal, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql import visitors

from headwater.store.event_rows import flow_run_related, tag_list
from headwater.store.tables import deployments, flow_runs, state_marks, states, task_runs, work_pools

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from headwater.core.event_schemas import EventFilter, ReceivedEvent

__all__ = ["FLOW_RUN_PREFIX", "TASK_RUN_PREFIX", "DerivedQuery", "derived_from", "derived_where", "events_of_rows",
           "max_state_id", "state_event_id", "state_id_of_event", "state_id_range"]

FLOW_RUN_PREFIX = "prefect.flow-run."
TASK_RUN_PREFIX = "prefect.task-run."

_tr = task_runs.alias("ev_task_runs")
_fr = flow_runs.alias("ev_flow_runs")
_dep = deployments.alias("ev_deployments")
_pool = work_pools.alias("ev_work_pools")

# A condition that may be known already: True, False, or SQL.
Cond = Union[bool, ColumnElement[bool]]


def state_event_id(run_id: str, state_id: int) -> str:
    """The id of the event of state row `state_id` of run `run_id`: the run id's first
    20 hex digits (version nibble 8, variant 10), then the state id in 12."""
    digits = run_id.replace("-", "")
    if len(digits) != 32 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        digits = "0" * 32
    h = f"{digits[:12]}8{digits[13:16]}{8 | (int(digits[16], 16) & 3):x}{digits[17:20]}{state_id & 0xFFFFFFFFFFFF:012x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}".lower()


def state_id_of_event(event_id: str) -> int | None:
    """The state row id a derived event's id names, or None for another id."""
    digits = str(event_id).replace("-", "")
    if len(digits) != 32 or digits[12] != "8":
        return None
    try:
        return int(digits[20:], 16)
    except ValueError:
        return None


# -- conditions that simplify as they are built ----------------------------------------
def _and(*parts: Cond) -> Cond:
    sql = []
    for part in parts:
        if part is False:
            return False
        if part is not True:
            sql.append(part)
    return True if not sql else sql[0] if len(sql) == 1 else and_(*sql)


def _or(*parts: Cond) -> Cond:
    sql = []
    for part in parts:
        if part is True:
            return True
        if part is not False:
            sql.append(part)
    return False if not sql else sql[0] if len(sql) == 1 else or_(*sql)


def _not(part: Cond) -> Cond:
    return (not part) if isinstance(part, bool) else not_(part)


def _sql(part: Cond) -> ColumnElement[bool]:
    return true() if part is True else false() if part is False else part


class _Kind:
    """What the events of one kind of run are, as columns: their name's prefix, the
    run's id, and their related resources as (id prefix, role, column) triples."""

    def __init__(self, prefix: str, run_id: Any, related: list[tuple[str, str, Any]], names: list[Any]) -> None:
        self.prefix = prefix
        self.run_id = run_id
        self.related = related
        self.names = names  # the run's name and its related resources' names, for text search

    def searchable(self) -> Any:
        """What a text search finds the event by (`store.events.derived_text`)."""
        from headwater.store.events import derived_text

        return derived_text(self.prefix, self.run_id, self.related, self.names)

    # names ----------------------------------------------------------------------
    def name_prefix(self, prefix: str) -> Cond:
        if prefix.startswith(self.prefix):
            rest = prefix[len(self.prefix):]
            return states.c.name.startswith(rest, autoescape=True) if rest else True
        return self.prefix.startswith(prefix)

    def name_is(self, name: str) -> Cond:
        return states.c.name == name[len(self.prefix):] if name.startswith(self.prefix) else False

    # the resource ---------------------------------------------------------------
    def resource_is(self, resource_id: str) -> Cond:
        return self.run_id == resource_id[len(self.prefix):] if resource_id.startswith(self.prefix) else False

    def resource_prefix(self, prefix: str) -> Cond:
        return _id_prefix(self.prefix, prefix, self.run_id, is_tags=False)

    # related resources ----------------------------------------------------------
    def related_is(self, resource_id: str | None, role: str | None) -> Cond:
        found: list[Cond] = []
        for id_prefix, their_role, column in self.related:
            if role is not None and role != their_role:
                continue
            is_tags = their_role == "tag"
            if resource_id is None:
                found.append(_tags_nonempty(column) if is_tags else column.is_not(None))
            elif resource_id.startswith(id_prefix):
                rest = resource_id[len(id_prefix):]
                found.append(_tags_contain(column, rest) if is_tags else column == rest)
        return _or(*found)

    def related_prefix(self, prefix: str) -> Cond:
        return _or(*(_id_prefix(id_prefix, prefix, column, is_tags=role == "tag")
                     for id_prefix, role, column in self.related))


def _id_prefix(kind_prefix: str, prefix: str, column: Any, *, is_tags: bool) -> Cond:
    """Resource ids `kind_prefix + column` starting with `prefix`."""
    if prefix.startswith(kind_prefix):
        rest = prefix[len(kind_prefix):]
        if is_tags:
            return cast(column, Text).contains('"' + json.dumps(rest)[1:-1], autoescape=True)
        found: Cond = column.startswith(rest, autoescape=True) if rest else column.is_not(None)
        return found
    if kind_prefix.startswith(prefix):
        return _tags_nonempty(column) if is_tags else column.is_not(None)
    return False


def _tags_contain(column: Any, tag: str) -> ColumnElement[bool]:
    return cast(column, Text).contains(json.dumps(tag), autoescape=True)


def _tags_nonempty(column: Any) -> ColumnElement[bool]:
    return cast(column, Text).contains('"')


_FLOW_KIND = _Kind(FLOW_RUN_PREFIX, states.c.flow_run_id, [
    ("prefect.flow.", "flow", _fr.c.flow_id),
    ("prefect.deployment.", "deployment", _fr.c.deployment_id),
    ("prefect.work-pool.", "work-pool", _fr.c.work_pool_id),
    ("prefect.task-run.", "task-run", _fr.c.parent_task_run_id),
    ("prefect.tag.", "tag", _fr.c.tags),
], [_fr.c.name, _fr.c.flow_name, _dep.c.name, _pool.c.name, _pool.c.type])
_TASK_KIND = _Kind(TASK_RUN_PREFIX, states.c.task_run_id, [
    ("prefect.tag.", "tag", _tr.c.tags),
    ("prefect.flow-run.", "flow-run", _tr.c.flow_run_id),
    ("prefect.flow.", "flow", _fr.c.flow_id),
    ("prefect.deployment.", "deployment", _fr.c.deployment_id),
    ("prefect.work-pool.", "work-pool", _fr.c.work_pool_id),
], [_tr.c.name, _fr.c.name, _fr.c.flow_name, _dep.c.name, _pool.c.name, _pool.c.type])


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _kind_where(kind: _Kind, spec: EventFilter) -> Cond:
    parts: list[Cond] = []
    name = spec.event
    if name is not None:
        if name.prefix:  # empty: no condition, as Prefect reads it
            parts.append(_or(*(kind.name_prefix(p) for p in name.prefix)))
        if name.exclude_prefix:
            parts.append(_not(_or(*(kind.name_prefix(p) for p in name.exclude_prefix))))
        if name.name is not None:
            parts.append(_or(*(kind.name_is(n) for n in name.name)))
        if name.exclude_name:
            parts.append(_not(_or(*(kind.name_is(n) for n in name.exclude_name))))
    if spec.resource is not None:
        parts.append(_resource(kind, spec.resource, any_resource=False))
    for related in _listed(spec.related):
        parts.append(_related(kind, related))
    for any_spec in _listed(spec.any_resource):
        parts.append(_resource(kind, any_spec, any_resource=True))
    if spec.text is not None:
        from headwater.store.events import text_where

        searched = text_where(spec.text.query, kind.searchable())
        if searched is not None:
            parts.append(searched)
    return _and(*parts)


def _resource(kind: _Kind, spec: Any, *, any_resource: bool) -> Cond:
    parts: list[Cond] = []
    if spec.id:
        parts.append(_or(*(kind.resource_is(i) for i in spec.id),
                         *((kind.related_is(i, None) for i in spec.id) if any_resource else ())))
    if spec.id_prefix:
        parts.append(_or(*(kind.resource_prefix(p) for p in spec.id_prefix),
                         *((kind.related_prefix(p) for p in spec.id_prefix) if any_resource else ())))
    return _and(*parts)


def _related(kind: _Kind, spec: Any) -> Cond:
    parts: list[Cond] = []
    ids, roles = spec.id, spec.role
    if ids and roles:
        parts.append(_or(*(kind.related_is(i, r) for i in ids for r in roles)))
    elif ids:
        parts.append(_or(*(kind.related_is(i, None) for i in ids)))
    elif roles:
        parts.append(_or(*(kind.related_is(None, r) for r in roles)))
    if spec.resources_in_roles:
        parts.append(_or(*(kind.related_is(i, r) for i, r in spec.resources_in_roles)))
    return _and(*parts)


def derived_where(spec: EventFilter, *, occurred: bool = True) -> ColumnElement[bool] | None:
    """The SQL condition on `states` (joined as `derived_from()`) of the state events
    matching `spec`, or None when no state event can match it."""
    from headwater.store.events import timestamp_of

    flow_where, task_where = _kind_where(_FLOW_KIND, spec), _kind_where(_TASK_KIND, spec)
    if flow_where is True and task_where is True:  # every state row names a flow run or a task run
        parts: list[Cond] = []
    else:
        parts = [_or(_and(states.c.flow_run_id.is_not(None), flow_where),
                     _and(states.c.task_run_id.is_not(None), task_where))]
    if occurred:
        parts += [states.c.timestamp >= timestamp_of(spec.occurred.since),
                  states.c.timestamp <= timestamp_of(spec.occurred.until)]
    if spec.id.id is not None:
        state_ids = [s for s in (state_id_of_event(str(i)) for i in spec.id.id) if s is not None]
        parts.append(states.c.id.in_(state_ids) if state_ids else False)
    where = _and(*parts)
    return None if where is False else _sql(where)


def derived_from() -> Any:
    """`states` joined with what its events name: the task run, the flow run (the
    state's own or the task run's), the deployment and the work pool."""
    return (states.outerjoin(_tr, _tr.c.id == states.c.task_run_id)
            .outerjoin(_fr, _fr.c.id == func.coalesce(states.c.flow_run_id, _tr.c.flow_run_id))
            .outerjoin(_dep, _dep.c.id == _fr.c.deployment_id)
            .outerjoin(_pool, _pool.c.id == _fr.c.work_pool_id))


_COLUMNS = (states.c.id, states.c.flow_run_id, states.c.task_run_id, states.c.type, states.c.name,
            states.c.message, states.c.timestamp, _tr.c.name, _tr.c.tags, _tr.c.flow_run_id, _fr.c.name,
            _fr.c.flow_id, _fr.c.flow_name, _fr.c.tags, _fr.c.deployment_id, _dep.c.name, _fr.c.work_pool_id,
            _pool.c.name, _pool.c.type, _fr.c.parent_task_run_id)


# How a time range becomes a range of state ids. A writer adds a mark (`at`, `state_id`)
# after inserting a batch's states: at time `at`, `state_id` was the highest id. Ids are
# handed out in time order (SQLite's rowid, PostgreSQL's sequence), so:
# - every row with an id at or below a mark's `state_id` was inserted before its `at`, and
#   its timestamp was taken before it was inserted, by the clock of the process that made
#   the state: so it is before `at` + that clock's lead over the writer's. Rows from
#   `since` on therefore have ids above the last mark before `since - _CLOCK_SKEW`.
# - every row with an id above a mark's `state_id` was inserted after its `at` (but for a
#   PostgreSQL transaction that took its id a moment before and committed after), and a
#   state is inserted after its timestamp by at most: the client's history flush (0.25 s),
#   the time a client keeps records while the server is away (`api_buffer_seconds`, 60 s
#   by default), the server writer's flush, a batch's transaction, and the clock skew.
#   Rows up to `until` therefore have ids at or below the first mark after
#   `until + _LATE_SECONDS`. A state written later than that after its timestamp (a client
#   buffering for longer than 10 minutes) is missed by time ranges that ended more than
#   10 minutes before it was written; ranges reaching that late, and "the last hour",
#   find it.
# Where no mark bounds a side, the range is open on it: never fewer rows, only more read.
_CLOCK_SKEW = 60.0
_LATE_SECONDS = 600.0


_MARK_BEFORE = (select(state_marks.c.state_id).where(state_marks.c.at < bindparam("t", type_=Double()))
                .order_by(state_marks.c.at.desc()).limit(1))
_MARK_AFTER = (select(state_marks.c.state_id).where(state_marks.c.at > bindparam("t", type_=Double()))
               .order_by(state_marks.c.at.asc()).limit(1))


def state_id_range(conn: Connection, since: float, until: float) -> tuple[int | None, int | None]:
    """(lowest, highest) state ids a state with a timestamp in [since, until] can have
    (None: no bound on that side), from the marks (see the comment above)."""
    low = conn.execute(_MARK_BEFORE, {"t": since - _CLOCK_SKEW}).scalar()
    high = conn.execute(_MARK_AFTER, {"t": until + _LATE_SECONDS}).scalar()
    return (None if low is None else int(low) + 1), (None if high is None else int(high))


def _id_bounds(where: ColumnElement[bool], low: int | None, high: int | None) -> ColumnElement[bool]:
    if low is not None:
        where = and_(where, states.c.id >= low)
    if high is not None:
        where = and_(where, states.c.id <= high)
    return where


class DerivedQuery:
    """Reads the state events matching a filter (see the module docstring)."""

    def __init__(self, spec: EventFilter, *, occurred: bool = True) -> None:
        from headwater.store.events import timestamp_of

        self.where = derived_where(spec, occurred=occurred)
        self._range = (timestamp_of(spec.occurred.since), timestamp_of(spec.occurred.until)) if occurred else None
        # Counting reads `states` alone unless the filter names what the runs are.
        joined = {_tr, _fr, _dep, _pool}
        named = {getattr(e, "table", None) for e in visitors.iterate(self.where)} if self.where is not None else set()
        self._joined = bool(named & joined)
        self._source = derived_from() if self._joined else states

    def _ids(self, conn: Connection) -> tuple[int | None, int | None]:
        return (None, None) if self._range is None else state_id_range(conn, *self._range)

    def _bounded(self, conn: Connection, where: ColumnElement[bool]) -> ColumnElement[bool]:
        """`where` with the time range's state ids (read on the primary key)."""
        return _id_bounds(where, *self._ids(conn))

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
            query = select(*_COLUMNS).select_from(derived_from()).where(where).order_by(states.c.id.asc()).limit(limit)
            return list(conn.execute(query).all())
        ids = self._page_ids(conn, self.where, limit, descending)
        if not ids:
            return []
        order = ((states.c.timestamp.desc(), states.c.id.desc()) if descending
                 else (states.c.timestamp.asc(), states.c.id.asc()))
        query = select(*_COLUMNS).select_from(derived_from()).where(states.c.id.in_(ids)).order_by(*order)
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
                            .where(_id_bounds(where, low, high)).order_by(by_id).limit(first)).all()
        found = [(float(ts), int(i)) for i, ts in head]
        if len(head) == first:
            found.sort(reverse=descending)
            edge = found[min(limit, len(found)) - 1][0]
            beyond = head[-1][0]
            # One bound a side on the id: SQLite reads the primary key's range by one of
            # them and would only filter by the other.
            if descending:  # older ids with a timestamp as new as the page's last
                edge_low, _ = state_id_range(conn, edge, edge)
                more = _id_bounds(and_(where, states.c.timestamp >= edge),
                                  max(low or 0, edge_low or 0) or None, beyond - 1)
            else:  # newer ids with a timestamp as old as the page's last (bounded by the
                # range's own ids only: the marks' bound after `edge` would assume these
                # states were written within _LATE_SECONDS of `edge`, and a range that
                # reaches their writing must find them however late they were)
                more = _id_bounds(and_(where, states.c.timestamp <= edge), beyond + 1, high)
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


def max_state_id(conn: Connection) -> int:
    """The highest state row id (0 when there is none)."""
    return int(conn.execute(select(func.coalesce(func.max(states.c.id), literal(0)))).scalar_one())


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

