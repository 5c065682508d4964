"""Artifacts and the latest version of each key (`store.artifacts`).

An artifact is one row of `artifacts`; one with a key is a version of that key, and
`artifact_collections` points at each key's latest version. Artifacts made in a run
arrive in the engine's record batches (store/batches.py writes the row and moves the
key's pointer); the ones made through the API are written here by the same batch
code (`ArtifactCreated` handed to the history writer), so both paths agree.

Deleting a key's latest version moves the pointer back to the newest remaining one,
or removes the collection when none remains (as Prefect does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Row

from headwater.core import clock
from headwater.core.artifact_schemas import ArtifactCollectionInfo, ArtifactInfo
from headwater.exceptions import ObjectNotFound
from headwater.orchestrator.records import ArtifactCreated
from headwater.core.ids import new_id
from headwater.store.reads import as_utc
from headwater.store.tables import artifact_collections, artifacts

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from headwater.core.artifact_schemas import ArtifactCount, ArtifactCreate, ArtifactSort
    from headwater.orchestrator.records import Record
    from headwater.store.database import Database

__all__ = ["Artifacts"]

_a, _c = artifacts.c, artifact_collections.c

_ORDER = {
    "CREATED_DESC": (_a.created.desc(), _a.id.desc()),
    "UPDATED_DESC": (_a.updated.desc(), _a.id.desc()),
    "ID_DESC": (_a.id.desc(),),
    "KEY_DESC": (_a.key.desc(), _a.id.desc()),
    "KEY_ASC": (_a.key.asc(), _a.id.desc()),
}
_COLLECTION_ORDER = {
    "CREATED_DESC": (_c.created.desc(), _c.id.desc()),
    "UPDATED_DESC": (_c.updated.desc(), _c.id.desc()),
    "ID_DESC": (_c.id.desc(),),
    "KEY_DESC": (_c.key.desc(),),
    "KEY_ASC": (_c.key.asc(),),
}


def _info(row: Row[Any]) -> ArtifactInfo:
    return ArtifactInfo(id=row.id, key=row.key, type=row.type, description=row.description, data=row.data,
                        metadata_=row.metadata, flow_run_id=row.flow_run_id, task_run_id=row.task_run_id,
                        created=as_utc(row.created), updated=as_utc(row.updated))


def _collection_info(row: Row[Any]) -> ArtifactCollectionInfo:
    return ArtifactCollectionInfo(
        id=row.collection_id, key=row.key, latest_id=row.id, type=row.type, description=row.description,
        data=row.data, metadata_=row.metadata, flow_run_id=row.flow_run_id, task_run_id=row.task_run_id,
        created=as_utc(row.collection_created), updated=as_utc(row.collection_updated))


def _not_found(artifact_id: str) -> ObjectNotFound:
    return ObjectNotFound(f"Artifact not found: no artifact with id {artifact_id!r} "
                          "(list them with `headwater artifact ls`)")


def _clauses(body: ArtifactCount | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if body is None:
        return clauses
    spec = body.artifacts
    if spec is not None:
        if spec.id is not None and spec.id.any_ is not None:
            clauses.append(_a.id.in_(spec.id.any_))
        if spec.latest_id is not None and spec.latest_id.any_ is not None:
            # A subquery, not a column of the join: the plain (every version) queries do
            # not join the collections.
            clauses.append(_a.id.in_(select(_c.latest_id).where(_c.latest_id.in_(spec.latest_id.any_))))
        if spec.key is not None:
            if spec.key.any_ is not None:
                clauses.append(_a.key.in_(spec.key.any_))
            if spec.key.like_:
                clauses.append(func.lower(_a.key).contains(spec.key.like_.lower(), autoescape=True))
            if spec.key.exists_ is not None:
                clauses.append(_a.key.is_not(None) if spec.key.exists_ else _a.key.is_(None))
        if spec.flow_run_id is not None and spec.flow_run_id.any_ is not None:
            clauses.append(_a.flow_run_id.in_(spec.flow_run_id.any_))
        if spec.task_run_id is not None and spec.task_run_id.any_ is not None:
            clauses.append(_a.task_run_id.in_(spec.task_run_id.any_))
        if spec.type is not None:
            if spec.type.any_ is not None:
                clauses.append(_a.type.in_(spec.type.any_))
            if spec.type.not_any_ is not None:
                clauses.append(_a.type.is_(None) | _a.type.not_in(spec.type.not_any_))
    if body.flow_runs is not None and body.flow_runs.id is not None and body.flow_runs.id.any_ is not None:
        clauses.append(_a.flow_run_id.in_(body.flow_runs.id.any_))
    if body.task_runs is not None and body.task_runs.id is not None and body.task_runs.id.any_ is not None:
        clauses.append(_a.task_run_id.in_(body.task_runs.id.any_))
    return clauses


def _latest_query() -> Any:
    return select(artifacts, _c.id.label("collection_id"), _c.created.label("collection_created"),
                  _c.updated.label("collection_updated")).join(artifact_collections, _c.latest_id == _a.id)


class Artifacts:
    """The artifacts repository (see the module docstring).

    Args:
        db: the database.
        write_records: the history writer's `write` (store/history.py), which creates
            artifacts the same way as when they arrive in a run's record batch.
    """

    def __init__(self, db: Database, write_records: Callable[[Sequence[Record]], None]) -> None:
        self._db = db
        self._write_records = write_records

    def create_artifact(self, body: ArtifactCreate) -> ArtifactInfo:
        """Store a new artifact (the latest version of its key, if it has one)."""
        artifact_id = new_id()
        record = ArtifactCreated(artifact_id, body.key, body.type, body.description, body.data, body.flow_run_id,
                                 body.task_run_id, clock.now())
        self._write_records([record])
        if body.metadata_:
            self._db.write(lambda conn: conn.execute(
                update(artifacts).where(_a.id == artifact_id).values(metadata=body.metadata_)))
        return self.read_artifact(artifact_id)

    def read_artifact(self, artifact_id: str) -> ArtifactInfo:
        """An artifact by id.

        Raises:
            ObjectNotFound: no artifact has this id.
        """
        row = self._db.read(lambda conn: conn.execute(select(artifacts).where(_a.id == artifact_id)).first())
        if row is None:
            raise _not_found(artifact_id)
        return _info(row)

    def read_latest_artifact(self, key: str) -> ArtifactInfo:
        """The latest version of `key`.

        Raises:
            ObjectNotFound: no artifact has this key.
        """
        query = select(artifacts).join(artifact_collections, _c.latest_id == _a.id).where(_c.key == key)
        row = self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise ObjectNotFound(f"Artifact not found: no artifact with key {key!r}")
        return _info(row)

    def filter_artifacts(self, body: ArtifactCount | None, *, sort: ArtifactSort = "ID_DESC",
                         limit: int | None = None, offset: int = 0) -> list[ArtifactInfo]:
        """One page of the artifacts matching `body` (every version), in `sort` order."""
        query = select(artifacts).where(*_clauses(body)).order_by(*_ORDER[sort]).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_info(r) for r in self._db.read(lambda conn: conn.execute(query).all())]

    def count_artifacts(self, body: ArtifactCount | None) -> int:
        """How many artifacts match `body`."""
        query = select(func.count()).select_from(artifacts).where(*_clauses(body))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def filter_latest_artifacts(self, body: ArtifactCount | None, *, sort: ArtifactSort = "ID_DESC",
                                limit: int | None = None, offset: int = 0) -> list[ArtifactCollectionInfo]:
        """One page of the keys' latest versions matching `body`, in `sort` order."""
        query = _latest_query().where(*_clauses(body)).order_by(*_COLLECTION_ORDER[sort]).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_collection_info(r) for r in self._db.read(lambda conn: conn.execute(query).all())]

    def count_latest_artifacts(self, body: ArtifactCount | None) -> int:
        """How many keys' latest versions match `body`."""
        query = (select(func.count()).select_from(artifacts.join(artifact_collections, _c.latest_id == _a.id))
                 .where(*_clauses(body)))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def update_artifact(self, artifact_id: str, changes: dict[str, Any]) -> None:
        """Change an artifact's `data`, `description` and/or `metadata_` (the keys of `changes`).

        Raises:
            ObjectNotFound: no artifact has this id.
        """
        columns = {"data": "data", "description": "description", "metadata_": "metadata"}
        values = {columns[k]: v for k, v in changes.items() if k in columns}

        def action(conn: Connection) -> None:
            done = conn.execute(update(artifacts).where(_a.id == artifact_id)
                                .values(**values, updated=clock.now())).rowcount
            if not done:
                raise _not_found(artifact_id)

        self._db.write(action)

    def delete_artifact(self, artifact_id: str) -> None:
        """Delete an artifact; if it was its key's latest version, the newest remaining
        version becomes the latest (or the key's collection goes when none remains).

        Raises:
            ObjectNotFound: no artifact has this id.
        """

        def action(conn: Connection) -> None:
            key = conn.execute(select(_a.key).where(_a.id == artifact_id)).first()
            if key is None:
                raise _not_found(artifact_id)
            conn.execute(delete(artifacts).where(_a.id == artifact_id))
            collection = conn.execute(select(_c.id).where(_c.latest_id == artifact_id)).first()
            if collection is None:
                return
            previous = conn.execute(select(_a.id).where(_a.key == key[0])
                                    .order_by(_a.created.desc(), _a.id.desc()).limit(1)).first()
            if previous is None:
                conn.execute(delete(artifact_collections).where(_c.id == collection[0]))
            else:
                conn.execute(update(artifact_collections).where(_c.id == collection[0])
                             .values(latest_id=previous[0], updated=clock.now()))

        self._db.write(action)
