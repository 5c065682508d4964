"""Concurrency limits in the store: create/read/update/delete, and taking slots.

`Limits` is the store's repository of them (`store.limits`). Every change is one short
write transaction through the store's `Database` (store/database.py), so it is atomic
across processes and machines that share the database: `BEGIN IMMEDIATE` on SQLite
serialises writers up front; on PostgreSQL the limit rows are locked with
`SELECT ... FOR UPDATE` (in name order, so two callers taking several limits cannot
deadlock) before their slots are counted.

Slots in use of a limit, at time `now`:

- leased: the sum of `slots` of its leases with `expires > now`. A holder renews its
  lease; an expired lease counts for nothing even before its row is deleted, and a
  renewal never revives it, so a killed process's slots come back by themselves. But
  a lapsed lease whose holder is provably alive on the store's host (same pid, same
  start time: core/liveness.py) is extended, not given away: a holder whose renewal
  could not run (a task holding the GIL) keeps its slots.
- decaying (rate limits): `max(0, decaying_slots - decay * max(0, now - decay_updated))`.
  `decay_updated` only moves forward, so a caller whose clock is behind never makes
  slots decay backwards, and the `max(0, ...)` keeps counts from going negative
  whatever the clocks say.

On PostgreSQL `now` is the database server's clock, so the machines sharing it need
not agree on the time; on SQLite all callers share one machine's clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection, Dialect, Row

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.limits import (
    ConcurrencyLimitError,
    ConcurrencyLimitInfo,
    SlotGrant,
    SlotHolderInfo,
    check_decay,
    check_limit,
    describe_limit,
    display_name,
    kind_of,
    limit_key,
    plural_slots,
)
from headwater.exceptions import ObjectNotFound
from headwater.store.tables import concurrency_leases, concurrency_limits
from headwater.store.writes import compile_positional, positional_dialect  # the writer's SQL, compiled alike

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["Limits"]

_L = concurrency_limits
_LEASES = concurrency_leases
_EPSILON = 1e-9  # decayed slots are floats; a slot 1e-12 short of free is free

_LIMIT_COLUMNS = (_L.c.name, _L.c.limit, _L.c.slot_decay_per_second, _L.c.active, _L.c.decaying_slots,
                  _L.c.decay_updated)
_LOCK_LIMIT = select(*_LIMIT_COLUMNS).where(_L.c.name == bindparam("key")).with_for_update()


class _SlotStatements:
    """The SQL of taking and giving back slots, compiled once per dialect.

    Acquire+release is on the hot path of `concurrency()` and tagged task runs
    (target: under a millisecond on SQLite); building and compiling statements with
    SQLAlchemy Core on every call took about as long as the database work itself, so
    these go straight to the driver, as the history writer's do (store/writes.py).
    """

    def __init__(self, dialect: Dialect) -> None:
        positional = positional_dialect(dialect)

        def sql(stmt: Any, expected: list[str], **kw: Any) -> str:
            text, names = compile_positional(stmt, positional, **kw)
            assert names == expected, (names, expected)
            return text

        self.lock_limit = sql(_LOCK_LIMIT, ["key"])
        self.usage = sql(
            select(func.sum(_LEASES.c.slots), func.max(_LEASES.c.created))
            .where(_LEASES.c.limit_name == bindparam("key"), _LEASES.c.expires > bindparam("now")),
            ["key", "now"],
        )
        lease_columns = ["id", "limit_name", "slots", "holder", "expires", "created"]
        self.insert_lease = sql(_LEASES.insert(), lease_columns, column_keys=lease_columns)
        self.update_decay = sql(
            update(_L).where(_L.c.name == bindparam("key"))
            .values(decaying_slots=bindparam("slots"), decay_updated=bindparam("at")),
            ["slots", "at", "key"],
        )
        self.delete_expired = sql(
            delete(_LEASES).where(_LEASES.c.limit_name == bindparam("key"), _LEASES.c.expires <= bindparam("now")),
            ["key", "now"],
        )
        self.release = sql(delete(_LEASES).where(_LEASES.c.id == bindparam("lease_id")), ["lease_id"])


_statements: dict[str, _SlotStatements] = {}


def _slot_statements(conn: Connection) -> _SlotStatements:
    dialect = conn.dialect
    found = _statements.get(dialect.name)
    if found is None:
        found = _statements[dialect.name] = _SlotStatements(dialect)
    return found


class _LimitRow(NamedTuple):
    name: str
    limit: int
    slot_decay_per_second: float
    active: bool
    decaying_slots: float
    decay_updated: float


class _Decaying(Protocol):
    """The columns of a limit that rate-limit decay reads (a limit row, or a `_LimitRow`)."""

    @property
    def decaying_slots(self) -> float: ...

    @property
    def decay_updated(self) -> float: ...

    @property
    def slot_decay_per_second(self) -> float: ...


def _decayed(row: _Decaying, now: float) -> float:
    """Rate-limit slots of `row` still taken at `now` (never negative, never growing)."""
    if row.decaying_slots <= 0:
        return 0.0
    elapsed = max(0.0, now - row.decay_updated)
    return max(0.0, row.decaying_slots - row.slot_decay_per_second * elapsed)


def _db_now(conn: Connection) -> float:
    if conn.dialect.name == "postgresql":
        return float(conn.exec_driver_sql("SELECT extract(epoch FROM clock_timestamp())::float8").scalar_one())
    return clock.now()


def _not_found(key: str) -> ObjectNotFound:
    command = "headwater concurrency-limit ls" if kind_of(key) == "tag" else "headwater gcl ls"
    return ObjectNotFound(f"there is no {describe_limit(key)}; list the limits with `{command}`")


def _update_hint(key: str) -> str:
    if kind_of(key) == "tag":
        return f"headwater concurrency-limit update {display_name(key)} --limit N"
    return f"headwater gcl update {key} --limit N"


class Limits:
    """Concurrency limits and their slots over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- managing limits ------------------------------------------------------------
    def create_concurrency_limit(
        self, name: str, limit: int, *, slot_decay_per_second: float = 0.0, active: bool = True
    ) -> ConcurrencyLimitInfo:
        """Create a limit. `name` is its key: a global name, or `tag:<tag>` for a tag limit.

        Raises:
            ConcurrencyLimitError: a bad name, limit or decay, or the name is taken
                (nothing is created).
        """
        key = limit_key(name[4:], "tag") if kind_of(name) == "tag" else limit_key(name)
        limit = check_limit(limit, key)
        decay = check_decay(slot_decay_per_second, key)

        def body(conn: Connection) -> None:
            existing = conn.execute(select(_L.c.limit).where(_L.c.name == key)).first()
            if existing is not None:
                raise ConcurrencyLimitError(
                    f"a {describe_limit(key)} already exists (limit {existing.limit}); change it with "
                    f"`{_update_hint(key)}` or delete it first"
                )
            now = _db_now(conn)
            conn.execute(_L.insert().values(
                id=new_id(), name=key, kind=kind_of(key), limit=limit, slot_decay_per_second=decay,
                active=bool(active), decaying_slots=0.0, decay_updated=now, created=now, updated=now,
            ))

        self._db.write(body)
        return self.read_concurrency_limit(key)

    def read_concurrency_limit(self, name: str) -> ConcurrencyLimitInfo:
        """Read a limit by key, with its slots in use and who holds them.

        Raises:
            ObjectNotFound: there is no such limit.
        """

        def query(conn: Connection) -> ConcurrencyLimitInfo:
            infos = _read_limits(conn, [name], with_holders=True)
            if not infos:
                raise _not_found(name)
            return infos[0]

        return self._db.read(query)

    def list_concurrency_limits(
        self, *, kind: str | None = None, with_holders: bool = True
    ) -> list[ConcurrencyLimitInfo]:
        """Every limit (or only `kind` "global" / "tag"), by name, with its slots in use."""
        return self._db.read(lambda conn: _read_limits(conn, None, kind=kind, with_holders=with_holders))

    def update_concurrency_limit(
        self,
        name: str,
        *,
        limit: int | None = None,
        slot_decay_per_second: float | None = None,
        active: bool | None = None,
    ) -> ConcurrencyLimitInfo:
        """Change a limit's size, decay or whether it is active; slots held stay held.

        Lowering the limit below the slots in use makes new callers wait until enough
        are given back. Setting the decay to 0 frees the rate-limit slots still decaying.

        Raises:
            ObjectNotFound: there is no such limit.
            ConcurrencyLimitError: a bad limit or decay (nothing is changed).
        """
        if limit is not None:
            check_limit(limit, name)
        decay = check_decay(slot_decay_per_second, name) if slot_decay_per_second is not None else None

        def body(conn: Connection) -> None:
            row = conn.execute(_LOCK_LIMIT, {"key": name}).first()
            if row is None:
                raise _not_found(name)
            now = _db_now(conn)
            values: dict[str, Any] = {"updated": now}
            if limit is not None:
                values["limit"] = limit
            if active is not None:
                values["active"] = bool(active)
            if decay is not None:
                # Slots decayed so far at the old rate; from here on the new rate applies.
                values["decaying_slots"] = _decayed(row, now) if decay > 0 else 0.0
                values["decay_updated"] = max(now, row.decay_updated)
                values["slot_decay_per_second"] = decay
            conn.execute(update(_L).where(_L.c.name == name).values(**values))

        self._db.write(body)
        return self.read_concurrency_limit(name)

    def delete_concurrency_limit(self, name: str) -> None:
        """Delete a limit and its leases; holders' later releases are harmless.

        Raises:
            ObjectNotFound: there is no such limit.
        """

        def body(conn: Connection) -> None:
            conn.execute(delete(_LEASES).where(_LEASES.c.limit_name == name))
            if conn.execute(delete(_L).where(_L.c.name == name)).rowcount == 0:
                raise _not_found(name)

        self._db.write(body)

    def reset_concurrency_limit(self, name: str) -> None:
        """Release every lease holding slots of a limit, in one transaction; the holders
        keep running, and their later renewals and releases are harmless.

        A lease covering several limits is released whole, as its holder's own release would.

        Raises:
            ObjectNotFound: there is no such limit.
        """

        def body(conn: Connection) -> None:
            if conn.execute(select(_L.c.name).where(_L.c.name == name)).first() is None:
                raise _not_found(name)
            held = select(_LEASES.c.id).where(_LEASES.c.limit_name == name).scalar_subquery()
            conn.execute(delete(_LEASES).where(_LEASES.c.id.in_(held)))

        self._db.write(body)

    # -- taking and giving back slots ------------------------------------------------
    def acquire_concurrency_slots(
        self,
        names: Sequence[str],
        slots: int,
        *,
        lease_seconds: float | None,
        holder: dict[str, Any],
        strict: bool = False,
    ) -> SlotGrant:
        """Try once to take `slots` of every limit in `names` (keys), all or none.

        Missing and inactive limits never block. With `lease_seconds`, the slots are
        held under a new lease until released or expired (`concurrency()`, tag limits);
        with None they are rate-limit slots that decay back on their own (`rate_limit()`).
        `strict` takes nothing when a limit is missing (the refusal lists it).

        Returns:
            A grant (with the lease id when slots were leased), or a refusal naming the
            full limits and, when only decay stands in the way, how long it needs.

        Raises:
            ConcurrencyLimitError: `slots` exceeds an active limit (it would wait
                forever), or a rate limit was asked of a limit without decay.
        """
        return self._db.write(
            lambda conn: _acquire(conn, list(names), slots, lease_seconds, holder, strict)
        )

    def renew_concurrency_leases(self, lease_ids: Sequence[str], lease_seconds: float) -> list[str]:
        """Extend unexpired leases to `lease_seconds` from now; return the ids that had lapsed."""
        if not lease_ids:
            return []
        ids = list(lease_ids)

        def body(conn: Connection) -> list[str]:
            now = _db_now(conn)
            conn.execute(update(_LEASES).where(_LEASES.c.id.in_(ids), _LEASES.c.expires > now)
                         .values(expires=now + lease_seconds))
            alive = set(conn.execute(select(_LEASES.c.id).where(_LEASES.c.id.in_(ids), _LEASES.c.expires > now)
                                     .distinct()).scalars())
            return [lease_id for lease_id in ids if lease_id not in alive]

        return self._db.write(body)

    def release_concurrency_slots(self, lease_id: str) -> None:
        """Give back the slots of a lease (nothing happens if it already expired or was released)."""
        self._db.write(
            lambda conn: conn.exec_driver_sql(_slot_statements(conn).release, (lease_id,)))


