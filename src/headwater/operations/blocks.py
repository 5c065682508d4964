"""`BlockOperations`: the blocks part of the control plane (`Operations` inherits it).

Written once for the server's routes and the in-process transport:

- a schema must be a JSON-schema object (`properties` an object, `secret_fields` a
  list of strings), and a document's data at most `MAX_BLOCK_DATA_BYTES` as JSON,
  else `ParameterValidationError` (the API answers 422);
- secret values are encrypted before they are stored (`block_secrets.py`) and
  masked in what is read back unless `include_secrets=True` is asked for;
- nested blocks are stored as references (`{"$ref": {"block_document_id": id}}`)
  and read back hydrated: the nested document's data in place, with its
  `block_type_slug`, and described in `block_document_references`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from headwater.exceptions import ObjectNotFound, ParameterValidationError

if TYPE_CHECKING:
    from headwater.core.block_schemas import (
        BlockDocument,
        BlockDocumentCount,
        BlockDocumentCreate,
        BlockDocumentFilterRequest,
        BlockDocumentUpdate,
        BlockSchema,
        BlockSchemaCreate,
        BlockSchemaFilterRequest,
        BlockType,
        BlockTypeCreate,
        BlockTypeFilterRequest,
        BlockTypeUpdate,
    )
    from headwater.core.settings import Settings
    from headwater.operations.block_secrets import SecretCipher
    from headwater.store import Store

__all__ = ["MAX_BLOCK_DATA_BYTES", "MAX_BLOCK_SCHEMA_BYTES", "PROTECTED_BLOCK_TYPES", "BlockOperations"]

MAX_BLOCK_DATA_BYTES = 1_000_000
"""The largest block document data accepted, as compact JSON."""
MAX_BLOCK_SCHEMA_BYTES = 1_000_000
"""The largest block schema accepted, as compact JSON."""
PROTECTED_BLOCK_TYPES = frozenset({"secret", "webhook", "local-file-system"})
"""Block types that cannot be deleted, as on Prefect's server."""

_MAX_DEPTH = 20  # nested blocks deeper than this are left as references


