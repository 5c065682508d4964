"""How results become bytes: "pickle" (cloudpickle, the default), "json",
"compressed/pickle" and "compressed/json".

A serializer is anything with a `type` name, `dumps(value) -> bytes` and
`loads(data) -> value`. Records name the serializer that wrote them, so a record
is read back with the right one even after a task changes its setting.
"""

from __future__ import annotations

import json
import pickle
from typing import Any, Protocol, runtime_checkable

from headwater.results.errors import SerializationError

__all__ = ["JSONSerializer", "PickleSerializer", "Serializer", "resolve_serializer", "serializer_named"]


@runtime_checkable
class Serializer(Protocol):
    """Turns a value into bytes and back."""

    type: str

    def dumps(self, value: Any) -> bytes:
        """Serialize; raise any exception when the value cannot be."""

    def loads(self, data: bytes) -> Any:
        """Deserialize bytes written by `dumps`."""


class PickleSerializer:
    """cloudpickle: any Python value, including lambdas and classes defined in `__main__`."""

    type = "pickle"

    def dumps(self, value: Any) -> bytes:
        import cloudpickle

        data: bytes = cloudpickle.dumps(value)
        return data

    def loads(self, data: bytes) -> Any:
        return pickle.loads(data)

    def __repr__(self) -> str:
        return "PickleSerializer()"


class JSONSerializer:
    """JSON: readable by any tool; tuples come back as lists, dict keys as strings."""

    type = "json"

    def dumps(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, allow_nan=True).encode()

    def loads(self, data: bytes) -> Any:
        return json.loads(data)

    def __repr__(self) -> str:
        return "JSONSerializer()"


_BUILTIN: dict[str, Serializer] = {"pickle": PickleSerializer()}
_ALIASES = {"cloudpickle": "pickle"}


def resolve_serializer(spec: Any) -> Serializer:
    """The serializer for a `result_serializer` option: None, a name, or an object.

    Raises:
        SerializationError: an unknown name, or an object without dumps/loads.
    """
    if spec is None:
        return _BUILTIN["pickle"]
    if isinstance(spec, str):
        named = serializer_named(spec)
        if named is None:
            raise SerializationError(
                f"unknown result_serializer {spec!r}; use 'pickle' (the default), 'json', 'compressed/pickle', "
                "'compressed/json', "
                "or an object with type, dumps() and loads()"
            )
        return named
    if isinstance(getattr(spec, "type", None), str) and callable(getattr(spec, "dumps", None)) \
            and callable(getattr(spec, "loads", None)):
        checked: Serializer = spec  # it has what the protocol asks for
        return checked
    raise SerializationError(
        f"invalid result_serializer={spec!r}: expected 'pickle', 'json' or an object with type, dumps() and loads()"
    )


_TYPED = {"json": "JSONSerializer", "compressed/json": "CompressedJSONSerializer",
          "compressed/pickle": "CompressedPickleSerializer"}


def serializer_named(name: str) -> Serializer | None:
    """The built-in serializer called `name`, or None.

    "json" and the compressed ones are headwater.serializers' (Prefect's types: JSON keeps
    dates, UUIDs, models and exceptions typed), made on first use.
    """
    key = _ALIASES.get(name.lower(), name.lower())
    found = _BUILTIN.get(key)
    if found is None and key in _TYPED:
        import headwater.serializers

        found = _BUILTIN[key] = getattr(headwater.serializers, _TYPED[key])()
    return found
