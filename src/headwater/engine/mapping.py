"""Expanding `Task.map(...)` arguments into one call per element."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from headwater.engine.futures import HeadwaterFuture, unmapped
from headwater.exceptions import MappingLengthMismatch, MappingMissingIterable

__all__ = ["expand_map_calls"]

_WHOLE = (str, bytes, io.IOBase)  # iterable, but passed whole, as in Prefect (a dict maps over its keys)


def expand_map_calls(task_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
                     ) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """One (args, kwargs) per mapped call.

    Every iterable argument (a list, a tuple, a dict's keys, the futures of another
    map, a future whose result is iterable) is mapped element-wise; `unmapped(x)`,
    strings, bytes and non-iterables are passed whole to every call. An argument in
    `quote`, `opaque` or `allow_failure` is looked at inside its wrapper, and each call
    gets its part wrapped again, as in Prefect.

    Raises:
        MappingLengthMismatch: mapped arguments have different lengths (names them).
        MappingMissingIterable: nothing to map over.
    """
    mapped: dict[int | str, list[Any]] = {}
    static: dict[int | str, Any] = {}
    wrappers: dict[int | str, Any] = {}
    arguments: list[tuple[int | str, Any]] = [*enumerate(args), *kwargs.items()]
    for key, value in arguments:
        if isinstance(value, tuple) and type(value) is not tuple and getattr(value, "_annotation", None):
            wrappers[key] = value
            value = value[0]
            if isinstance(value, HeadwaterFuture):  # resolved (or not) by the run itself
                static[key] = value
                continue
        if isinstance(value, unmapped):
            static[key] = value.value
            continue
        if isinstance(value, HeadwaterFuture):
            value = value.result()  # a future of a list: map over its elements
        if isinstance(value, Iterable) and not isinstance(value, _WHOLE):
            mapped[key] = list(value)
        else:
            static[key] = value
    if not mapped:
        raise MappingMissingIterable(
            f"{task_name}.map() needs at least one iterable argument to map over; "
            "use the task directly or .submit() for a single call"
        )
    lengths = {key: len(values) for key, values in mapped.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{_label(key)} has {n}" for key, n in lengths.items())
        raise MappingLengthMismatch(
            f"{task_name}.map() got iterables of different lengths ({described}); "
            "wrap an argument in unmapped(...) to pass it whole"
        )
    count = next(iter(lengths.values()))
    calls = []
    for i in range(count):
        call_args = tuple(mapped[k][i] if k in mapped else static[k] for k in range(len(args)))
        call_kwargs = {k: (mapped[k][i] if k in mapped else static[k]) for k in kwargs}
        if wrappers:
            call_args = tuple(wrappers[k].rewrap(v) if k in wrappers else v for k, v in enumerate(call_args))
            call_kwargs = {k: wrappers[k].rewrap(v) if k in wrappers else v for k, v in call_kwargs.items()}
        calls.append((call_args, call_kwargs))
    return calls


def _label(key: int | str) -> str:
    return f"argument {key + 1}" if isinstance(key, int) else f"{key!r}"
