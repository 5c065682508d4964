"""Assets: the data a workflow makes, and which data it was made from.

`Asset` and `AssetProperties` (Prefect's `prefect.assets` models, re-exported by
`headwater.assets`), the rule an asset key follows, and the request and reply bodies
of `/api/assets/`. An asset is known by its key, a URI (`s3://bucket/sales.csv`); each
time a `@materialize` task finishes, a *materialization* of each of its assets is
recorded with the assets it was made from (its *upstream*). Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from headwater.core.api_schemas import FilterText

__all__ = [
    "MAX_ASSET_DESCRIPTION_LENGTH",
    "MAX_ASSET_KEY_LENGTH",
    "Asset",
    "AssetCount",
    "AssetFilterRequest",
    "AssetInfo",
    "AssetMaterializationInfo",
    "AssetProperties",
    "AssetSort",
    "MaterializationFilterRequest",
    "check_asset_key",
]

MAX_ASSET_KEY_LENGTH = 512
"""The longest asset key (Prefect's limit, and the column's width)."""

MAX_ASSET_DESCRIPTION_LENGTH = 2500
"""The longest description of an asset (Prefect's limit)."""

# Characters that would make a key ambiguous in a URL or a shell (Prefect's list).
_RESTRICTED = ("\n", "\r", "\t", "\0", " ", "#", "?", "&", "%", '"', "'", "<", ">", "[", "]", "{", "}", "|",
               "\\", "^", "`")
_URI = re.compile(r"^[a-z0-9]+://")


def check_asset_key(key: str) -> str:
    """Return `key` if it is an asset key, else raise `ValueError` with Prefect's message.

    A key is a URI with a lowercase scheme (`s3://bucket/file.csv`,
    `postgres://db/table`), at most 512 characters, without spaces, quotes, `#`, `?`,
    `&`, `%`, brackets, braces, `|`, `\\`, `^` or a backquote.
    """
    for char in _RESTRICTED:
        if char in key:
            raise ValueError(f"Asset key cannot contain '{char}'")
    if len(key) > MAX_ASSET_KEY_LENGTH:
        raise ValueError(f"Asset key cannot exceed {MAX_ASSET_KEY_LENGTH} characters")
    if not _URI.match(key):
        raise ValueError("Key must be a valid URI, e.g. storage://bucket/folder/asset.csv")
    return key


AssetKey = Annotated[str, AfterValidator(check_asset_key)]


class AssetProperties(BaseModel):
    """What people read about an asset: a name, a link, a description and owners.

    Given on an `Asset`, they replace the properties stored for its key when it is next
    materialized or referenced.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="ignore")

    name: Optional[str] = Field(default=None, description="Human readable name of the asset.")
    url: Optional[str] = Field(default=None, description="A URL where the asset can be seen.")
    description: Optional[str] = Field(default=None, max_length=MAX_ASSET_DESCRIPTION_LENGTH,
                                       description="Description of the asset.")
    owners: Optional[list[str]] = Field(default=None, description="Owners of the asset.")


class Asset(BaseModel):
    """Data a workflow makes or reads, known by its key (a URI).

    Two assets are equal when key and properties are; the hash is the key's, so a set
    of assets holds one per key and properties only where they were given.

    Example:
        >>> sales = Asset(key="s3://warehouse/sales.parquet",
        ...               properties=AssetProperties(name="Sales", owners=["data-team"]))
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="ignore")

    key: Annotated[AssetKey, Field(max_length=MAX_ASSET_KEY_LENGTH)]
    properties: Optional[AssetProperties] = Field(
        default=None, description="Properties of the asset; given, they replace those stored for the key.")

    def __repr__(self) -> str:
        return f"Asset(key={self.key!r})"

    def __hash__(self) -> int:
        return hash(self.key)

    def add_metadata(self, metadata: dict[str, Any]) -> None:
        """Attach `metadata` to this asset's materialization by the running task.

        Raises:
            RuntimeError: not inside a task run.
            ValueError: the running task does not materialize this asset.
        """
        from headwater.engine.asset_tracking import add_metadata

        add_metadata(self.key, metadata, "Unable add Asset metadata when not inside of an AssetContext")


# -- the REST API's bodies -------------------------------------------------------------

class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssetInfo(BaseModel):
    """An asset as read back, with its latest materialization (if any) and its neighbours."""

    key: str
    properties: Optional[dict[str, Any]] = None
    created: datetime
    updated: datetime
    last_materialization: Optional[AssetMaterializationInfo] = None
    upstream: list[str] = Field(default_factory=list)
    downstream: list[str] = Field(default_factory=list)


class AssetMaterializationInfo(BaseModel):
    """One materialization of an asset: which run made it, from what, and how it ended.

    `status` is Prefect's event suffix: `succeeded` (the task completed) or `failed`.
    """

    id: str
    asset_key: str
    status: Literal["succeeded", "failed"]
    by: Optional[str] = None
    metadata: Optional[dict[str, Any]] = None
    upstream: list[str] = Field(default_factory=list)
    flow_run_id: Optional[str] = None
    task_run_id: Optional[str] = None
    created: datetime


AssetInfo.model_rebuild()

AssetSort = Literal["KEY_ASC", "KEY_DESC", "UPDATED_DESC"]


class _KeyCriteria(_Request):
    any_: Optional[list[FilterText]] = Field(default=None, max_length=10_000)
    prefix: Optional[list[FilterText]] = Field(default=None, max_length=100)
    search: Optional[list[FilterText]] = Field(default=None, max_length=100)


class _AssetFilter(_Request):
    key: Optional[_KeyCriteria] = None


class AssetCount(_Request):
    """Body of `POST /assets/count`: `filter.key` by `any_` keys, `prefix`es or `search` substrings."""

    filter: Optional[_AssetFilter] = None


class AssetFilterRequest(AssetCount):
    """Body of `POST /assets/filter` (the shape Prefect Cloud's `asset ls` sends)."""

    sort: Optional[AssetSort] = None
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: Optional[int] = Field(default=0, ge=0)


class MaterializationFilterRequest(_Request):
    """Body of `POST /assets/materializations/filter`: one asset's (or a run's) materializations."""

    asset_key: Optional[Annotated[str, StringConstraints(max_length=MAX_ASSET_KEY_LENGTH, pattern=r"^[^\x00]*$")]] = None
    flow_run_id: Optional[Annotated[str, StringConstraints(max_length=36, pattern=r"^[0-9a-fA-F-]*$")]] = None
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: Optional[int] = Field(default=0, ge=0)
