"""Prefect 1's collection helpers (`prefect.utilities.collections`)."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, MutableMapping
from typing import Any

__all__ = ["DotDict", "as_nested_dict", "flatten_seq", "merge_dicts"]


def flatten_seq(seq: Iterable[Any]) -> Generator[Any, None, None]:
    """Every non-sequence element of nested lists, tuples and sets, depth first."""
    for item in seq:
        if isinstance(item, (list, tuple, set)):
            yield from flatten_seq(item)
        else:
            yield item


class DotDict(MutableMapping[str, Any]):
    """A dict whose keys also read and write as attributes."""

    def __init__(self, init_dict: Any = None, **kwargs: Any) -> None:
        if init_dict:
            self.update(init_dict)
        self.update(kwargs)

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.__dict__[key] = value

    def __delitem__(self, key: str) -> None:
        del self.__dict__[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__.keys())

    def __len__(self) -> int:
        return len(self.__dict__)

    def __repr__(self) -> str:
        if len(self) > 0:
            return f"<{type(self).__name__}: {', '.join(sorted(repr(k) for k in self.__dict__))}>"
        return f"<{type(self).__name__}>"

    def copy(self) -> DotDict:
        return type(self)(self.__dict__.copy())

    def to_dict(self) -> dict[str, Any]:
        """A plain dict, nested DotDicts converted too."""
        plain: dict[str, Any] = as_nested_dict(self, dict)
        return plain


def merge_dicts(d1: MutableMapping[str, Any], d2: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A copy of `d1` updated by `d2`, merging nested mappings key by key."""
    new: MutableMapping[str, Any] = d1.copy() if isinstance(d1, (dict, DotDict)) else dict(d1)
    for key, value in d2.items():
        if isinstance(new.get(key), MutableMapping) and isinstance(value, MutableMapping):
            new[key] = merge_dicts(new[key], value)
        else:
            new[key] = value
    return new


def as_nested_dict(obj: Any, dct_class: type = DotDict) -> Any:
    """`obj` with every mapping inside it (at any depth) made a `dct_class`."""
    if isinstance(obj, (list, tuple, set)):
        return type(obj)(as_nested_dict(d, dct_class) for d in obj)
    if isinstance(obj, (dict, DotDict)):
        return dct_class({k: as_nested_dict(v, dct_class) for k, v in obj.items()})
    return obj


# -- Prefect 3's helpers (prefect.utilities.collections), defined in utilities/nested.py --
from headwater.utilities.nested import (  # noqa: E402 - kept together as one block
    AutoEnum,
    StopVisiting,
    batched_iterable,
    deep_merge,
    deep_merge_dicts,
    dict_to_flatdict,
    distinct,
    ensure_iterable,
    extract_instances,
    flatdict_to_dict,
    get_from_dict,
    isiterable,
    listrepr,
    remove_nested_keys,
    set_in_dict,
    visit_collection,
)

__all__ += [
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
