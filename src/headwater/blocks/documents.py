"""A block as a stored document, and back: what `Block.save` sends and `Block.load` reads.

A block's document holds its field values with secrets in clear (the store encrypts
them); a field that is itself a block is saved as its own document first (anonymous
if it had no name) and referenced by id. Reading a document builds the block of its
type (for `Block` itself, the class its stored schema names) and marks it, and the
blocks nested in it, as saved under their documents' ids and names.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import ValidationError

from headwater.blocks.core import Block
from headwater.blocks.registry import block_class
from headwater.client.kept import kept_client
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.sync_client import SyncPrefectClient
    from headwater.core.block_schemas import BlockDocument

__all__ = ["block_from_document", "document_data", "read_document", "save_document"]

_EXISTS = ("You are attempting to save values with a name that is already in use for this block type. If you "
           "would like to overwrite the values that are saved, then save with `overwrite=True`.")


def document_data(block: Block, client: SyncPrefectClient) -> dict[str, Any]:
    """The values `block`'s document holds; nested blocks not yet saved are saved anonymously."""
    from headwater.blocks.schema import reveal

    data: dict[str, Any] = {}
    for name in type(block).model_fields:
        value = getattr(block, name)
        if isinstance(value, Block):
            if value._block_document_id is None:
                value._save(None, is_anonymous=True, client=client)
            data[name] = {"$ref": {"block_document_id": str(value._block_document_id)}}
        else:
            data[name] = reveal(value)
    return data


def save_document(block: Block, name: str | None, *, is_anonymous: bool = False, overwrite: bool = False,
                  client: SyncPrefectClient | None = None) -> UUID:
    """Save `block` as the document `name` (registering its type first, through `client`,
    else the process's client); returns the document's id.

    Raises:
        ValueError: no name given and the block has none, or the name is taken and
            `overwrite` is False.
    """
    from headwater.core.block_schemas import BlockDocumentCreate, BlockDocumentUpdate

    if name is None and not is_anonymous:
        if block._block_document_name is None:
            raise ValueError("You're attempting to save a block document without a name. Please either call "
                             "`save` with a `name` or pass `is_anonymous=True` to save an anonymous block.")
        name = block._block_document_name
    client = client or kept_client()
    type_id, schema_id = type(block)._register(client)
    data = document_data(block, client)
    try:
        document = client.create_block_document(BlockDocumentCreate(
            name=None if is_anonymous else name, data=data, block_schema_id=str(schema_id),
            block_type_id=str(type_id), is_anonymous=is_anonymous), include_secrets=False)
        document_id = document.id
    except ObjectAlreadyExists:
        if not overwrite:
            raise ValueError(_EXISTS) from None
        assert name is not None
        document_id = client.read_block_document_by_name(name, block.get_block_type_slug(),
                                                         include_secrets=False).id
        client.update_block_document(document_id, BlockDocumentUpdate(
            block_schema_id=str(schema_id), data=data, merge_existing_data=False))
    block._block_document_name = None if is_anonymous else name
    block._block_document_id = UUID(document_id)
    block._is_anonymous = is_anonymous
    return block._block_document_id


def read_document(cls: type[Block], name: str, client: SyncPrefectClient) -> BlockDocument:
    """The document of `cls` saved as `name` (for `Block` itself: `"block-type-slug/name"`).

    Raises:
        ValueError: the name is not a slug (for `Block`), or no such document exists.
    """
    if cls is Block:
        if not isinstance(name, str) or "/" not in name:
            raise ValueError(f"Block.load needs a block document slug 'block-type-slug/block-name', "
                             f"got {name!r}")
        slug, name = name.split("/", 1)
    else:
        slug = cls.get_block_type_slug()
    try:
        return client.read_block_document_by_name(name, slug, include_secrets=True)
    except ObjectNotFound:
        raise ValueError(f"Unable to find block document named {name} for block type {slug}") from None


def block_from_document(cls: type[Block], document: BlockDocument, validate: bool = True) -> Block:
    """The block `document` holds, as `cls` (for `Block` itself: the class its schema names).

    Raises:
        UnknownBlockType: (`Block`) the block's class cannot be found or imported.
        RuntimeError: the values do not fit the class and `validate` is True; with
            `validate` False the fields that do not fit are left None, with a warning.
    """
    target: type[Block] = cls
    if cls is Block:
        module = document.block_schema.fields.get("headwater_module") if document.block_schema else None
        target = block_class(document.block_type.slug if document.block_type else "", module)
    try:
        block = target.model_validate(document.data)
    except ValidationError as exc:
        if not validate:
            missing = {str(e["loc"][0]): None for e in exc.errors() if e["loc"]}
            # stacklevel: past this function, Block._from_document and Block._load.
            warnings.warn(f"Could not fully load {document.name!r} of block type {target.get_block_type_slug()!r}"
                          f": specify values for the new field(s) {sorted(missing)}, then save it with "
                          "overwrite=True.", stacklevel=4)
            block = target.model_construct(**{**document.data, **missing})
        else:
            raise RuntimeError(f"Unable to load {document.name!r} of block type {target.get_block_type_slug()!r} "
                               "due to failed validation. To load without validation, try loading again with "
                               "`validate=False`.") from None
    block._block_document_id = UUID(document.id)
    block._block_document_name = None if document.is_anonymous else document.name
    block._is_anonymous = document.is_anonymous
    _mark_nested(block, document.block_document_references)
    return block


def _mark_nested(block: Block, references: dict[str, Any], depth: int = 0) -> None:
    """Mark the blocks nested in `block` as saved, from its document's references."""
    if depth > 50:
        return
    for field, reference in references.items():
        nested = getattr(block, field, None)
        info = reference.get("block_document", {}) if isinstance(reference, dict) else {}
        if isinstance(nested, Block) and info.get("id"):
            nested._block_document_id = UUID(str(info["id"]))
            nested._is_anonymous = bool(info.get("is_anonymous"))
            nested._block_document_name = None if nested._is_anonymous else info.get("name")
            _mark_nested(nested, info.get("block_document_references") or {}, depth + 1)
