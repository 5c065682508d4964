"""Blocks: typed, named configuration documents (Prefect's block types, schemas and documents).

A *block type* is a kind of block (`secret`, `local-file-system`, a user's class),
known by its slug. A *block schema* is the JSON schema of one version of a type's
fields, identified by a checksum of the schema. A *block document* is a named value
of a type: its `data` follows the schema; nested blocks are references
(`{"$ref": {"block_document_id": ...}}`) to other documents.

This module holds the request and reply bodies of `/api/block_types/`,
`/api/block_schemas/` and `/api/block_documents/` (shared by the store, the
operations, the REST API, the client and the CLI), and the rules names and secret
fields follow. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from headwater.core.api_schemas import FilterText

__all__ = [
    "MASK",
    "MAX_BLOCK_NAME_LENGTH",
    "BlockDocument",
    "BlockDocumentCount",
    "BlockDocumentCreate",
    "BlockDocumentFilterRequest",
    "BlockDocumentUpdate",
    "BlockSchema",
    "BlockSchemaCreate",
    "BlockSchemaFilterRequest",
    "BlockType",
    "BlockTypeCreate",
    "BlockTypeFilterRequest",
    "BlockTypeUpdate",
    "BlockDocumentFilterSpec",
    "BlockSchemaFilterSpec",
    "BlockTypeFilterSpec",
    "check_block_name",
    "map_secret_fields",
    "mask_secrets",
    "reference_of",
    "restore_masked",
    "schema_checksum",
    "slugify",
]

MASK = "********"
"""What a secret value is shown as (Prefect's placeholder)."""

MAX_BLOCK_NAME_LENGTH = 255
_NAME = re.compile(r"^[a-z0-9-]+$")


def slugify(text: str) -> str:
    """A block type slug from a name, as Prefect makes it: `"Local File System"` ->
    `"local-file-system"`, `"MyBlock"` -> `"myblock"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def check_block_name(name: str, what: str = "Block document name") -> str:
    """Return `name` if it is a usable block document name or type slug (lowercase
    letters, numbers and dashes, 1 to 255 characters), else raise `ValueError`."""
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > MAX_BLOCK_NAME_LENGTH:
        shown = name if not isinstance(name, str) or len(name) <= 60 else name[:57] + "..."
        raise ValueError(f"{what} {shown!r} is not valid: it must only contain lowercase letters, numbers, "
                         "and dashes (1 to 255 characters)")
    return name


def schema_checksum(fields: dict[str, Any]) -> str:
    """The checksum identifying a block schema: sha256 of its canonical JSON."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def reference_of(value: Any) -> str | None:
    """The block document id a `{"$ref": {"block_document_id": id}}` value refers to, else None."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), dict):
        ref = value["$ref"].get("block_document_id")
        return str(ref) if ref is not None else None
    return None


BlockName = Annotated[str, AfterValidator(check_block_name)]
BlockSlug = Annotated[str, AfterValidator(lambda s: check_block_name(s, "Block type slug"))]
_Url = Annotated[str, Field(max_length=2048)]
_Text = Annotated[str, Field(max_length=50_000)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _AnyCriteria(_Request):
    any_: Optional[list[FilterText]] = None


class _NameCriteria(_AnyCriteria):
    like_: Optional[FilterText] = None


class _EqCriteria(_Request):
    eq_: Optional[bool] = None


class BlockDocumentFilterSpec(_Request):
    """Which documents (Prefect's `BlockDocumentFilter`): by id, name, anonymity."""

    operator: str = "and_"
    id: Optional[_AnyCriteria] = None
    name: Optional[_NameCriteria] = None
    is_anonymous: Optional[_EqCriteria] = Field(default_factory=lambda: _EqCriteria(eq_=False))


class BlockTypeFilterSpec(_Request):
    """Which block types (Prefect's `BlockTypeFilter`): by slug or name."""

    slug: Optional[_AnyCriteria] = None
    name: Optional[_NameCriteria] = None


# -- secret fields ------------------------------------------------------------------------

def _walk(data: Any, parts: list[str], action: Callable[[Any], Any]) -> Any:
    """`data` with `action` applied to the value at the dotted path `parts`; `*` as the
    last part means every leaf under the parent."""
    if not parts:
        return action(data)
    if parts[0] == "*":
        if isinstance(data, dict) and reference_of(data) is None:
            return {k: _walk(v, parts, action) for k, v in data.items()}
        if isinstance(data, list):
            return [_walk(v, parts, action) for v in data]
        return action(data)
    if isinstance(data, dict) and parts[0] in data and reference_of(data) is None:
        return {**data, parts[0]: _walk(data[parts[0]], parts[1:], action)}
    return data


def map_secret_fields(data: dict[str, Any], secret_fields: list[str], action: Callable[[Any], Any]) -> dict[str, Any]:
    """`data` with `action` applied to each value a `secret_fields` path names
    (`password`, `extra.*`, `inner.token`); absent paths and references are left alone."""
    for path in secret_fields:
        data = _walk(data, path.split("."), action)
    return data


def mask_secrets(data: dict[str, Any], secret_fields: list[str]) -> dict[str, Any]:
    """`data` with every secret value replaced by `MASK` (None stays None)."""
    return map_secret_fields(data, secret_fields, lambda v: v if v is None else MASK)


def restore_masked(new: dict[str, Any], old: dict[str, Any], secret_fields: list[str]) -> dict[str, Any]:
    """`new` where each secret value still equal to `MASK` takes back its value in `old`:
    a form or client that saw the masked document can send it back unchanged."""
    for path in secret_fields:
        parts = [p for p in path.split(".") if p != "*"]
        current_new: Any = new
        current_old: Any = old
        for part in parts[:-1]:
            if not (isinstance(current_new, dict) and isinstance(current_old, dict)):
                break
            current_new, current_old = current_new.get(part), current_old.get(part)
        else:
            last = parts[-1] if parts else None
            if last is not None and isinstance(current_new, dict) and isinstance(current_old, dict):
                value = current_new.get(last)
                if value == MASK and last in current_old:
                    current_new[last] = current_old[last]
                elif isinstance(value, dict) and path.endswith("*"):
                    _restore_leaves(value, current_old.get(last))
    return new


def _restore_leaves(new: dict[str, Any], old: Any) -> None:
    if not isinstance(old, dict):
        return
    for key, value in list(new.items()):
        if value == MASK and key in old:
            new[key] = old[key]
        elif isinstance(value, dict):
            _restore_leaves(value, old.get(key))


# -- block types -------------------------------------------------------------------------

class BlockTypeCreate(_Request):
    """Body of `POST /block_types/`."""

    name: Annotated[str, Field(min_length=1, max_length=255)]
    slug: BlockSlug
    logo_url: Optional[_Url] = None
    documentation_url: Optional[_Url] = None
    description: Optional[_Text] = None
    code_example: Optional[_Text] = None


class BlockTypeUpdate(_Request):
    """Body of `PATCH /block_types/{id}`: the fields given change."""

    logo_url: Optional[_Url] = None
    documentation_url: Optional[_Url] = None
    description: Optional[_Text] = None
    code_example: Optional[_Text] = None


class BlockType(BaseModel):
    """A block type as read back (Prefect's `BlockType`)."""

    id: str
    created: datetime
    updated: datetime
    name: str
    slug: str
    logo_url: Optional[str] = None
    documentation_url: Optional[str] = None
    description: Optional[str] = None
    code_example: Optional[str] = None
    is_protected: bool = False


class BlockTypeFilterRequest(_Request):
    """Body of `POST /block_types/filter` (Prefect's shape)."""

    block_types: Optional[BlockTypeFilterSpec] = None
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: int = Field(default=0, ge=0)


# -- block schemas -----------------------------------------------------------------------

class BlockSchemaCreate(_Request):
    """Body of `POST /block_schemas/`: a JSON schema (an object with `properties`)."""

    fields: dict[str, Any] = Field(default_factory=dict)
    block_type_id: str
    capabilities: Annotated[list[Annotated[str, Field(max_length=255)]], Field(max_length=100)] = []
    version: Annotated[str, Field(max_length=255)] = "non-versioned"


class BlockSchema(BaseModel):
    """A block schema as read back (Prefect's `BlockSchema`)."""

    id: str
    created: datetime
    updated: datetime
    checksum: str
    fields: dict[str, Any]
    block_type_id: str
    block_type: Optional[BlockType] = None
    capabilities: list[str] = []
    version: str = "non-versioned"

    @property
    def secret_fields(self) -> list[str]:
        """The dotted paths of the secret values of documents of this schema."""
        found = self.fields.get("secret_fields") or []
        return [str(f) for f in found] if isinstance(found, list) else []


class BlockSchemaFilterSpec(_Request):
    """Which schemas (Prefect's `BlockSchemaFilter`): by type id, capabilities, version."""

    block_type_id: Optional[_AnyCriteria] = None
    block_capabilities: Optional[dict[str, list[str]]] = None
    version: Optional[_AnyCriteria] = None


class BlockSchemaFilterRequest(_Request):
    """Body of `POST /block_schemas/filter` (Prefect's shape)."""

    block_schemas: Optional[BlockSchemaFilterSpec] = None
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: int = Field(default=0, ge=0)


# -- block documents ---------------------------------------------------------------------

class BlockDocumentCreate(_Request):
    """Body of `POST /block_documents/`. `name` is required unless `is_anonymous`."""

    name: Optional[BlockName] = None
    data: dict[str, Any] = Field(default_factory=dict)
    block_schema_id: str
    block_type_id: str
    is_anonymous: bool = False


class BlockDocumentUpdate(_Request):
    """Body of `PATCH /block_documents/{id}`. Secret values sent back as the mask keep their value."""

    block_schema_id: Optional[str] = None
    data: dict[str, Any] = Field(default_factory=dict)
    merge_existing_data: bool = True


class BlockDocument(BaseModel):
    """A block document as read back (Prefect's `BlockDocument`). Nested blocks are in
    `data`, hydrated, and described in `block_document_references`; secret values are
    `MASK` unless secrets were asked for."""

    id: str
    created: datetime
    updated: datetime
    name: Optional[str] = None
    data: dict[str, Any] = {}
    block_schema_id: str
    block_schema: Optional[BlockSchema] = None
    block_type_id: str
    block_type_name: Optional[str] = None
    block_type: Optional[BlockType] = None
    block_document_references: dict[str, Any] = {}
    is_anonymous: bool = False


class BlockDocumentFilterRequest(_Request):
    """Body of `POST /block_documents/filter` (Prefect's shape)."""

    block_documents: Optional[BlockDocumentFilterSpec] = None
    block_types: Optional[BlockTypeFilterSpec] = None
    include_secrets: bool = False
    sort: str = "NAME_ASC"
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: int = Field(default=0, ge=0)


class BlockDocumentCount(_Request):
    """Body of `POST /block_documents/count`."""

    block_documents: Optional[BlockDocumentFilterSpec] = None
    block_types: Optional[BlockTypeFilterSpec] = None
