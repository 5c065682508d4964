"""What a Block class tells the server about itself, and its values as stored.

- `secret_field_paths(cls)`: the dotted paths of its secret values, as Prefect names
  them (`password`, `extra.*` for a `SecretDict`, `inner.token` inside a nested model);
- `add_block_keys(cls, schema)`: pydantic's JSON schema plus Prefect's block keys
  (`block_type_slug`, `secret_fields`, `block_schema_references`, `description`);
- `reveal(value)`: a field's value as JSON with its secrets in clear, for saving (only
  ever sent to the store, which encrypts them).
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import pydantic
from pydantic import BaseModel, SecretBytes, SecretStr

from headwater.blocks.fields import SecretDict

if TYPE_CHECKING:
    from headwater.blocks.core import Block

__all__ = ["add_block_keys", "is_block_class", "reveal", "secret_field_paths"]


def is_block_class(value: Any) -> bool:
    """Whether `value` is a Block subclass."""
    from headwater.blocks.core import Block

    return isinstance(value, type) and issubclass(value, Block)


def _nested_args(annotation: Any) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, dict, typing.Annotated):
        return tuple(a for a in get_args(annotation) if a is not type(None) and a is not Ellipsis)
    return ()


def _is_secret_type(annotation: Any) -> bool:
    if annotation in (SecretStr, SecretBytes):
        return True
    origin = get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, pydantic.Secret) and not issubclass(origin, SecretDict)


def _collect(name: str, annotation: Any, found: list[str], seen: set[Any]) -> None:
    nested = _nested_args(annotation)
    if nested:
        for arg in nested:
            _collect(name, arg, found, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, SecretDict):
        found.append(f"{name}.*")
    elif _is_secret_type(annotation):
        found.append(name)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
        seen = seen | {annotation}
        for field_name, field in annotation.model_fields.items():
            if field.annotation is not None:
                _collect(f"{name}.{field_name}", field.annotation, found, seen)


def secret_field_paths(cls: type[BaseModel]) -> list[str]:
    """The dotted paths of the secret values of `cls`'s fields (see the module docstring)."""
    found: list[str] = []
    for name, field in cls.model_fields.items():
        if field.annotation is not None:
            _collect(name, field.annotation, found, {cls})
    return found


def _block_references(cls: type[Block]) -> dict[str, Any]:
    refs: dict[str, Any] = {}

    def visit(field_name: str, annotation: Any) -> None:
        if is_block_class(annotation):
            entry = {"block_type_slug": annotation.get_block_type_slug()}
            current = refs.get(field_name)
            refs[field_name] = entry if current is None else [*(current if isinstance(current, list)
                                                                 else [current]), entry]
        for arg in _nested_args(annotation):
            visit(field_name, arg)

    for name, field in cls.model_fields.items():
        if field.annotation is not None:
            visit(name, field.annotation)
    return refs


def add_block_keys(cls: type[Block], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (pydantic's, for `cls`) with Prefect's block keys added (see the module docstring)."""
    if "$defs" in schema:  # Prefect's name for them, which its UI and ours resolve
        schema["definitions"] = schema.pop("$defs")
    _drop_key(schema, "additionalProperties")
    nested = {c.__name__: c for f in cls.model_fields.values() for c in _classes_in(f.annotation)
              if is_block_class(c) and c is not cls}
    for name, definition in (schema.get("definitions") or {}).items():
        if name in nested and isinstance(definition, dict):
            definition["block_type_slug"] = nested[name].get_block_type_slug()
            definition["secret_fields"] = secret_field_paths(nested[name])
            definition["block_schema_references"] = _block_references(nested[name])
    schema["block_type_slug"] = cls.get_block_type_slug()
    description = cls.get_description()
    if description:
        schema["description"] = description
    else:
        schema.pop("description", None)
    schema["secret_fields"] = secret_field_paths(cls)
    schema["block_schema_references"] = _block_references(cls)
    for position, name in enumerate(schema.get("properties", {})):
        if isinstance(schema["properties"][name], dict):
            schema["properties"][name]["position"] = position
    return schema


def _drop_key(schema: Any, key: str) -> None:
    if isinstance(schema, dict):
        schema.pop(key, None)
        for value in schema.values():
            _drop_key(value, key)
    elif isinstance(schema, list):
        for value in schema:
            _drop_key(value, key)


def _classes_in(annotation: Any) -> list[Any]:
    return [annotation, *[c for arg in _nested_args(annotation) for c in _classes_in(arg)]] if annotation else []


def reveal(value: Any) -> Any:
    """`value` as JSON, secrets in clear (nested blocks included: they are handled
    by the caller before this when they are saved separately)."""
    if isinstance(value, (SecretStr, SecretBytes, pydantic.Secret)):
        inner = value.get_secret_value()
        return inner.decode() if isinstance(inner, bytes) else reveal(inner)
    if isinstance(value, BaseModel):
        return {name: reveal(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {str(k): reveal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [reveal(v) for v in value]
    return pydantic.TypeAdapter(Any).dump_python(value, mode="json")
