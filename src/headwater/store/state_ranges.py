"""Time ranges of state changes as ranges of state row ids, read from the writers' marks.

`states` has no index on its timestamp (every state row would pay for it when written);
the history writers' marks (`state_marks`) turn a time range into a range of state ids,
read on the primary key (`state_id_range`, `id_bounds`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Double, and_, bindparam, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from headwater.store.tables import state_marks, states

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["id_bounds", "max_state_id", "state_id_range"]

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


def id_bounds(where: ColumnElement[bool], low: int | None, high: int | None) -> ColumnElement[bool]:
    """`where` with the state id at least `low` and at most `high` (None: no bound)."""
    if low is not None:
        where = and_(where, states.c.id >= low)
    if high is not None:
        where = and_(where, states.c.id <= high)
    return where


def max_state_id(conn: Connection) -> int:
    """The highest state row id (0 when there is none)."""
    return int(conn.execute(select(func.coalesce(func.max(states.c.id), literal(0)))).scalar_one())
