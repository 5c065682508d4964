"""Which task run produced a value, so a later task that receives it gets a graph edge.

When `b(a(x))` runs in a flow, `b` is called with the very object `a` returned. The
flow run remembers recent results by identity and, when a task is called, looks its
arguments up (one level into lists, tuples, sets and dict values). Identity is only
meaningful while the object is alive, so the tracker keeps it alive: by weak
reference where the type allows (then the edge is found for as long as the user
holds the value), otherwise by a strong reference to the last `size` results only,
which bounds memory. Values that Python shares between unrelated code (None, bools,
small ints) are never tracked: equal is not the same as produced-by.
"""

from __future__ import annotations

import collections
import inspect
import threading
import weakref
from typing import Any

__all__ = ["ResultLineage"]

_SKIP_TYPES = (type(None), bool, int, float, complex)
_CONTAINERS = (list, tuple, set, frozenset)
_SCAN_LIMIT = 256


class ResultLineage:
    """Maps live task results to the task run that produced them."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._strong: collections.OrderedDict[int, tuple[Any, str]] = collections.OrderedDict()
        self._weak: dict[int, tuple[weakref.ref[Any], str]] = {}
        self._lock = threading.Lock()

    def record(self, value: Any, task_run_id: str) -> None:
        """Remember that `task_run_id` produced `value`."""
        if isinstance(value, _SKIP_TYPES):
            return
        key = id(value)

        def forget(_: weakref.ref[Any]) -> None:
            self._weak.pop(key, None)

        try:
            ref = weakref.ref(value, forget)
        except TypeError:
            with self._lock:
                self._strong[key] = (value, task_run_id)
                self._strong.move_to_end(key)
                if len(self._strong) > self._size:
                    self._strong.popitem(last=False)
            return
        self._weak[key] = (ref, task_run_id)

    def producer(self, value: Any) -> str | None:
        """The task run that produced this very object, if known."""
        key = id(value)
        entry = self._weak.get(key)
        if entry is not None and entry[0]() is value:
            return entry[1]
        strong = self._strong.get(key)
        if strong is not None and strong[0] is value:
            return strong[1]
        return None

    def upstream(self, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
                 ) -> tuple[tuple[str, str, str], ...]:
        """(parameter, upstream task run id, "data") for every argument a task run produced."""
        if not self._weak and not self._strong:
            return ()
        found: list[tuple[str, str, str]] = []
        names: list[str] | None = None
        for index, value in enumerate(args):
            producers = self._producers_in(value)
            if producers:
                if names is None:
                    names = _positional_names(signature, len(args))
                found.extend((names[index], producer, "data") for producer in producers)
        for name, value in kwargs.items():
            found.extend((name, producer, "data") for producer in self._producers_in(value))
        return tuple(dict.fromkeys(found))

    def _producers_in(self, value: Any) -> list[str]:
        if isinstance(value, _SKIP_TYPES):
            return []
        producer = self.producer(value)
        if producer is not None:
            return [producer]
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, _CONTAINERS):
            items = value
        else:
            return []
        if len(items) > _SCAN_LIMIT:
            return []
        return [p for p in map(self.producer, items) if p is not None]


def _positional_names(signature: inspect.Signature, count: int) -> list[str]:
    names: list[str] = []
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            names.extend(f"{parameter.name}[{i}]" for i in range(count - len(names)))
            break
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            names.append(parameter.name)
    names.extend(f"arg{i}" for i in range(len(names), count))
    return names
