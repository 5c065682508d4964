"""Blocks at Prefect's paths: `/api/block_types/`, `/api/block_schemas/`,
`/api/block_documents/` (create, read by id, slug, checksum or name, filter, count,
update, delete).

Secret values are masked (`********`) in every answer unless the caller asks with
`include_secrets=true` (a query parameter, or a field of the filter body); with
`HEADWATER_API_KEY` set, every request must carry the key anyway
(`server/security.py`). A malformed schema or data larger than the limit is a 422, a
taken name 409, an unknown id, slug or name 404.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Body, Query, Response

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
from headwater.server.api._deps import OpsDep

__all__ = ["documents_router", "schemas_router", "types_router"]

types_router = APIRouter(prefix="/block_types", tags=["block types"])
schemas_router = APIRouter(prefix="/block_schemas", tags=["block schemas"])
documents_router = APIRouter(prefix="/block_documents", tags=["block documents"])

_SECRETS = "Show secret values instead of masking them."


# -- block types ---------------------------------------------------------------------------
@types_router.post("/", status_code=201, summary="Create a block type")
def create_block_type(body: BlockTypeCreate, ops: OpsDep) -> BlockType:
    """Create a block type; 409 if its slug is taken."""
    return ops.create_block_type(body)


@types_router.post("/filter", summary="List block types")
def filter_block_types(ops: OpsDep, body: BlockTypeFilterRequest = Body(default_factory=BlockTypeFilterRequest)
                       ) -> list[BlockType]:
    """Block types matching the filter, by name."""
    return ops.filter_block_types(body)


@types_router.get("/slug/{slug}", summary="Read a block type by slug")
def read_block_type_by_slug(slug: str, ops: OpsDep) -> BlockType:
    """The block type with this slug; 404 if there is none."""
    return ops.read_block_type_by_slug(slug)


@types_router.get("/slug/{slug}/block_documents", summary="List the block documents of a block type")
def read_block_documents_for_block_type(slug: str, ops: OpsDep, include_secrets: bool = Query(False,
                                        description=_SECRETS)) -> list[BlockDocument]:
    """The named documents of the block type with this slug."""
    from headwater.core.block_schemas import BlockTypeFilterSpec

    ops.read_block_type_by_slug(slug)
    request = BlockDocumentFilterRequest(block_types=BlockTypeFilterSpec.model_validate({"slug": {"any_": [slug]}}),
                                         include_secrets=include_secrets)
    return ops.filter_block_documents(request)


@types_router.get("/slug/{slug}/block_documents/name/{name}", summary="Read a block document by name")
def read_block_document_by_name(slug: str, name: str, ops: OpsDep,
                                include_secrets: bool = Query(False, description=_SECRETS)) -> BlockDocument:
    """The document of this block type with this name; 404 if there is none."""
    return ops.read_block_document_by_name(slug, name, include_secrets)


@types_router.get("/{block_type_id}", summary="Read a block type")
def read_block_type(block_type_id: UUID, ops: OpsDep) -> BlockType:
    """The block type with this id; 404 if there is none."""
    return ops.read_block_type(str(block_type_id))


@types_router.patch("/{block_type_id}", status_code=204, summary="Update a block type")
def update_block_type(block_type_id: UUID, body: BlockTypeUpdate, ops: OpsDep) -> Response:
    """Change the descriptive fields given."""
    ops.update_block_type(str(block_type_id), body)
    return Response(status_code=204)


@types_router.delete("/{block_type_id}", status_code=204, summary="Delete a block type")
def delete_block_type(block_type_id: UUID, ops: OpsDep) -> Response:
    """Delete the block type with its schemas and documents."""
    ops.delete_block_type(str(block_type_id))
    return Response(status_code=204)


# -- block schemas -------------------------------------------------------------------------
@schemas_router.post("/", status_code=201, summary="Create a block schema")
def create_block_schema(body: BlockSchemaCreate, ops: OpsDep) -> BlockSchema:
    """Create a block schema (an equal one is returned as is); 422 if malformed."""
    return ops.create_block_schema(body)


@schemas_router.post("/filter", summary="List block schemas")
def filter_block_schemas(ops: OpsDep, body: BlockSchemaFilterRequest = Body(
        default_factory=BlockSchemaFilterRequest)) -> list[BlockSchema]:
    """Block schemas matching the filter, newest first."""
    return ops.filter_block_schemas(body)


@schemas_router.get("/checksum/{checksum}", summary="Read a block schema by checksum")
def read_block_schema_by_checksum(checksum: str, ops: OpsDep, version: str | None = Query(None)) -> BlockSchema:
    """The newest block schema with this checksum (and version); 404 if there is none."""
    return ops.read_block_schema_by_checksum(checksum, version)


@schemas_router.get("/{block_schema_id}", summary="Read a block schema")
def read_block_schema(block_schema_id: UUID, ops: OpsDep) -> BlockSchema:
    """The block schema with this id; 404 if there is none."""
    return ops.read_block_schema(str(block_schema_id))


@schemas_router.delete("/{block_schema_id}", status_code=204, summary="Delete a block schema")
def delete_block_schema(block_schema_id: UUID, ops: OpsDep) -> Response:
    """Delete a block schema no document uses (409 if one does)."""
    ops.delete_block_schema(str(block_schema_id))
    return Response(status_code=204)


# -- block documents -----------------------------------------------------------------------
@documents_router.post("/", status_code=201, summary="Create a block document")
def create_block_document(body: BlockDocumentCreate, ops: OpsDep) -> BlockDocument:
    """Create a block document (returned with secrets masked); 409 if the name is taken."""
    return ops.create_block_document(body)


@documents_router.post("/filter", summary="List block documents")
def filter_block_documents(ops: OpsDep, body: BlockDocumentFilterRequest = Body(
        default_factory=BlockDocumentFilterRequest)) -> list[BlockDocument]:
    """Block documents matching the filter, by name."""
    return ops.filter_block_documents(body)


@documents_router.post("/count", summary="Count block documents")
def count_block_documents(ops: OpsDep, body: BlockDocumentCount = Body(default_factory=BlockDocumentCount)) -> int:
    """How many block documents match the filter."""
    return ops.count_block_documents(body)


@documents_router.get("/{block_document_id}", summary="Read a block document")
def read_block_document(block_document_id: UUID, ops: OpsDep,
                        include_secrets: bool = Query(False, description=_SECRETS)) -> BlockDocument:
    """The block document with this id; 404 if there is none."""
    return ops.read_block_document(str(block_document_id), include_secrets)


@documents_router.patch("/{block_document_id}", status_code=204, summary="Update a block document")
def update_block_document(block_document_id: UUID, body: BlockDocumentUpdate, ops: OpsDep) -> Response:
    """Change the document's data (merged unless `merge_existing_data` is false)."""
    ops.update_block_document(str(block_document_id), body)
    return Response(status_code=204)


@documents_router.delete("/{block_document_id}", status_code=204, summary="Delete a block document")
def delete_block_document(block_document_id: UUID, ops: OpsDep) -> Response:
    """Delete the block document; 404 if there is none."""
    ops.delete_block_document(str(block_document_id))
    return Response(status_code=204)
