"""Prefect 1's `prefect.context`: one process-wide object, its values per thread.

Static flow runs fill it while a flow and each task run (`context.parameters`,
`context.task_name`, `context.map_index`, `context.task_loop_result`, `context.today`,
`context.logger`, ...); user code reads it as a mapping or by attribute, and layers
values of its own with `with context(key=value):`. Each thread sees its own values
(the runner hands a copy to the threads of a parallel executor), as in Prefect 1.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, MutableMapping
from typing import Any

__all__ = ["Context", "context"]


class Context(MutableMapping[str, Any]):
    """A mapping of run information that also reads and writes as attributes.

    Example:
        >>> with context(a=1):
        ...     context.a, context.get("b", 2)
        (1, 2)
    """

    def __init__(self, **initial: Any) -> None:
        object.__setattr__(self, "_local", threading.local())
        object.__setattr__(self, "_initial", dict(initial))

    # -- storage: one dict per thread, seeded from the initial values ----------------
    def _data(self) -> dict[str, Any]:
        local = self._local
        data = getattr(local, "data", None)
        if data is None:
            data = local.data = dict(self._initial)
            data.setdefault("logger", logging.getLogger("prefect"))
        return data

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._data()))

    def __len__(self) -> int:
        return len(self._data())

    def __contains__(self, key: object) -> bool:
        return key in self._data()

    def get(self, key: str, default: Any = None) -> Any:
        """The value at `key`, or `default` when it is not set."""
        return self._data().get(key, default)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._data()[name]
        except KeyError:
            raise AttributeError(f"context has no key {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._data()[name] = value

    def __delattr__(self, name: str) -> None:
        self._data().pop(name, None)

    def to_dict(self) -> dict[str, Any]:
        """A plain copy of this thread's values."""
        return dict(self._data())

    def copy(self) -> dict[str, Any]:
        """A plain copy of this thread's values."""
        return self.to_dict()

    def replace(self, values: dict[str, Any]) -> None:
        """Make `values` this thread's values (how the runner seeds worker threads)."""
        self._local.data = dict(values)

    @contextlib.contextmanager
    def __call__(self, *mappings: Any, **values: Any) -> Iterator[Context]:
        """Layer values for the length of a `with` block; the previous ones come back after.

        Example:
            >>> with context({"a": 1}, b=2):
            ...     pass
        """
        data = self._data()
        previous = dict(data)
        for mapping in mappings:
            data.update(mapping)
        data.update(values)
        try:
            yield self
        finally:
            data.clear()
            data.update(previous)

    def __repr__(self) -> str:
        return "<Context>"


_prefect_logger = logging.getLogger("prefect")
if _prefect_logger.level == logging.NOTSET:  # Prefect 1 logs INFO and up from its loggers
    _prefect_logger.setLevel(logging.INFO)

context = Context(caches={})
"""The one context object (`prefect.context` in Prefect 1 code)."""
