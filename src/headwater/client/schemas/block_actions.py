"""Prefect's block bodies (`prefect.client.schemas.actions.BlockTypeCreate`, ...), with ids
as `uuid.UUID`, taken by the client's block methods (`create_block_type`,
`create_block_document`, ...) as they are in Prefect. The methods send headwater's own
bodies (`headwater.core.block_schemas`, ids as text): these check the caller's values
first, with Prefect's field names and rules.
"""

from __future__ import annotations

from typing import Any, Optional
from uuid import UUID

from pydantic import BaseModel, ConfigDict, HttpUrl, model_validator

from headwater.core.block_schemas import BlockName, BlockSlug

__all__ = ["BlockDocumentCreate", "BlockDocumentUpdate", "BlockSchemaCreate", "BlockTypeCreate", "BlockTypeUpdate"]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BlockTypeCreate(_Action):
    """A new block type (`create_block_type`)."""

    name: str
    slug: BlockSlug
    logo_url: Optional[HttpUrl] = None
    documentation_url: Optional[HttpUrl] = None
    description: Optional[str] = None
    code_example: Optional[str] = None


class BlockTypeUpdate(_Action):
    """Changes to a block type (`update_block_type`)."""

    logo_url: Optional[HttpUrl] = None
    documentation_url: Optional[HttpUrl] = None
    description: Optional[str] = None
    code_example: Optional[str] = None


class BlockSchemaCreate(_Action):
    """A new schema of the block type `block_type_id` (`create_block_schema`)."""

    fields: dict[str, Any] = {}
    block_type_id: Optional[UUID] = None
    capabilities: list[str] = []
    version: str = "non-versioned"


class BlockDocumentCreate(_Action):
    """A new block document (`create_block_document`): `name` unless `is_anonymous`."""

    name: Optional[BlockName] = None
    data: dict[str, Any] = {}
    block_schema_id: UUID
    block_type_id: UUID
    is_anonymous: bool = False

    @model_validator(mode="after")
    def _named_unless_anonymous(self) -> BlockDocumentCreate:
        if not self.is_anonymous and not self.name:
            raise ValueError("Names must be provided for block documents.")
        return self


class BlockDocumentUpdate(_Action):
    """Changes to a block document (`update_block_document`): its data, merged into
    the stored data unless `merge_existing_data=False`."""

    block_schema_id: Optional[UUID] = None
    data: dict[str, Any] = {}
    merge_existing_data: bool = True