def _json_size(value: Any, what: str) -> int:
    try:
        return len(json.dumps(value, separators=(",", ":"), allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError) as exc:
        raise ParameterValidationError(f"{what} must be JSON: {str(exc)[:200]}") from None


def _check_fields(fields: dict[str, Any]) -> None:
    size = _json_size(fields, "a block schema")
    if size > MAX_BLOCK_SCHEMA_BYTES:
        raise ParameterValidationError(f"the block schema is {size:,} bytes as JSON, more than the limit of "
                                       f"{MAX_BLOCK_SCHEMA_BYTES:,}")
    properties = fields.get("properties", {})
    if not isinstance(properties, dict) or not all(isinstance(v, dict) for v in properties.values()):
        raise ParameterValidationError("a block schema's 'properties' must be an object of JSON schemas")
    secrets = fields.get("secret_fields", [])
    if not isinstance(secrets, list) or not all(isinstance(s, str) and s for s in secrets):
        raise ParameterValidationError("a block schema's 'secret_fields' must be a list of field paths")
    references = fields.get("block_schema_references", {})
    if not isinstance(references, dict):
        raise ParameterValidationError("a block schema's 'block_schema_references' must be an object")


class BlockOperations:
    """Block types, schemas and documents (see the module docstring)."""

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

    def _cipher(self, *, refresh: bool = False) -> SecretCipher:
        from headwater.operations.block_secrets import cipher_for

        return cipher_for(self.settings, refresh=refresh)

    def _decrypt(self, data: dict[str, Any]) -> Any:
        from headwater.operations.block_secrets import SecretKeyError

        try:
            return self._cipher().decrypt_tree(data)
        except SecretKeyError:  # the key may have been rotated by another process: read it again
            return self._cipher(refresh=True).decrypt_tree(data)

    # -- block types ----------------------------------------------------------------------
    def create_block_type(self, body: BlockTypeCreate) -> BlockType:
        """Create a block type. Raises `ObjectAlreadyExists` if the slug is taken.

        The system block types Prefect's server installs protected (`secret`, `webhook`,
        `local-file-system`) are protected here too: they cannot be deleted.
        """
        return self.store.blocks.create_block_type(body, is_protected=body.slug in PROTECTED_BLOCK_TYPES)

    def read_block_type(self, block_type_id: str) -> BlockType:
        """A block type by id. Raises `ObjectNotFound`."""
        return self.store.blocks.read_block_type(block_type_id)

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        """A block type by slug. Raises `ObjectNotFound`."""
        return self.store.blocks.read_block_type_by_slug(slug)

    def filter_block_types(self, request: BlockTypeFilterRequest) -> list[BlockType]:
        """Block types matching the request, by name."""
        return self.store.blocks.filter_block_types(request.block_types, limit=request.limit, offset=request.offset)

    def update_block_type(self, block_type_id: str, body: BlockTypeUpdate) -> BlockType:
        """Change the fields of `body` that were given. Raises `ObjectNotFound`."""
        return self.store.blocks.update_block_type(block_type_id, body.model_dump(exclude_unset=True))

    def delete_block_type(self, block_type_id: str) -> None:
        """Delete a block type, its schemas and its documents.

        Raises:
            ObjectNotFound: no such block type.
            ProtectedBlockError: a protected system block type.
        """
        self.store.blocks.delete_block_type(block_type_id)

    # -- block schemas --------------------------------------------------------------------
    def create_block_schema(self, body: BlockSchemaCreate) -> BlockSchema:
        """Create a block schema (or return the equal one). Raises `ParameterValidationError`
        for a malformed schema, `ObjectNotFound` for an unknown block type."""
        _check_fields(body.fields)
        return self.store.blocks.create_block_schema(body)

    def read_block_schema(self, block_schema_id: str) -> BlockSchema:
        """A block schema by id. Raises `ObjectNotFound`."""
        return self.store.blocks.read_block_schema(block_schema_id)

    def read_block_schema_by_checksum(self, checksum: str, version: str | None = None) -> BlockSchema:
        """A block schema by checksum. Raises `ObjectNotFound`."""
        return self.store.blocks.read_block_schema_by_checksum(checksum, version)

    def filter_block_schemas(self, request: BlockSchemaFilterRequest) -> list[BlockSchema]:
        """Block schemas matching the request, newest first."""
        return self.store.blocks.filter_block_schemas(request.block_schemas, limit=request.limit,
                                                      offset=request.offset)

    def delete_block_schema(self, block_schema_id: str) -> None:
        """Delete a block schema no document uses."""
        self.store.blocks.delete_block_schema(block_schema_id)

    # -- block documents ------------------------------------------------------------------
    def _check_data(self, data: dict[str, Any]) -> None:
        size = _json_size(data, "block document data")
        if size > MAX_BLOCK_DATA_BYTES:
            raise ParameterValidationError(f"the block document's data is {size:,} bytes as JSON, more than the "
                                           f"limit of {MAX_BLOCK_DATA_BYTES:,}")
        from headwater.core.block_schemas import reference_of

        refs = [r for r in (reference_of(v) for v in data.values()) if r is not None]
        missing = sorted(set(refs) - self.store.blocks.read_block_documents(refs).keys())
        if missing:
            raise ObjectNotFound(f"the block document refers to block documents that do not exist: {missing}")

    def create_block_document(self, body: BlockDocumentCreate) -> BlockDocument:
        """Store a block document (secrets encrypted); it is returned with secrets masked.

        Raises:
            ObjectAlreadyExists: a document of this type has this name.
            ObjectNotFound: the schema, type, or a referenced document does not exist.
            ParameterValidationError: no name for a named document, or data too large.
        """
        if not body.is_anonymous and not body.name:
            raise ParameterValidationError("a block document needs a name unless it is anonymous")
        self._check_data(body.data)
        schema = self.store.blocks.read_block_schema(body.block_schema_id)
        data = self._cipher(refresh=True).encrypt_secrets(dict(body.data), schema.secret_fields)
        document_id = self.store.blocks.create_block_document(
            name=body.name, data=data, block_schema_id=body.block_schema_id, block_type_id=body.block_type_id,
            is_anonymous=body.is_anonymous)
        return self.read_block_document(document_id)

    def _present(self, document: BlockDocument, include_secrets: bool, depth: int = 0) -> BlockDocument:
        """A stored document as read back: secrets decrypted (then masked unless asked
        for), references hydrated."""
        from headwater.core.block_schemas import mask_secrets, reference_of

        data = self._decrypt(document.data)
        if not include_secrets and document.block_schema is not None:
            data = mask_secrets(data, document.block_schema.secret_fields)
        references: dict[str, Any] = {}
        refs = {k: r for k, r in ((k, reference_of(v)) for k, v in data.items()) if r is not None}
        if refs and depth < _MAX_DEPTH:
            nested = self.store.blocks.read_block_documents(list(refs.values()))
            for field, ref in refs.items():
                if ref not in nested:
                    continue
                child = self._present(nested[ref], include_secrets, depth + 1)
                slug = child.block_type.slug if child.block_type is not None else None
                data[field] = {**child.data, "block_type_slug": slug}
                references[field] = {"block_document": {
                    "id": child.id, "name": child.name, "block_type": child.block_type.model_dump(mode="json")
                    if child.block_type is not None else None, "is_anonymous": child.is_anonymous,
                    "block_document_references": child.block_document_references}}
        return document.model_copy(update={"data": data, "block_document_references": references})

    def read_block_document(self, block_document_id: str, include_secrets: bool = False) -> BlockDocument:
        """A block document by id. Raises `ObjectNotFound`."""
        return self._present(self.store.blocks.read_block_document(block_document_id), include_secrets)

    def read_block_document_by_name(self, slug: str, name: str, include_secrets: bool = False) -> BlockDocument:
        """The block document of type `slug` called `name`. Raises `ObjectNotFound`."""
        return self._present(self.store.blocks.read_block_document_by_name(slug, name), include_secrets)

    def filter_block_documents(self, request: BlockDocumentFilterRequest) -> list[BlockDocument]:
        """Block documents matching the request, by name."""
        found = self.store.blocks.filter_block_documents(request.block_documents, request.block_types,
                                                         limit=request.limit, offset=request.offset)
        return [self._present(d, request.include_secrets) for d in found]

    def count_block_documents(self, request: BlockDocumentCount) -> int:
        """How many block documents match the request."""
        return self.store.blocks.count_block_documents(request.block_documents, request.block_types)

    def update_block_document(self, block_document_id: str, body: BlockDocumentUpdate) -> None:
        """Change a document's data (merged into the old data unless `merge_existing_data`
        is False) and schema. Secret values sent back masked keep their stored value.

        Raises:
            ObjectNotFound: no such document, schema, or referenced document.
            ParameterValidationError: the data is too large.
        """
        from headwater.core.block_schemas import restore_masked

        stored = self.store.blocks.read_block_document(block_document_id)
        old = self._decrypt(stored.data)
        data = {**old, **body.data} if body.merge_existing_data else dict(body.data)
        schema = self.store.blocks.read_block_schema(body.block_schema_id or stored.block_schema_id)
        data = restore_masked(data, old, schema.secret_fields)
        self._check_data(data)
        data = self._cipher(refresh=True).encrypt_secrets(data, schema.secret_fields)
        self.store.blocks.update_block_document(block_document_id, data, body.block_schema_id)

    def delete_block_document(self, block_document_id: str) -> None:
        """Delete a block document. Raises `ObjectNotFound`."""
        self.store.blocks.delete_block_document(block_document_id)
