"""`Block`: typed configuration saved under a name and loaded back (`prefect.blocks.core`).

    from pydantic import SecretStr
    from headwater.blocks.core import Block

    class Warehouse(Block):
        host: str
        password: SecretStr

    Warehouse(host="db.local", password="s3cret").save("prod")     # the document's id
    Warehouse.load("prod").password.get_secret_value()             # 's3cret'
    Block.load("warehouse/prod")                                   # by slug, any class
    Warehouse.delete("prod")

A block type (its slug comes from `_block_type_slug`, else `_block_type_name`, else
the class name: `Warehouse` -> `warehouse`) and its schema are registered on the
first save, or by `headwater block register`. Secret fields (`SecretStr`,
`pydantic.Secret`, `SecretDict`) show masked in a block's repr, are encrypted at rest
and masked in the API and UI. A field that is itself a block is saved as its own
document (anonymous if it had no name) and referenced, and is loaded back in place.

As in Prefect, `save`, `load` and `delete` return coroutines when called from async
code (an `async def` flow or task, or a running event loop); `asave`, `aload` and
`adelete` always do. `_sync=True` forces the synchronous call.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import textwrap
import types
import weakref
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_serializer, model_validator

from headwater.blocks.registry import UnknownBlockType, register_block_class
from headwater.core.async_dispatch import dispatch
from headwater.client.kept import kept_client
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound

if TYPE_CHECKING:
    from pydantic import SerializerFunctionWrapHandler

    from headwater.client.sync_client import SyncPrefectClient
    from headwater.core.block_schemas import BlockDocument, BlockSchema

__all__ = ["Block", "BlockNotSavedError", "InvalidBlockRegistration", "UnionTypes", "UnknownBlockType",
           "block_schema_to_key", "schema_extra"]

UnionTypes: tuple[object, ...] = (Union, types.UnionType)
"""The forms a union annotation takes (`Union[a, b]` and `a | b`)."""

DEFAULT_BLOCK_SCHEMA_VERSION = "non-versioned"
_METADATA = ("block_type_slug", "_block_document_id", "_block_document_name", "_is_anonymous")

# Which Block classes are registered through which client: (type id, schema id).
_registered: weakref.WeakKeyDictionary[Any, dict[type[Block], tuple[UUID, UUID]]] = weakref.WeakKeyDictionary()


def block_schema_to_key(schema: BlockSchema) -> str:
    """The key a block class is looked up by for a stored schema: its block type's slug."""
    if schema.block_type is None:
        raise ValueError("Block type is not set")
    return schema.block_type.slug


def schema_extra(schema: dict[str, Any], model: type[Block]) -> None:
    """Add the block keys (`block_type_slug`, `secret_fields`, ...) to `model`'s JSON schema, in place."""
    from headwater.blocks.schema import add_block_keys

    add_block_keys(model, schema)


class BlockNotSavedError(RuntimeError):
    """A block that was never saved is used where a saved one is needed."""


class InvalidBlockRegistration(Exception):
    """A block class cannot be registered (not a Block, or abstract)."""


