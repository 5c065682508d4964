"""Protected block types (Prefect's `ProtectedBlockError`), on every transport."""

from __future__ import annotations

import uuid

import pytest

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.block_schemas import BlockTypeCreate
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ProtectedBlockError


@pytest.mark.parametrize("slug", ["secret", "webhook", "local-file-system"])
def test_system_block_types_cannot_be_deleted(client: SyncPrefectClient, slug: str) -> None:
    try:
        client.create_block_type(BlockTypeCreate(name=slug.title(), slug=slug))
    except ObjectAlreadyExists:  # the shared server may have it from another test
        pass
    block_type = client.read_block_type_by_slug(slug)
    with pytest.raises(ProtectedBlockError, match="protected block types cannot be deleted"):
        client.delete_block_type(block_type.id)
    assert client.read_block_type_by_slug(slug).id == block_type.id


def test_other_block_types_can_be_deleted(client: SyncPrefectClient) -> None:
    slug = f"mine-{uuid.uuid4().hex[:8]}"
    block_type = client.create_block_type(BlockTypeCreate(name="Mine", slug=slug))
    client.delete_block_type(block_type.id)
    with pytest.raises(ObjectNotFound):
        client.read_block_type_by_slug(slug)


def test_prefect_block_bodies_with_uuid_ids(client: SyncPrefectClient) -> None:
    from pydantic import ValidationError

    from headwater.client.schemas.actions import (
        BlockDocumentCreate,
        BlockDocumentUpdate,
        BlockSchemaCreate,
        BlockTypeCreate,
        BlockTypeUpdate,
    )

    slug = f"prefect-shaped-{uuid.uuid4().hex[:8]}"
    block_type = client.create_block_type(BlockTypeCreate(name="Shaped", slug=slug, description="before",
                                                          logo_url="https://example.com/logo.png"))
    client.update_block_type(block_type.id, BlockTypeUpdate(description="after"))
    changed = client.read_block_type_by_slug(slug)
    assert (changed.description, changed.logo_url) == ("after", "https://example.com/logo.png")
    schema = client.create_block_schema(BlockSchemaCreate(
        block_type_id=uuid.UUID(block_type.id), fields={"title": "Shaped", "type": "object",
                                                        "properties": {"n": {"type": "integer"}}}))
    document = client.create_block_document(BlockDocumentCreate(
        name="one", data={"n": 1}, block_schema_id=uuid.UUID(schema.id), block_type_id=uuid.UUID(block_type.id)))
    client.update_block_document(document.id, BlockDocumentUpdate(data={"n": 2}))
    assert client.read_block_document_by_name("one", slug).data == {"n": 2}
    with pytest.raises(ValidationError, match="Names must be provided"):
        BlockDocumentCreate(block_schema_id=uuid.uuid4(), block_type_id=uuid.uuid4())
