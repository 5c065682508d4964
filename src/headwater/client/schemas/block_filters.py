"""Filters of block documents, schemas and types, shaped as Prefect's (re-exported by
`headwater.client.schemas.filters`).

Example:
    >>> BlockDocumentFilter(name=BlockDocumentFilterName(like_="prod"))
"""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from headwater.client.schemas.filter_base import FilterCriteria

__all__ = [
    "BlockDocumentFilter", "BlockDocumentFilterBlockTypeId", "BlockDocumentFilterId", "BlockDocumentFilterIsAnonymous",
    "BlockDocumentFilterName", "BlockSchemaFilter", "BlockSchemaFilterBlockTypeId", "BlockSchemaFilterCapabilities",
    "BlockSchemaFilterId", "BlockSchemaFilterVersion", "BlockTypeFilter", "BlockTypeFilterName", "BlockTypeFilterSlug",
]


class BlockTypeFilterName(FilterCriteria):
    """Block types whose name contains `like_` (case-insensitive)."""

    like_: Optional[str] = None


class BlockTypeFilterSlug(FilterCriteria):
    """Block types whose slug is one of `any_`."""

    any_: Optional[list[str]] = None


class BlockTypeFilter(FilterCriteria):
    """Which block types (every criterion given must hold)."""

    name: Optional[BlockTypeFilterName] = None
    slug: Optional[BlockTypeFilterSlug] = None


class BlockSchemaFilterBlockTypeId(FilterCriteria):
    """Schemas of these block types."""

    any_: Optional[list[UUID]] = None


class BlockSchemaFilterId(FilterCriteria):
    """Schemas whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class BlockSchemaFilterCapabilities(FilterCriteria):
    """Schemas having every capability in `all_` ("read-path", "write-path"...)."""

    all_: Optional[list[str]] = None


class BlockSchemaFilterVersion(FilterCriteria):
    """Schemas whose version is one of `any_`."""

    any_: Optional[list[str]] = None


class BlockSchemaFilter(FilterCriteria):
    """Which block schemas. Only `operator="and_"` is evaluated."""

    operator: str = "and_"
    block_type_id: Optional[BlockSchemaFilterBlockTypeId] = None
    block_capabilities: Optional[BlockSchemaFilterCapabilities] = None
    id: Optional[BlockSchemaFilterId] = None
    version: Optional[BlockSchemaFilterVersion] = None


class BlockDocumentFilterId(FilterCriteria):
    """Documents whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class BlockDocumentFilterIsAnonymous(FilterCriteria):
    """Anonymous documents (`eq_=True`: saved without a name) or named ones (`eq_=False`)."""

    eq_: Optional[bool] = None


class BlockDocumentFilterBlockTypeId(FilterCriteria):
    """Documents of these block types."""

    any_: Optional[list[UUID]] = None


class BlockDocumentFilterName(FilterCriteria):
    """Documents by exact name (`any_`) or case-insensitive substring (`like_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class BlockDocumentFilter(FilterCriteria):
    """Which block documents. Only `operator="and_"` is evaluated."""

    operator: str = "and_"
    id: Optional[BlockDocumentFilterId] = None
    is_anonymous: Optional[BlockDocumentFilterIsAnonymous] = None
    block_type_id: Optional[BlockDocumentFilterBlockTypeId] = None
    name: Optional[BlockDocumentFilterName] = None