class Block(BaseModel):
    """A typed, named piece of configuration kept by headwater (see the module docstring).

    Subclass it and declare fields; override `block_initialization` instead of
    `__init__` to run code after a block is made.
    """

    model_config = ConfigDict(extra="allow")

    _block_type_name: ClassVar[Optional[str]] = None
    _block_type_slug: ClassVar[Optional[str]] = None
    _logo_url: ClassVar[Optional[Any]] = None
    _documentation_url: ClassVar[Optional[Any]] = None
    _description: ClassVar[Optional[str]] = None
    _code_example: ClassVar[Optional[str]] = None
    _block_type_id: ClassVar[Optional[UUID]] = None
    _block_schema_id: ClassVar[Optional[UUID]] = None
    _block_schema_capabilities: ClassVar[Optional[list[str]]] = None
    _block_schema_version: ClassVar[Optional[str]] = None

    _block_document_id: Optional[UUID] = PrivateAttr(None)
    _block_document_name: Optional[str] = PrivateAttr(None)
    _is_anonymous: Optional[bool] = PrivateAttr(None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.block_initialization()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__pydantic_generic_metadata__.get("origin") is None:  # not `Secret[str]`
            register_block_class(cls)

    def block_initialization(self) -> None:
        """Called after a block is made; override to set up what the block needs."""

    def __str__(self) -> str:
        return self.__repr__()

    def __repr_args__(self) -> Any:
        fields = type(self).model_fields
        return [(key, value) for key, value in super().__repr_args__() if key is None or key in fields]

    @model_validator(mode="before")
    @classmethod
    def _drop_metadata(cls, values: Any) -> Any:
        if isinstance(values, dict) and any(key in values for key in _METADATA):
            slug = values.get("block_type_slug")
            if slug and slug != cls.get_block_type_slug():
                raise ValueError(f"Invalid block_type_slug: expected '{cls.get_block_type_slug()}', got '{slug}'")
            values = {k: v for k, v in values.items() if k not in _METADATA}
        return values

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            data["block_type_slug"] = self.get_block_type_slug()
        return data

    # -- what the block type is -----------------------------------------------------------
    @classmethod
    def get_block_type_name(cls) -> str:
        """The block type's name: `_block_type_name`, else the class name."""
        return cls._block_type_name or cls.__name__

    @classmethod
    def get_block_type_slug(cls) -> str:
        """The block type's slug: `_block_type_slug`, else the name slugified."""
        from headwater.core.block_schemas import slugify

        return slugify(cls._block_type_slug or cls.get_block_type_name())

    @classmethod
    def get_block_capabilities(cls) -> frozenset[str]:
        """Capabilities declared by this class and its bases (`_block_schema_capabilities`)."""
        return frozenset(c for base in cls.__mro__ for c in (getattr(base, "_block_schema_capabilities", None) or []))

    @classmethod
    def get_block_schema_version(cls) -> str:
        """`_block_schema_version`, else the version of the package defining the class."""
        if cls._block_schema_version:
            return cls._block_schema_version
        top = sys.modules.get(cls.__module__.split(".")[0])
        version = getattr(top, "__version__", None)
        return str(version) if isinstance(version, str) and version else DEFAULT_BLOCK_SCHEMA_VERSION

    @classmethod
    def get_description(cls) -> Optional[str]:
        """`_description`, else the first part of the class docstring (before its sections)."""
        if cls._description:
            return cls._description
        doc = cls.__doc__ if "__doc__" in cls.__dict__ else None
        if not doc or cls is Block:
            return None
        lines = []
        for line in textwrap.dedent(inspect.cleandoc(doc)).splitlines():
            if line.rstrip().endswith(":") and line.strip().split(":")[0] in (
                    "Args", "Attributes", "Example", "Examples", "Returns", "Raises", "Note"):
                break
            lines.append(line)
        return "\n".join(lines).strip() or None

    @classmethod
    def get_code_example(cls) -> Optional[str]:
        """`_code_example`, else a load example for this class."""
        if cls._code_example:
            return cls._code_example
        return (f"```python\nfrom {cls.__module__} import {cls.__name__}\n\n"
                f'{cls.get_block_type_slug().replace("-", "_")}_block = {cls.__name__}.load("BLOCK_NAME")\n```')

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON schema with Prefect's block keys (`block_type_slug`, `secret_fields`,
        `block_schema_references`, `description`)."""
        from headwater.blocks.schema import add_block_keys

        kwargs.setdefault("ref_template", "#/definitions/{model}")
        return add_block_keys(cls, super().model_json_schema(*args, **kwargs))

    @classmethod
    def is_block_class(cls, block: Any) -> bool:
        """Whether `block` is a Block subclass."""
        return isinstance(block, type) and issubclass(block, Block)

    def get_block_placeholder(self) -> str:
        """The template that refers to this saved block (`{{ prefect.blocks.slug.name }}`).

        Raises:
            BlockNotSavedError: the block was never saved.
        """
        if self._block_document_name is None:
            raise BlockNotSavedError("Could not generate block placeholder for unsaved block.")
        return f"{{{{ prefect.blocks.{self.get_block_type_slug()}.{self._block_document_name} }}}}"

    # -- registration ---------------------------------------------------------------------
    @classmethod
    def _schema_fields(cls) -> dict[str, Any]:
        # Where the class lives, so a process that has not imported it can (block_class).
        return {**cls.model_json_schema(), "headwater_module": cls.__module__}

    @classmethod
    def _register(cls, client: SyncPrefectClient) -> tuple[UUID, UUID]:
        done = _registered.setdefault(client, {})
        if cls in done:
            return done[cls]
        if cls is Block or inspect.isabstract(cls):
            raise InvalidBlockRegistration(f"`{cls.__name__}` is not a concrete block class and cannot be registered")
        from headwater.blocks.schema import is_block_class
        from headwater.core.block_schemas import BlockSchemaCreate, BlockTypeCreate

        for field in cls.model_fields.values():
            for nested in _blocks_in(field.annotation):
                if is_block_class(nested) and nested is not cls:
                    nested._register(client)
        slug = cls.get_block_type_slug()
        wanted = {"name": cls.get_block_type_name(), "slug": slug,
                  "logo_url": str(cls._logo_url) if cls._logo_url else None,
                  "documentation_url": str(cls._documentation_url) if cls._documentation_url else None,
                  "description": cls.get_description(), "code_example": cls.get_code_example()}
        try:
            block_type = client.read_block_type_by_slug(slug)
        except ObjectNotFound:
            try:
                block_type = client.create_block_type(BlockTypeCreate(**wanted))
            except ObjectAlreadyExists:  # registered by another process meanwhile
                block_type = client.read_block_type_by_slug(slug)
        if any(getattr(block_type, k) != wanted[k] for k in ("logo_url", "documentation_url", "description",
                                                                "code_example")):
            client.update_block_type(block_type.id, {k: wanted[k] for k in (
                "logo_url", "documentation_url", "description", "code_example")})
        schema = client.create_block_schema(BlockSchemaCreate(
            fields=cls._schema_fields(), block_type_id=block_type.id,
            capabilities=sorted(cls.get_block_capabilities()), version=cls.get_block_schema_version()))
        ids = done[cls] = (UUID(block_type.id), UUID(schema.id))
        cls._block_type_id, cls._block_schema_id = ids
        return ids

    @classmethod
    def register_type_and_schema(cls, client: Any = None, _sync: bool | None = None) -> Any:
        """Register this block type and its schema (and those of nested blocks).

        Returns a coroutine in async code (see the module docstring).
        """
        return dispatch(lambda: cls._register(client or kept_client()) and None,
                        lambda: cls.aregister_type_and_schema(client), _sync)

    @classmethod
    async def aregister_type_and_schema(cls, client: Any = None) -> None:
        """`register_type_and_schema` for async code."""
        await asyncio.to_thread(cls._register, _sync_client(client) or kept_client())

    # -- save -----------------------------------------------------------------------------
    def _save(self, name: str | None, *, is_anonymous: bool = False, overwrite: bool = False,
              client: SyncPrefectClient | None = None) -> UUID:
        from headwater.blocks.documents import save_document

        return save_document(self, name, is_anonymous=is_anonymous, overwrite=overwrite, client=client)

    def save(self, name: str | None = None, overwrite: bool = False, client: Any = None,
             _sync: bool | None = None) -> Any:
        """Save the block's values under `name`; returns the document's id (a UUID).

        Raises:
            ValueError: the name is taken by this block type and `overwrite` is False,
                or the name is not lowercase letters, numbers and dashes.

        Returns a coroutine in async code (see the module docstring).
        """
        return dispatch(lambda: self._save(name, overwrite=overwrite, client=client),
                        lambda: self.asave(name, overwrite=overwrite, client=client), _sync)

    async def asave(self, name: str | None = None, overwrite: bool = False, client: Any = None) -> UUID:
        """`save` for async code."""
        return await asyncio.to_thread(lambda: self._save(name, overwrite=overwrite, client=_sync_client(client)))

    # -- load -----------------------------------------------------------------------------
    @classmethod
    def _document(cls, name: str, client: SyncPrefectClient) -> BlockDocument:
        from headwater.blocks.documents import read_document

        return read_document(cls, name, client)

    @classmethod
    def _from_document(cls, document: BlockDocument, validate: bool = True) -> Block:
        from headwater.blocks.documents import block_from_document

        return block_from_document(cls, document, validate)

    @classmethod
    def _load(cls, name: str, validate: bool = True, client: SyncPrefectClient | None = None) -> Any:
        return cls._from_document(cls._document(name, client or kept_client()), validate)

    @classmethod
    def load(cls, name: str, validate: bool = True, client: Any = None, _sync: bool | None = None) -> Any:
        """The block saved as `name` (for `Block` itself: `"block-type-slug/name"`).

        Raises:
            ValueError: no block of this type has this name.
            UnknownBlockType: (`Block.load`) the block's class cannot be found or imported.
            RuntimeError: the stored values do not fit the class (try `validate=False`).

        Returns a coroutine in async code (see the module docstring).
        """
        return dispatch(lambda: cls._load(name, validate, client),
                        lambda: cls.aload(name, validate, client), _sync)

    @classmethod
    async def aload(cls, name: str, validate: bool = True, client: Any = None) -> Any:
        """`load` for async code."""
        return await asyncio.to_thread(cls._load, name, validate, _sync_client(client))

    @classmethod
    def load_from_ref(cls, ref: str | UUID | dict[str, Any], validate: bool = True, client: Any = None) -> Any:
        """The block saved with this document id (or `{"block_document_id": id}`,
        `{"block_document_slug": "slug/name"}`)."""
        client = _sync_client(client) or kept_client()
        if isinstance(ref, dict):
            if "block_document_slug" in ref:
                return Block._load(str(ref["block_document_slug"]), validate, client)
            ref = ref.get("block_document_id", "")
        try:
            document = client.read_block_document(str(ref), include_secrets=True)
        except ObjectNotFound:
            raise ValueError(f"Unable to find block document with ID {str(ref)!r}") from None
        return cls._from_document(document, validate)

    # -- delete ---------------------------------------------------------------------------
    @classmethod
    def _delete(cls, name: str, client: SyncPrefectClient | None = None) -> None:
        client = client or kept_client()
        client.delete_block_document(cls._document(name, client).id)

    @classmethod
    def delete(cls, name: str, client: Any = None, _sync: bool | None = None) -> Any:
        """Delete the block saved as `name`.

        Raises:
            ValueError: no block of this type has this name.

        Returns a coroutine in async code (see the module docstring).
        """
        return dispatch(lambda: cls._delete(name, client), lambda: cls.adelete(name, client), _sync)

    @classmethod
    async def adelete(cls, name: str, client: Any = None) -> None:
        """`delete` for async code."""
        await asyncio.to_thread(cls._delete, name, _sync_client(client))


def _blocks_in(annotation: Any) -> list[Any]:
    from typing import get_args

    return [annotation, *[a for arg in get_args(annotation) for a in _blocks_in(arg)]] if annotation else []


def _sync_client(client: Any) -> SyncPrefectClient | None:
    """The synchronous client behind `client` (an async `PrefectClient` has one)."""
    if client is None:
        return None
    sync: SyncPrefectClient = getattr(client, "_sync", client)
    return sync
