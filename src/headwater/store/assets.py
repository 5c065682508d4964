"""Assets, their materializations and their lineage (`store.assets`).

Rows arrive in the engine's record batches (store/batches.py writes `assets`,
`asset_materializations` and `asset_dependencies` when a `@materialize` task run
ends); this repository reads them and deletes an asset. The lineage is the edges
seen so far, upstream key -> downstream key.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.engine import Connection, Row

from headwater.core.asset_schemas import AssetInfo, AssetMaterializationInfo
from headwater.exceptions import ObjectNotFound
from headwater.store.reads import as_utc
from headwater.store.tables import asset_dependencies, asset_materializations, assets

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from headwater.core.asset_schemas import AssetCount, AssetSort
    from headwater.store.database import Database

__all__ = ["Assets"]

_a, _m, _d = assets.c, asset_materializations.c, asset_dependencies.c

_ORDER = {
    "KEY_ASC": (_a.key.asc(),),
    "KEY_DESC": (_a.key.desc(),),
    "UPDATED_DESC": (_a.updated.desc(), _a.key.asc()),
}

MAX_LINEAGE_EDGES = 500
"""The most lineage edges `read_lineage` walks (a graph people can still read)."""


def _materialization(row: Row[Any]) -> AssetMaterializationInfo:
    return AssetMaterializationInfo(
        id=row.id, asset_key=row.asset_key, status=row.status, by=row.by, metadata=row.metadata,
        upstream=list(row.upstream or []), flow_run_id=row.flow_run_id, task_run_id=row.task_run_id,
        created=as_utc(row.created))


def _not_found(key: str) -> ObjectNotFound:
    return ObjectNotFound(f"Asset not found: no asset with key {key!r} (list them with `headwater asset ls`)")


def _clauses(body: AssetCount | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    criteria = body.filter.key if body is not None and body.filter is not None else None
    if criteria is None:
        return clauses
    if criteria.any_ is not None:
        clauses.append(_a.key.in_(criteria.any_))
    if criteria.prefix:
        clauses.append(or_(*(_a.key.startswith(p, autoescape=True) for p in criteria.prefix)))
    if criteria.search:
        clauses.append(or_(*(func.lower(_a.key).contains(s.lower(), autoescape=True) for s in criteria.search)))
    return clauses


def _latest(conn: Connection, keys: list[str]) -> dict[str, AssetMaterializationInfo]:
    """The newest materialization of each of `keys` (one query)."""
    if not keys:
        return {}
    newest = (select(_m.asset_key, func.max(_m.created).label("created"))
              .where(_m.asset_key.in_(keys)).group_by(_m.asset_key).subquery())
    rows = conn.execute(
        select(asset_materializations)
        .join(newest, (newest.c.asset_key == _m.asset_key) & (newest.c.created == _m.created))
        .order_by(_m.id)).all()
    return {row.asset_key: _materialization(row) for row in rows}


class Assets:
    """The assets repository (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def filter_assets(self, body: AssetCount | None, *, sort: AssetSort = "KEY_ASC", limit: int | None = None,
                      offset: int = 0) -> list[AssetInfo]:
        """One page of the assets matching `body`, each with its latest materialization."""
        query = select(assets).where(*_clauses(body)).order_by(*_ORDER[sort]).offset(offset)
        if limit is not None:
            query = query.limit(limit)

        def read(conn: Connection) -> list[AssetInfo]:
            rows = conn.execute(query).all()
            latest = _latest(conn, [row.key for row in rows])
            return [AssetInfo(key=row.key, properties=row.properties, created=as_utc(row.created),
                              updated=as_utc(row.updated), last_materialization=latest.get(row.key))
                    for row in rows]

        return self._db.read(read)

    def count_assets(self, body: AssetCount | None) -> int:
        """How many assets match `body`."""
        query = select(func.count()).select_from(assets).where(*_clauses(body))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def read_asset(self, key: str) -> AssetInfo:
        """The asset `key`, with its latest materialization and its direct upstream and
        downstream keys.

        Raises:
            ObjectNotFound: no asset has this key.
        """

        def read(conn: Connection) -> AssetInfo:
            row = conn.execute(select(assets).where(_a.key == key)).first()
            if row is None:
                raise _not_found(key)
            upstream = conn.execute(select(_d.upstream_key).where(_d.downstream_key == key)
                                    .order_by(_d.upstream_key)).scalars().all()
            downstream = conn.execute(select(_d.downstream_key).where(_d.upstream_key == key)
                                      .order_by(_d.downstream_key)).scalars().all()
            return AssetInfo(key=row.key, properties=row.properties, created=as_utc(row.created),
                             updated=as_utc(row.updated), last_materialization=_latest(conn, [key]).get(key),
                             upstream=list(upstream), downstream=list(downstream))

        return self._db.read(read)

    def filter_materializations(self, *, asset_key: str | None = None, flow_run_id: str | None = None,
                                limit: int | None = None, offset: int = 0) -> list[AssetMaterializationInfo]:
        """Materializations, newest first: of one asset and/or made in one flow run."""
        query = select(asset_materializations).order_by(_m.created.desc(), _m.id.desc()).offset(offset)
        if asset_key is not None:
            query = query.where(_m.asset_key == asset_key)
        if flow_run_id is not None:
            query = query.where(_m.flow_run_id == flow_run_id)
        if limit is not None:
            query = query.limit(limit)
        return [_materialization(r) for r in self._db.read(lambda conn: conn.execute(query).all())]

    def read_lineage(self, key: str, *, max_edges: int = MAX_LINEAGE_EDGES) -> list[tuple[str, str]]:
        """The (upstream, downstream) edges reachable from `key` going up and going
        down (not sideways), at most `max_edges`.

        Raises:
            ObjectNotFound: no asset has this key.
        """

        def read(conn: Connection) -> list[tuple[str, str]]:
            if conn.execute(select(_a.key).where(_a.key == key)).first() is None:
                raise _not_found(key)
            edges: dict[tuple[str, str], None] = {}
            for going_up in (True, False):
                column = _d.downstream_key if going_up else _d.upstream_key
                seen, todo = {key}, deque([key])
                while todo and len(edges) < max_edges:
                    batch = [todo.popleft() for _ in range(min(len(todo), 500))]
                    for up, down in conn.execute(select(_d.upstream_key, _d.downstream_key)
                                                 .where(column.in_(batch)).limit(max_edges)).all():
                        edges[(up, down)] = None
                        nxt = up if going_up else down
                        if nxt not in seen:
                            seen.add(nxt)
                            todo.append(nxt)
            return list(edges)[:max_edges]

        return self._db.read(read)

    def delete_asset(self, key: str) -> None:
        """Delete the asset `key`, its materializations and its lineage edges.

        Raises:
            ObjectNotFound: no asset has this key.
        """

        def action(conn: Connection) -> None:
            if not conn.execute(delete(assets).where(_a.key == key)).rowcount:
                raise _not_found(key)
            conn.execute(delete(asset_materializations).where(_m.asset_key == key))
            conn.execute(delete(asset_dependencies).where((_d.upstream_key == key) | (_d.downstream_key == key)))

        self._db.write(action)