def _acquire(
    conn: Connection, keys: list[str], slots: int, lease_seconds: float | None, holder: dict[str, Any],
    strict: bool,
) -> SlotGrant:
    sql = _slot_statements(conn)
    run = conn.exec_driver_sql
    found: dict[str, _LimitRow] = {}
    for key in sorted(keys):  # lock in name order: callers taking several limits cannot deadlock
        locked = run(sql.lock_limit, (key,)).first()
        if locked is not None:
            found[key] = _LimitRow(*locked)
    missing = [key for key in keys if key not in found]
    if missing and strict:
        return SlotGrant(granted=False, missing=missing)
    active = [found[key] for key in keys if key in found and found[key].active]
    if not active:
        return SlotGrant(granted=True, missing=missing)
    for row in active:
        if slots > row.limit:
            raise ConcurrencyLimitError(
                f"cannot take {plural_slots(slots)} of {describe_limit(row.name)}: its limit is {row.limit}, so "
                f"this would wait forever. Raise the limit (`{_update_hint(row.name).replace('N', str(slots))}`) "
                "or take fewer slots"
            )
        if lease_seconds is None and row.slot_decay_per_second <= 0:
            raise ConcurrencyLimitError(
                f"rate_limit() needs slots that decay, but {describe_limit(row.name)} has slot_decay_per_second 0. "
                f"Give it a decay (`headwater gcl update {display_name(row.name)} --slot-decay-per-second X`) "
                "or use concurrency() instead"
            )
    now = _db_now(conn)
    for row in active:
        _keep_live_holders(conn, row.name, now)
    blocking: dict[str, tuple[float, int]] = {}
    decay_waits: list[float | None] = []
    newest: float | None = None
    for row in active:
        leased, created = run(sql.usage, (row.name, now)).first() or (None, None)
        decaying = _decayed(row, now)
        in_use = int(leased or 0) + decaying
        excess = in_use + slots - row.limit
        if excess > _EPSILON:
            blocking[row.name] = (in_use, row.limit)
            decay = row.slot_decay_per_second
            decay_waits.append(excess / decay if decay > 0 and excess <= decaying + _EPSILON else None)
            if created is not None and (newest is None or created > newest):
                newest = created
    if blocking:
        for name in blocking:  # tidy up after holders that died; expired leases already count for nothing
            run(sql.delete_expired, (name, now))
        retry_after = None if None in decay_waits else max(w for w in decay_waits if w is not None)
        return SlotGrant(granted=False, missing=missing, blocking=blocking, retry_after=retry_after,
                         newest_lease=newest)
    if lease_seconds is None:
        for row in active:
            run(sql.update_decay, (_decayed(row, now) + slots, max(now, row.decay_updated), row.name))
        return SlotGrant(granted=True, missing=missing)
    lease_id = new_id()
    holder_json = json.dumps(holder)
    run(sql.insert_lease, [(lease_id, row.name, slots, holder_json, now + lease_seconds, now) for row in active])
    return SlotGrant(granted=True, lease_id=lease_id, missing=missing)


