"""Prefect 3's helpers for nested collections (`prefect.utilities.collections`).

Dicts nested in dicts (merge, flatten, get and set by dotted path), iterables
(`distinct`, `batched_iterable`, `ensure_iterable`), and `visit_collection`, which
walks lists, tuples, sets, dicts, dataclasses, pydantic models and annotations
(`quote`, `unmapped`, ...) calling a function on every item, optionally rebuilding
the structure from what it returns. Re-exported by `headwater.utilities.collections`.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import itertools
import re
from collections.abc import Callable, Collection, Generator, Hashable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

__all__ = [
    "AutoEnum",
    "StopVisiting",
    "batched_iterable",
    "deep_merge",
    "deep_merge_dicts",
    "dict_to_flatdict",
    "distinct",
    "ensure_iterable",
    "extract_instances",
    "flatdict_to_dict",
    "get_from_dict",
    "isiterable",
    "listrepr",
    "remove_nested_keys",
    "set_in_dict",
    "visit_collection",
]


class AutoEnum(str, enum.Enum):
    """An enum whose values are its member names: `RED = AutoEnum.auto()` has value "RED"."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name

    @staticmethod
    def auto() -> Any:
        """The value of a member: its own name."""
        return enum.auto()

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


class StopVisiting(BaseException):
    """Raised by a `visit_collection` function: do not visit inside this item."""


def isiterable(obj: Any) -> bool:
    """Whether `obj` is iterable, strings, bytes and IO objects excepted."""
    import io

    if isinstance(obj, (str, bytes, io.IOBase)):
        return False
    try:
        iter(obj)
    except TypeError:
        return False
    return True


def ensure_iterable(obj: Any) -> Collection[Any]:
    """`obj` itself when it is a sequence or a set (a string counts), else `[obj]`."""
    if isinstance(obj, (Sequence, AbstractSet)):
        return obj
    return [obj]


def listrepr(objs: Iterable[Any], sep: str = " ") -> str:
    """The items' `repr` joined by `sep`."""
    return sep.join(map(repr, objs))


def extract_instances(objects: Iterable[Any], types: type | tuple[type, ...] = object) -> list[Any] | dict[type, list[Any]]:
    """The objects of the given type (a list), or of each given type (a dict by type)."""
    if not isinstance(types, tuple):
        return [obj for obj in objects if isinstance(obj, types)]
    found: dict[type, list[Any]] = {}
    for obj in objects:
        for kind in types:
            if isinstance(obj, kind):
                found.setdefault(kind, []).append(obj)
    return found


def batched_iterable(iterable: Iterable[Any], size: int) -> Generator[tuple[Any, ...], None, None]:
    """Tuples of `size` items in order (the last one may be shorter)."""
    iterator = iter(iterable)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


def distinct(iterable: Iterable[Any], key: Callable[[Any], Hashable] | None = None) -> Iterator[Any]:
    """The items in order, each (or each `key(item)`) only the first time it is seen."""
    seen: set[Hashable] = set()
    for item in iterable:
        marker = key(item) if key is not None else item
        if marker not in seen:
            seen.add(marker)
            yield item


