"""Blocks: block types, block schemas and block documents (`store.blocks`).

Documents come back as stored: secret values encrypted, nested blocks as references.
Decrypting, masking and hydrating references is the operations' work
(`operations/blocks.py`); the store only keeps rows. Every write is one short
transaction through the store's `Database`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from headwater.core import clock
from headwater.core.block_schemas import BlockDocument, BlockSchema, BlockType, schema_checksum
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ProtectedBlockError
from headwater.core.ids import new_id
from headwater.store.reads import as_utc
from headwater.store.tables import block_documents, block_schemas, block_types

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from headwater.core.block_schemas import (
        BlockDocumentFilterSpec,
        BlockSchemaCreate,
        BlockSchemaFilterSpec,
        BlockTypeCreate,
        BlockTypeFilterSpec,
    )
    from headwater.store.database import Database

__all__ = ["Blocks"]

_LS = "list them with `headwater block ls`"


def _type(row: Row[Any]) -> BlockType:
    return BlockType(id=row.id, created=as_utc(row.created), updated=as_utc(row.updated), name=row.name,
                     slug=row.slug, logo_url=row.logo_url, documentation_url=row.documentation_url,
                     description=row.description, code_example=row.code_example, is_protected=row.is_protected)


def _schema(row: Row[Any], block_type: BlockType | None) -> BlockSchema:
    return BlockSchema(id=row.id, created=as_utc(row.created), updated=as_utc(row.updated), checksum=row.checksum,
                       fields=row.fields, block_type_id=row.block_type_id, block_type=block_type,
                       capabilities=list(row.capabilities or []), version=row.version)


def _type_clauses(spec: BlockTypeFilterSpec | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if spec is not None:
        if spec.slug is not None and spec.slug.any_ is not None:
            clauses.append(block_types.c.slug.in_(spec.slug.any_))
        if spec.name is not None:
            if spec.name.any_ is not None:
                clauses.append(block_types.c.name.in_(spec.name.any_))
            if spec.name.like_:
                clauses.append(func.lower(block_types.c.name).contains(spec.name.like_.lower(), autoescape=True))
    return clauses


def _document_clauses(spec: BlockDocumentFilterSpec | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    anonymous: bool | None = False
    if spec is not None:
        anonymous = spec.is_anonymous.eq_ if spec.is_anonymous is not None else None
        if spec.id is not None and spec.id.any_ is not None:
            clauses.append(block_documents.c.id.in_([str(i) for i in spec.id.any_]))
        if spec.name is not None:
            if spec.name.any_ is not None:
                clauses.append(block_documents.c.name.in_(spec.name.any_))
            if spec.name.like_:
                clauses.append(func.lower(block_documents.c.name).contains(spec.name.like_.lower(), autoescape=True))
    if anonymous is not None:
        clauses.append(block_documents.c.is_anonymous == anonymous)
    return clauses


class Blocks:
    """The blocks repository (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- block types ----------------------------------------------------------------------
    def create_block_type(self, body: BlockTypeCreate, *, is_protected: bool = False) -> BlockType:
        """Create a block type.

        Raises:
            ObjectAlreadyExists: a block type has this slug.
        """
        row_id = new_id()

        def action(conn: Connection) -> None:
            if conn.execute(select(block_types.c.id).where(block_types.c.slug == body.slug)).first() is not None:
                raise ObjectAlreadyExists(f"a block type with slug {body.slug!r} exists already")
            now = clock.now()
            try:
                conn.execute(insert(block_types).values(id=row_id, **body.model_dump(), is_protected=is_protected,
                                                        created=now, updated=now))
            except IntegrityError:
                raise ObjectAlreadyExists(f"a block type with slug {body.slug!r} exists already") from None

        self._db.write(action)
        return self.read_block_type(row_id)

    def read_block_type(self, block_type_id: str) -> BlockType:
        """A block type by id. Raises `ObjectNotFound`."""
        row = self._db.read(lambda conn: conn.execute(
            select(block_types).where(block_types.c.id == block_type_id)).first())
        if row is None:
            raise ObjectNotFound(f"no block type with id {block_type_id!r} (list them with `headwater block type ls`)")
        return _type(row)

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        """A block type by slug. Raises `ObjectNotFound`."""
        row = self._db.read(lambda conn: conn.execute(select(block_types).where(block_types.c.slug == slug)).first())
        if row is None:
            raise ObjectNotFound(f"no block type with slug {slug!r} (list them with `headwater block type ls`)")
        return _type(row)

    def filter_block_types(self, spec: BlockTypeFilterSpec | None, *, limit: int | None = None,
                           offset: int = 0) -> list[BlockType]:
        """Block types matching `spec`, by name."""
        query = select(block_types).where(*_type_clauses(spec)).order_by(block_types.c.name).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_type(r) for r in self._db.read(lambda conn: conn.execute(query).all())]

    def update_block_type(self, block_type_id: str, changes: dict[str, Any]) -> BlockType:
        """Change a block type's descriptive fields. Raises `ObjectNotFound`."""
        values = {k: v for k, v in changes.items()
                  if k in ("name", "logo_url", "documentation_url", "description", "code_example")}

        def action(conn: Connection) -> None:
            done = conn.execute(update(block_types).where(block_types.c.id == block_type_id)
                                .values(**values, updated=clock.now())).rowcount
            if not done:
                raise ObjectNotFound(f"no block type with id {block_type_id!r}")

        self._db.write(action)
        return self.read_block_type(block_type_id)

    def delete_block_type(self, block_type_id: str) -> None:
        """Delete a block type with its schemas and documents.

        Raises:
            ObjectNotFound: no such block type.
            ProtectedBlockError: a built-in block type (registered by headwater itself).
        """

        def action(conn: Connection) -> None:
            protected = conn.execute(select(block_types.c.is_protected).where(block_types.c.id == block_type_id)).first()
            if protected is not None and protected.is_protected:
                raise ProtectedBlockError("protected block types cannot be deleted.")
            conn.execute(delete(block_documents).where(block_documents.c.block_type_id == block_type_id))
            conn.execute(delete(block_schemas).where(block_schemas.c.block_type_id == block_type_id))
            if not conn.execute(delete(block_types).where(block_types.c.id == block_type_id)).rowcount:
                raise ObjectNotFound(f"no block type with id {block_type_id!r}")

        self._db.write(action)

    # -- block schemas --------------------------------------------------------------------
    def create_block_schema(self, body: BlockSchemaCreate) -> BlockSchema:
        """Create a block schema, or return the one with the same checksum and version.

        Raises:
            ObjectNotFound: the block type does not exist.
        """
        checksum = schema_checksum(body.fields)
        row_id = new_id()

        def action(conn: Connection) -> str:
            if conn.execute(select(block_types.c.id).where(block_types.c.id == body.block_type_id)).first() is None:
                raise ObjectNotFound(f"no block type with id {body.block_type_id!r}")
            found = conn.execute(select(block_schemas.c.id).where(block_schemas.c.checksum == checksum,
                                                                  block_schemas.c.version == body.version)).first()
            if found is not None:
                return str(found.id)
            now = clock.now()
            conn.execute(insert(block_schemas).values(
                id=row_id, checksum=checksum, version=body.version, block_type_id=body.block_type_id,
                fields=body.fields, capabilities=list(body.capabilities), created=now, updated=now))
            return row_id

        return self.read_block_schema(self._db.write(action))

    def _schemas(self, conn: Connection, *clauses: ColumnElement[bool], limit: int | None = None,
                 offset: int = 0) -> list[BlockSchema]:
        query = select(block_schemas).where(*clauses).order_by(block_schemas.c.created.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        rows = conn.execute(query).all()
        type_ids = sorted({r.block_type_id for r in rows})
        types = {r.id: _type(r) for r in conn.execute(select(block_types).where(block_types.c.id.in_(type_ids)))} \
            if type_ids else {}
        return [_schema(r, types.get(r.block_type_id)) for r in rows]

    def read_block_schema(self, block_schema_id: str) -> BlockSchema:
        """A block schema by id, with its block type. Raises `ObjectNotFound`."""
        found = self._db.read(lambda conn: self._schemas(conn, block_schemas.c.id == block_schema_id))
        if not found:
            raise ObjectNotFound(f"no block schema with id {block_schema_id!r}")
        return found[0]

    def read_block_schema_by_checksum(self, checksum: str, version: str | None = None) -> BlockSchema:
        """The newest block schema with this checksum (and version). Raises `ObjectNotFound`."""
        clauses = [block_schemas.c.checksum == checksum]
        if version is not None:
            clauses.append(block_schemas.c.version == version)
        found = self._db.read(lambda conn: self._schemas(conn, *clauses, limit=1))
        if not found:
            raise ObjectNotFound(f"no block schema with checksum {checksum!r}")
        return found[0]

    def filter_block_schemas(self, spec: BlockSchemaFilterSpec | None, *, limit: int | None = None,
                             offset: int = 0) -> list[BlockSchema]:
        """Block schemas matching `spec`, newest first."""
        clauses: list[ColumnElement[bool]] = []
        if spec is not None:
            if spec.block_type_id is not None and spec.block_type_id.any_ is not None:
                clauses.append(block_schemas.c.block_type_id.in_(spec.block_type_id.any_))
            if spec.version is not None and spec.version.any_ is not None:
                clauses.append(block_schemas.c.version.in_(spec.version.any_))
        found = self._db.read(lambda conn: self._schemas(conn, *clauses))
        wanted = set((spec.block_capabilities or {}).get("all_", [])) if spec is not None else set()
        if wanted:
            found = [s for s in found if wanted <= set(s.capabilities)]
        return found[offset:offset + limit] if limit is not None else found[offset:]

    def delete_block_schema(self, block_schema_id: str) -> None:
        """Delete a block schema no document uses. Raises `ObjectNotFound` or `ObjectAlreadyExists`
        (documents still use it)."""

        def action(conn: Connection) -> None:
            used = conn.execute(select(func.count()).select_from(block_documents)
                                .where(block_documents.c.block_schema_id == block_schema_id)).scalar_one()
            if used:
                raise ObjectAlreadyExists(f"block schema {block_schema_id!r} is used by {used} block document(s): "
                                          "delete them first")
            if not conn.execute(delete(block_schemas).where(block_schemas.c.id == block_schema_id)).rowcount:
                raise ObjectNotFound(f"no block schema with id {block_schema_id!r}")

        self._db.write(action)

    # -- block documents ------------------------------------------------------------------
    def create_block_document(self, *, name: str | None, data: dict[str, Any], block_schema_id: str,
                              block_type_id: str, is_anonymous: bool) -> str:
        """Store a document (data as given); its id.

        Raises:
            ObjectAlreadyExists: a document of this type has this name.
            ObjectNotFound: the schema does not exist or is not of this type.
        """
        row_id = new_id()
        stored_name = name if name and not is_anonymous else f"anonymous-{row_id}"

        def action(conn: Connection) -> None:
            schema = conn.execute(select(block_schemas.c.block_type_id)
                                  .where(block_schemas.c.id == block_schema_id)).first()
            if schema is None or schema.block_type_id != block_type_id:
                raise ObjectNotFound(f"no block schema with id {block_schema_id!r} for block type {block_type_id!r}")
            if conn.execute(select(block_documents.c.id).where(block_documents.c.block_type_id == block_type_id,
                                                               block_documents.c.name == stored_name)).first():
                raise _exists(stored_name)
            now = clock.now()
            try:
                conn.execute(insert(block_documents).values(
                    id=row_id, name=stored_name, block_type_id=block_type_id, block_schema_id=block_schema_id,
                    data=data, is_anonymous=is_anonymous, created=now, updated=now))
            except IntegrityError:
                raise _exists(stored_name) from None

        self._db.write(action)
        return row_id

    def _documents(self, conn: Connection, *clauses: ColumnElement[bool], limit: int | None = None,
                   offset: int = 0) -> list[BlockDocument]:
        query = (select(block_documents).join(block_types, block_types.c.id == block_documents.c.block_type_id)
                 .where(*clauses).order_by(block_documents.c.name).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        rows = conn.execute(query).all()
        schema_ids = {r.block_schema_id for r in rows}
        schemas = {s.id: s for s in self._schemas(conn, block_schemas.c.id.in_(sorted(schema_ids)))} \
            if schema_ids else {}
        found = []
        for row in rows:
            schema = schemas[row.block_schema_id]
            found.append(BlockDocument(
                id=row.id, created=as_utc(row.created), updated=as_utc(row.updated), name=row.name, data=row.data,
                block_schema_id=row.block_schema_id, block_schema=schema, block_type_id=row.block_type_id,
                block_type_name=schema.block_type.name if schema.block_type else None,
                block_type=schema.block_type, is_anonymous=row.is_anonymous))
        return found

    def read_block_document(self, block_document_id: str) -> BlockDocument:
        """A document by id, as stored. Raises `ObjectNotFound`."""
        found = self._db.read(lambda conn: self._documents(conn, block_documents.c.id == block_document_id))
        if not found:
            raise ObjectNotFound(f"no block document with id {block_document_id!r} ({_LS})")
        return found[0]

    def read_block_documents(self, ids: list[str]) -> dict[str, BlockDocument]:
        """The documents with these ids that exist, by id (one query)."""
        if not ids:
            return {}
        found = self._db.read(lambda conn: self._documents(conn, block_documents.c.id.in_(sorted(set(ids)))))
        return {d.id: d for d in found}

    def read_block_document_by_name(self, slug: str, name: str) -> BlockDocument:
        """The document of type `slug` called `name`, as stored. Raises `ObjectNotFound`."""
        found = self._db.read(lambda conn: self._documents(conn, block_types.c.slug == slug,
                                                           block_documents.c.name == name))
        if not found:
            raise ObjectNotFound(f"no block document named {name!r} of block type {slug!r} ({_LS})")
        return found[0]

    def filter_block_documents(self, documents: BlockDocumentFilterSpec | None, types: BlockTypeFilterSpec | None,
                               *, limit: int | None = None, offset: int = 0) -> list[BlockDocument]:
        """Documents matching both filters, by name (anonymous ones only if asked)."""
        clauses = [*_document_clauses(documents), *_type_clauses(types)]
        return self._db.read(lambda conn: self._documents(conn, *clauses, limit=limit, offset=offset))

    def count_block_documents(self, documents: BlockDocumentFilterSpec | None,
                              types: BlockTypeFilterSpec | None) -> int:
        """How many documents match both filters."""
        query = (select(func.count()).select_from(block_documents)
                 .join(block_types, block_types.c.id == block_documents.c.block_type_id)
                 .where(*_document_clauses(documents), *_type_clauses(types)))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def update_block_document(self, block_document_id: str, data: dict[str, Any],
                              block_schema_id: str | None = None) -> None:
        """Replace a document's data (and schema). Raises `ObjectNotFound`."""
        values: dict[str, Any] = {"data": data, "updated": clock.now()}
        if block_schema_id is not None:
            values["block_schema_id"] = block_schema_id

        def action(conn: Connection) -> None:
            if block_schema_id is not None and conn.execute(
                    select(block_schemas.c.id).where(block_schemas.c.id == block_schema_id)).first() is None:
                raise ObjectNotFound(f"no block schema with id {block_schema_id!r}")
            if not conn.execute(update(block_documents).where(block_documents.c.id == block_document_id)
                                .values(**values)).rowcount:
                raise ObjectNotFound(f"no block document with id {block_document_id!r} ({_LS})")

        self._db.write(action)

    def delete_block_document(self, block_document_id: str) -> None:
        """Delete a document. Raises `ObjectNotFound`."""

        def action(conn: Connection) -> None:
            if not conn.execute(delete(block_documents).where(block_documents.c.id == block_document_id)).rowcount:
                raise ObjectNotFound(f"no block document with id {block_document_id!r} ({_LS})")

        self._db.write(action)

    def rewrite_all_data(self, transform: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
        """Pass every document's data through `transform` and store the results, all in
        one transaction: if `transform` raises for any document, nothing changes.

        Returns:
            How many documents were rewritten.
        """

        def action(conn: Connection) -> int:
            rows = conn.execute(select(block_documents.c.id, block_documents.c.data)).all()
            for row in rows:
                conn.execute(update(block_documents).where(block_documents.c.id == row.id)
                             .values(data=transform(row.data)))
            return len(rows)

        return int(self._db.write(action))


def _exists(name: str) -> ObjectAlreadyExists:
    return ObjectAlreadyExists(f"a block document named {name!r} of this block type exists already; save with "
                               "overwrite=True to replace its values")
