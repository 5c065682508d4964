"""`BlockMethods`: Prefect's client methods for blocks, part of `SyncPrefectClient`.

Block types (`create_block_type`, `read_block_type_by_slug`, `read_block_types`,
`update_block_type`, `delete_block_type`), block schemas (`create_block_schema`,
`read_block_schema_by_checksum`, `read_block_schemas`,
`get_most_recent_block_schema_for_block_type`) and block documents
(`create_block_document`, `read_block_document`, `read_block_document_by_name`,
`read_block_documents`, `read_block_documents_by_type`, `update_block_document`,
`delete_block_document`), with Prefect's arguments, over the transport. As in
Prefect's client, documents are read with their secrets unless `include_secrets=False`.
The request models may be headwater's (`headwater.core.block_schemas`) or any
model with the same fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.block_schemas import BlockDocument, BlockSchema, BlockType

__all__ = ["BlockMethods"]


def _fields(model: Any, *names: str, only_set: bool = False) -> dict[str, Any]:
    """The fields `names` of a pydantic model or a dict, ids as text (`only_set`: of a
    model, only the fields given a value)."""
    data = model if isinstance(model, dict) else model.model_dump(mode="json", exclude_unset=only_set)
    return {k: (str(v) if isinstance(v, UUID) else v) for k, v in data.items() if k in names}


class BlockMethods:
    """The blocks methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    # -- block types ----------------------------------------------------------------------
    def create_block_type(self, block_type: Any) -> BlockType:
        """Create a block type.

        Raises:
            ObjectAlreadyExists: a block type has this slug.
        """
        from headwater.core.block_schemas import BlockTypeCreate

        body = BlockTypeCreate(**_fields(block_type, "name", "slug", "logo_url", "documentation_url",
                                         "description", "code_example"))
        return self._ops().create_block_type(body)

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        """The block type with this slug. Raises `ObjectNotFound`."""
        return self._ops().read_block_type_by_slug(slug)

    def read_block_types(self) -> list[BlockType]:
        """Every block type, by name."""
        from headwater.core.block_schemas import BlockTypeFilterRequest

        return self._ops().filter_block_types(BlockTypeFilterRequest())

    def update_block_type(self, block_type_id: UUID | str, block_type: Any) -> None:
        """Change a block type's logo, documentation URL, description and code example."""
        from headwater.core.block_schemas import BlockTypeUpdate

        body = BlockTypeUpdate(**_fields(block_type, "logo_url", "documentation_url", "description",
                                         "code_example", only_set=True))
        self._ops().update_block_type(str(block_type_id), body)

    def delete_block_type(self, block_type_id: UUID | str) -> None:
        """Delete a block type with its schemas and documents. Raises `ObjectNotFound`."""
        self._ops().delete_block_type(str(block_type_id))

    # -- block schemas --------------------------------------------------------------------
    def create_block_schema(self, block_schema: Any) -> BlockSchema:
        """Create a block schema (an equal one is returned as is)."""
        from headwater.core.block_schemas import BlockSchemaCreate

        body = BlockSchemaCreate(**_fields(block_schema, "fields", "block_type_id", "capabilities", "version"))
        return self._ops().create_block_schema(body)

    def read_block_schema_by_checksum(self, checksum: str, version: str | None = None) -> BlockSchema:
        """The block schema with this checksum. Raises `ObjectNotFound`."""
        return self._ops().read_block_schema_by_checksum(checksum, version)

    def read_block_schemas(self) -> list[BlockSchema]:
        """Every block schema, newest first."""
        from headwater.core.block_schemas import BlockSchemaFilterRequest

        return self._ops().filter_block_schemas(BlockSchemaFilterRequest())

    def get_most_recent_block_schema_for_block_type(self, block_type_id: UUID | str) -> BlockSchema | None:
        """The newest schema of a block type, or None."""
        from headwater.core.block_schemas import BlockSchemaFilterRequest

        request = BlockSchemaFilterRequest.model_validate(
            {"block_schemas": {"block_type_id": {"any_": [str(block_type_id)]}}, "limit": 1})
        found = self._ops().filter_block_schemas(request)
        return found[0] if found else None

    # -- block documents ------------------------------------------------------------------
    def create_block_document(self, block_document: Any, include_secrets: bool = True) -> BlockDocument:
        """Create a block document; returned with its secrets unless `include_secrets=False`.

        Raises:
            ObjectAlreadyExists: a document of this type has this name.
        """
        from headwater.core.block_schemas import BlockDocumentCreate

        body = BlockDocumentCreate(**_fields(block_document, "name", "data", "block_schema_id", "block_type_id",
                                             "is_anonymous"))
        created = self._ops().create_block_document(body)
        return self._ops().read_block_document(created.id, include_secrets) if include_secrets else created

    def read_block_document(self, block_document_id: UUID | str, include_secrets: bool = True) -> BlockDocument:
        """A block document by id. Raises `ObjectNotFound`."""
        return self._ops().read_block_document(str(block_document_id), include_secrets)

    def read_block_document_by_name(self, name: str, block_type_slug: str,
                                    include_secrets: bool = True) -> BlockDocument:
        """The document of type `block_type_slug` called `name`. Raises `ObjectNotFound`."""
        return self._ops().read_block_document_by_name(block_type_slug, name, include_secrets)

    def read_block_documents(self, block_schema_type: str | None = None, offset: int | None = None,
                             limit: int | None = None, include_secrets: bool = True) -> list[BlockDocument]:
        """Named block documents (of the block type slug `block_schema_type`, if given)."""
        from headwater.core.block_schemas import BlockDocumentFilterRequest

        spec: dict[str, Any] = {"include_secrets": include_secrets, "offset": offset or 0, "limit": limit}
        if block_schema_type is not None:
            spec["block_types"] = {"slug": {"any_": [block_schema_type]}}
        return self._ops().filter_block_documents(BlockDocumentFilterRequest.model_validate(spec))

    def read_block_documents_by_type(self, block_type_slug: str, offset: int | None = None,
                                     limit: int | None = None, include_secrets: bool = True) -> list[BlockDocument]:
        """The named documents of one block type."""
        return self.read_block_documents(block_type_slug, offset, limit, include_secrets)

    def update_block_document(self, block_document_id: UUID | str, block_document: Any) -> None:
        """Change a block document's data (merged into the stored data by default)."""
        from headwater.core.block_schemas import BlockDocumentUpdate

        fields = _fields(block_document, "block_schema_id", "data", "merge_existing_data")
        self._ops().update_block_document(str(block_document_id), BlockDocumentUpdate(**fields))

    def delete_block_document(self, block_document_id: UUID | str) -> None:
        """Delete a block document. Raises `ObjectNotFound`."""
        self._ops().delete_block_document(str(block_document_id))

    def block_document_exists(self, name: str, block_type_slug: str) -> bool:
        """Whether a document of this type has this name (headwater's helper)."""
        try:
            self._ops().read_block_document_by_name(block_type_slug, name)
        except ObjectNotFound:
            return False
        return True
