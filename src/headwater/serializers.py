"""Result serializers by object, as in `prefect.serializers`:

    PickleSerializer(picklelib="cloudpickle")   any Python value (the default serializer)
    JSONSerializer()                            JSON; dates, UUIDs, pydantic models and
                                                other types pydantic knows come back typed
    CompressedSerializer(serializer="pickle", compressionlib="lzma")
    CompressedPickleSerializer(), CompressedJSONSerializer()

Each has `type`, `dumps(value) -> bytes` and `loads(bytes)`; pass one as
`result_serializer=` of a task or flow, or to `ResultStore(serializer=...)`.
"""

from __future__ import annotations

import importlib
from typing import Any

from headwater.results.serializers import Serializer

__all__ = [
    "CompressedJSONSerializer",
    "CompressedPickleSerializer",
    "CompressedSerializer",
    "JSONSerializer",
    "PickleSerializer",
    "Serializer",
]


def _load(qualified_name: str) -> Any:
    """The object named `package.module.name` (a module if that is what it names)."""
    try:
        return importlib.import_module(qualified_name)
    except ImportError:
        module, _, name = qualified_name.rpartition(".")
        if not module:
            raise
        return getattr(importlib.import_module(module), name)


def _check_library(value: str, *functions: str) -> str:
    try:
        library = _load(value)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"{value!r} cannot be imported: {exc}") from None
    missing = [f for f in functions if not callable(getattr(library, f, None))]
    if missing:
        raise ValueError(f"{value!r} has no {' / '.join(missing)}(): it cannot be used here")
    return value


class PickleSerializer:
    """Pickle with `picklelib` (default cloudpickle, which also handles lambdas and
    classes defined in `__main__`)."""

    type = "pickle"

    def __init__(self, picklelib: str = "cloudpickle", picklelib_version: str | None = None) -> None:
        self.picklelib = _check_library(picklelib, "dumps", "loads")
        self.picklelib_version = picklelib_version

    def dumps(self, obj: Any) -> bytes:
        blob: bytes = _load(self.picklelib).dumps(obj)  # a library checked by name in __init__
        return blob

    def loads(self, blob: bytes) -> Any:
        return _load(self.picklelib).loads(blob)

    def __repr__(self) -> str:
        return f"PickleSerializer(picklelib={self.picklelib!r})"


def json_object_encoder(obj: Any) -> Any:
    """Encode what plain JSON cannot hold: an exception as `{"__exc_type__": <import path>,
    "message": ...}`, anything else as `{"__class__": <import path>, "data": ...}` (its
    data as pydantic renders it; a TypeError when pydantic cannot)."""
    from pydantic_core import PydanticSerializationError, to_jsonable_python

    kind = type(obj)
    if isinstance(obj, BaseException):
        return {"__exc_type__": f"{kind.__module__}.{kind.__qualname__}", "message": str(obj)}
    try:
        data = to_jsonable_python(obj)
    except PydanticSerializationError as exc:
        raise TypeError(f"Object of type {kind.__name__} is not JSON serializable: {exc}") from None
    return {"__class__": f"{kind.__module__}.{kind.__qualname__}", "data": data}


def json_object_decoder(value: dict[str, Any]) -> Any:
    """Rebuild what `json_object_encoder` wrote; other dicts, and classes that cannot be
    imported here, pass through as dicts."""
    if "__class__" in value and "data" in value and len(value) == 2:
        from pydantic import TypeAdapter

        try:
            kind = _load(value["__class__"])
        except (ImportError, AttributeError):
            return value
        return TypeAdapter(kind).validate_python(value["data"])
    if "__exc_type__" in value and "message" in value and len(value) == 2:
        try:
            kind = _load(value["__exc_type__"])
        except (ImportError, AttributeError):
            raise ValueError(f"Invalid exception type: {value['__exc_type__']!r}") from None
        if not (isinstance(kind, type) and issubclass(kind, BaseException)):
            raise ValueError(f"Invalid exception type: {value['__exc_type__']!r}")
        return kind(value["message"])
    return value