def deep_merge(dct: dict[str, Any], merge: dict[str, Any]) -> dict[str, Any]:
    """A new dict: `dct` updated by `merge`, nested dicts merged key by key."""
    result = dict(dct)
    for key, value in merge.items():
        if isinstance(result.get(key), dict) and isinstance(value, dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result


def deep_merge_dicts(*dicts: dict[str, Any]) -> dict[str, Any]:
    """`deep_merge` of all the dicts, later ones winning."""
    result: dict[str, Any] = {}
    for dct in dicts:
        result = deep_merge(result, dct)
    return result


def dict_to_flatdict(dct: dict[Any, Any], _parent: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    """Nested dicts as one dict keyed by key paths: `{"a": {"b": 1}}` -> `{("a", "b"): 1}`."""
    flat: dict[tuple[Any, ...], Any] = {}
    for key, value in dct.items():
        path = (*_parent, key)
        if isinstance(value, dict) and value:
            flat.update(dict_to_flatdict(value, path))
        else:
            flat[path] = value
    return flat


def flatdict_to_dict(dct: dict[tuple[Any, ...], Any]) -> dict[Any, Any]:
    """The inverse of `dict_to_flatdict`."""
    nested: dict[Any, Any] = {}
    for path, value in dct.items():
        target = nested
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
    return nested


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(keys: str | list[str]) -> list[Any]:
    if isinstance(keys, list):
        return keys
    return [int(index) if index else name for name, index in _PATH_PART.findall(keys)]


def get_from_dict(dct: dict[str, Any], keys: str | list[str], default: Any = None) -> Any:
    """The value at a path such as `"a.b[1].c"` (or a list of keys), or `default`."""
    value: Any = dct
    for key in _path(keys):
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return default
    return value


def set_in_dict(dct: dict[str, Any], keys: str | list[str], value: Any) -> None:
    """Set the value at a dotted path, making the dicts on the way.

    Raises:
        TypeError: a key on the path holds something other than a dict.
    """
    path = _path(keys)
    target: Any = dct
    for key in path[:-1]:
        target = target.setdefault(key, {})
        if not isinstance(target, dict):
            raise TypeError(f"Key path exists and contains a non-dict value: {keys}")
    target[path[-1]] = value


def remove_nested_keys(keys_to_remove: list[Hashable], obj: Any) -> Any:
    """A copy of `obj` without the given keys at any depth of its dicts."""
    if not isinstance(obj, dict):
        return obj
    return {key: remove_nested_keys(keys_to_remove, value) for key, value in obj.items() if key not in keys_to_remove}


def _rebuild(expr: Any, visit: Callable[[Any], Any], remove_annotations: bool) -> Any:
    """`expr` with each item replaced by `visit(item)`, or `expr` itself when it holds none."""
    from headwater.utilities.annotations import BaseAnnotation, unmapped

    if isinstance(expr, (BaseAnnotation, unmapped)):
        value = visit(expr.value)
        return value if remove_annotations else type(expr)(value)
    if isinstance(expr, (list, set, frozenset)):
        return type(expr)(visit(item) for item in expr)
    if isinstance(expr, tuple):
        items = [visit(item) for item in expr]
        return type(expr)(*items) if hasattr(expr, "_fields") else type(expr)(items)
    if isinstance(expr, dict):
        return type(expr)((visit(key), visit(value)) for key, value in expr.items())
    if dataclasses.is_dataclass(expr) and not isinstance(expr, type):
        changes = {f.name: visit(getattr(expr, f.name)) for f in dataclasses.fields(expr) if f.init}
        return dataclasses.replace(expr, **changes)
    fields = getattr(type(expr), "model_fields", None)
    if isinstance(fields, dict) and hasattr(expr, "model_copy"):
        return expr.model_copy(update={name: visit(getattr(expr, name)) for name in fields})
    return expr


def visit_collection(expr: Any, visit_fn: Callable[..., Any], *, return_data: bool = False, max_depth: int = -1,
                     context: dict[str, Any] | None = None, remove_annotations: bool = False,
                     _seen: set[int] | None = None) -> Any:
    """Call `visit_fn` on `expr` and then on everything inside it, depth first.

    `visit_fn(item)` (or `visit_fn(item, context)` when it takes a `context`) is called
    on a container before its items, and the items visited are those of what it
    returned. Raising `StopVisiting` in it keeps that item as it is and does not go
    inside it.

    Args:
        expr: the structure to walk.
        visit_fn: called on every item.
        return_data: rebuild the structure from `visit_fn`'s results and return it
            (otherwise return None).
        max_depth: how many levels to go into (-1: all).
        context: a dict handed to `visit_fn`s that take one.
        remove_annotations: replace `quote(x)`, `unmapped(x)`, ... by `x` in the result.
    """
    takes_context = "context" in inspect.signature(visit_fn).parameters
    context = {} if takes_context and context is None else context
    seen = set() if _seen is None else _seen
    try:
        result = visit_fn(expr, context) if takes_context else visit_fn(expr)
    except StopVisiting:
        return expr if return_data else None
    if return_data:
        expr = result
    if max_depth == 0 or id(expr) in seen:
        return result if return_data else None
    seen.add(id(expr))

    def visit_nested(item: Any) -> Any:
        return visit_collection(item, visit_fn, return_data=return_data, max_depth=max_depth - 1,
                                context=dict(context) if context is not None else None,
                                remove_annotations=remove_annotations, _seen=seen)

    try:
        rebuilt = _rebuild(expr, visit_nested, remove_annotations)
    finally:
        seen.discard(id(expr))
    return rebuilt if return_data else None