_LIVE_HOLDER_GRACE_S = 30.0
"""How far a lapsed lease of a holder seen alive is extended; its own renewal takes over
once its process runs Python again."""


def _keep_live_holders(conn: Connection, key: str, now: float) -> None:
    """Extend the lapsed leases of `key` whose holder's process is provably alive on this
    host (core/liveness.py): a holder that could not renew (a task holding the GIL) still
    holds its slots, which are never handed to another meanwhile."""
    from headwater.core.liveness import is_provably_alive

    lapsed = conn.execute(select(_LEASES.c.id, _LEASES.c.holder).where(
        _LEASES.c.limit_name == key, _LEASES.c.expires <= now)).all()
    alive = [lease.id for lease in lapsed if is_provably_alive(lease.holder)]
    if alive:
        conn.execute(update(_LEASES).where(_LEASES.c.id.in_(alive), _LEASES.c.limit_name == key)
                     .values(expires=now + _LIVE_HOLDER_GRACE_S))


def _read_limits(
    conn: Connection, keys: list[str] | None, *, kind: str | None = None, with_holders: bool
) -> list[ConcurrencyLimitInfo]:
    query = select(_L).order_by(_L.c.name)
    if keys is not None:
        query = query.where(_L.c.name.in_(keys))
    if kind is not None:
        query = query.where(_L.c.kind == kind)
    rows = conn.execute(query).all()
    if not rows:
        return []
    now = _db_now(conn)
    holders: dict[str, list[Row[Any]]] = {}
    names = [row.name for row in rows]
    for lease in _unexpired_leases(conn, names, now):
        holders.setdefault(lease.limit_name, []).append(lease)
    return [_limit_info(row, holders.get(row.name, []), now, with_holders) for row in rows]


def _unexpired_leases(conn: Connection, names: list[str], now: float) -> Iterator[Row[Any]]:
    yield from conn.execute(
        select(_LEASES).where(_LEASES.c.limit_name.in_(names), _LEASES.c.expires > now)
        .order_by(_LEASES.c.created)
    )


def _limit_info(row: Row[Any], leases: list[Row[Any]], now: float, with_holders: bool) -> ConcurrencyLimitInfo:
    return ConcurrencyLimitInfo(
        id=row.id,
        name=row.name,
        kind=row.kind,
        limit=row.limit,
        slot_decay_per_second=row.slot_decay_per_second,
        active=bool(row.active),
        leased_slots=sum(lease.slots for lease in leases),
        decaying_slots=_decayed(row, now),
        holders=[
            SlotHolderInfo(
                lease_id=lease.id, slots=lease.slots, holder=lease.holder,
                expires=clock.to_datetime(lease.expires), created=clock.to_datetime(lease.created),
            )
            for lease in leases
        ] if with_holders else [],
        created=clock.to_datetime(row.created),
        updated=clock.to_datetime(row.updated),
    )