class JSONSerializer:
    """JSON as UTF-8 bytes, through `jsonlib` (default the standard library's json).

    Args:
        object_encoder / object_decoder: import paths of the functions for values JSON
            cannot hold (default: typed round trips through pydantic); None for plain JSON.
        dumps_kwargs / loads_kwargs: passed to the library's dumps / loads.
    """

    type = "json"

    def __init__(self, jsonlib: str = "json",
                 object_encoder: str | None = "headwater.serializers.json_object_encoder",
                 object_decoder: str | None = "headwater.serializers.json_object_decoder",
                 dumps_kwargs: dict[str, Any] | None = None, loads_kwargs: dict[str, Any] | None = None) -> None:
        if dumps_kwargs and "default" in dumps_kwargs:
            raise ValueError("dumps_kwargs cannot contain 'default': use object_encoder")
        if loads_kwargs and "object_hook" in loads_kwargs:
            raise ValueError("loads_kwargs cannot contain 'object_hook': use object_decoder")
        self.jsonlib = _check_library(jsonlib, "dumps", "loads")
        self.object_encoder = object_encoder
        self.object_decoder = object_decoder
        self.dumps_kwargs = dict(dumps_kwargs or {})
        self.loads_kwargs = dict(loads_kwargs or {})

    def dumps(self, obj: Any) -> bytes:
        kwargs = dict(self.dumps_kwargs)
        if self.object_encoder:
            kwargs["default"] = _load(self.object_encoder)
        result = _load(self.jsonlib).dumps(obj, **kwargs)
        return result.encode() if isinstance(result, str) else result

    def loads(self, blob: bytes) -> Any:
        kwargs = dict(self.loads_kwargs)
        if self.object_decoder:
            kwargs["object_hook"] = _load(self.object_decoder)
        return _load(self.jsonlib).loads(blob.decode(), **kwargs)

    def __repr__(self) -> str:
        return f"JSONSerializer(jsonlib={self.jsonlib!r})"


class CompressedSerializer:
    """Another serializer's bytes, compressed with `compressionlib` (default lzma).

    Args:
        serializer: "pickle", "json" or a serializer object.
        level: passed to `compress` when given.
    """

    type = "compressed"

    def __init__(self, serializer: Any = "pickle", compressionlib: str = "lzma", level: int | None = None) -> None:
        from headwater.results.serializers import resolve_serializer

        if isinstance(serializer, str):
            serializer = {"pickle": PickleSerializer, "json": JSONSerializer}.get(serializer, lambda: serializer)()
        self.serializer = resolve_serializer(serializer)
        self.compressionlib = _check_library(compressionlib, "compress", "decompress")
        self.level = level

    def dumps(self, obj: Any) -> bytes:
        library = _load(self.compressionlib)
        blob = self.serializer.dumps(obj)
        compressed: bytes = library.compress(blob) if self.level is None else library.compress(blob, self.level)
        return compressed

    def loads(self, blob: bytes) -> Any:
        return self.serializer.loads(_load(self.compressionlib).decompress(blob))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(serializer={self.serializer!r}, compressionlib={self.compressionlib!r})"


class CompressedPickleSerializer(CompressedSerializer):
    """`CompressedSerializer` over pickle."""

    type = "compressed/pickle"

    def __init__(self, compressionlib: str = "lzma", level: int | None = None) -> None:
        super().__init__(PickleSerializer(), compressionlib, level)


class CompressedJSONSerializer(CompressedSerializer):
    """`CompressedSerializer` over JSON."""

    type = "compressed/json"

    def __init__(self, compressionlib: str = "lzma", level: int | None = None) -> None:
        super().__init__(JSONSerializer(), compressionlib, level)


# Prefect's names for the default JSON hooks.
prefect_json_object_encoder = json_object_encoder
prefect_json_object_decoder = json_object_decoder
