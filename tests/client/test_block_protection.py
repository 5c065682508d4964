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
