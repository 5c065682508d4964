"""Artifacts: what runs show people (markdown, tables, links, images, progress).

The request and reply bodies of `/api/artifacts/` (shared by the store, the
operations, the REST API, the client and the CLI) and the rule an artifact key
follows. An artifact with a key is one *version* of that key; the latest version of
each key is its *collection* (Prefect's `artifact_collections`). Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from headwater.core.api_schemas import FilterText

__all__ = [
    "ARTIFACT_TYPES",
    "MAX_ARTIFACT_KEY_LENGTH",
    "ArtifactCollectionInfo",
    "ArtifactCount",
    "ArtifactCreate",
    "ArtifactFilterRequest",
    "ArtifactFilterSpec",
    "ArtifactInfo",
    "ArtifactSort",
    "ArtifactUpdate",
    "check_artifact_key",
    "is_artifact_key",
]

MAX_ARTIFACT_KEY_LENGTH = 255
"""The longest key kept (the column's width)."""

ARTIFACT_TYPES = ("markdown", "table", "link", "image", "progress", "result")
"""The types the UI knows how to show; any other type is shown as JSON."""

_KEY = re.compile(r"^[a-z0-9-]*$")


def is_artifact_key(key: str) -> bool:
    """Whether `key` is an artifact key: lowercase letters, numbers and dashes (Prefect's rule)."""
    return isinstance(key, str) and len(key) <= MAX_ARTIFACT_KEY_LENGTH and _KEY.match(key) is not None


def check_artifact_key(key: str) -> str:
    """Return `key` if it is an artifact key, else raise `ValueError` with Prefect's message.

    The message is Prefect's (`Artifact key must only contain lowercase letters,
    numbers, and dashes.`) so that code matching it keeps working.
    """
    if isinstance(key, str) and len(key) > MAX_ARTIFACT_KEY_LENGTH:
        raise ValueError(f"Artifact key must be at most {MAX_ARTIFACT_KEY_LENGTH} characters long.")
    if not is_artifact_key(key):
        raise ValueError("Artifact key must only contain lowercase letters, numbers, and dashes.")
    return key


ArtifactKey = Annotated[str, AfterValidator(check_artifact_key)]
_Text = Annotated[str, StringConstraints(max_length=1_000_000, pattern=r"^[^\x00]*$")]
_Type = Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00]*$")]
_Metadata = dict[Annotated[str, StringConstraints(max_length=255)], Annotated[str, StringConstraints(max_length=5000)]]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArtifactCreate(_Request):
    """Body of `POST /artifacts/` (Prefect's `ArtifactCreate`). `data` is any JSON."""

    key: Optional[ArtifactKey] = None
    type: Optional[_Type] = None
    description: Optional[_Text] = None
    data: Any = None
    metadata_: Optional[_Metadata] = None
    flow_run_id: Optional[str] = Field(default=None, max_length=36)
    task_run_id: Optional[str] = Field(default=None, max_length=36)


class ArtifactUpdate(_Request):
    """Body of `PATCH /artifacts/{id}`: the fields given change, the others stay."""

    data: Any = None
    description: Optional[_Text] = None
    metadata_: Optional[_Metadata] = None


class ArtifactInfo(BaseModel):
    """An artifact as read back (Prefect's `Artifact` object)."""

    id: str
    key: Optional[str] = None
    type: Optional[str] = None
    description: Optional[str] = None
    data: Any = None
    metadata_: Optional[dict[str, str]] = None
    flow_run_id: Optional[str] = None
    task_run_id: Optional[str] = None
    created: datetime
    updated: datetime


class ArtifactCollectionInfo(ArtifactInfo):
    """The latest version of one key (Prefect's `ArtifactCollection`): `id` is the
    collection's, `latest_id` the artifact's; the other fields are the artifact's."""

    key: str
    latest_id: str


ArtifactSort = Literal["CREATED_DESC", "UPDATED_DESC", "ID_DESC", "KEY_DESC", "KEY_ASC"]


class _Ids(_Request):
    any_: Optional[list[FilterText]] = Field(default=None, max_length=10_000)


class _KeyCriteria(_Request):
    any_: Optional[list[FilterText]] = Field(default=None, max_length=10_000)
    like_: Optional[FilterText] = None
    exists_: Optional[bool] = None


class _TypeCriteria(_Request):
    any_: Optional[list[FilterText]] = None
    not_any_: Optional[list[FilterText]] = None


class ArtifactFilterSpec(_Request):
    """Which artifacts (Prefect's `ArtifactFilter`, and `ArtifactCollectionFilter`'s
    `latest_id`): every criterion given must hold."""

    operator: Literal["and_"] = "and_"
    id: Optional[_Ids] = None
    latest_id: Optional[_Ids] = None
    key: Optional[_KeyCriteria] = None
    flow_run_id: Optional[_Ids] = None
    task_run_id: Optional[_Ids] = None
    type: Optional[_TypeCriteria] = None


class _RunFilter(_Request):
    """The part of Prefect's flow run / task run filters artifacts are read by: ids."""

    model_config = ConfigDict(extra="ignore")
    id: Optional[_Ids] = None


class ArtifactCount(_Request):
    """Body of `POST /artifacts/count` and `/artifacts/latest/count`."""

    artifacts: Optional[ArtifactFilterSpec] = None
    flow_runs: Optional[_RunFilter] = None
    task_runs: Optional[_RunFilter] = None


class ArtifactFilterRequest(ArtifactCount):
    """Body of `POST /artifacts/filter` and `/artifacts/latest/filter` (Prefect's shape)."""

    sort: Optional[ArtifactSort] = None
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: Optional[int] = Field(default=0, ge=0)
