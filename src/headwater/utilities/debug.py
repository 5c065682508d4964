"""Prefect 1's debugging helpers (`prefect.utilities.debug`)."""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from typing import Any

__all__ = ["is_serializable", "raise_on_exception"]


@contextlib.contextmanager
def raise_on_exception() -> Iterator[None]:
    """Inside this block, `flow.run()` raises the first exception a task raises instead of
    recording it in a Failed state (to debug it where it happens).

    Example:
        >>> with raise_on_exception():
        ...     flow.run()
    """
    from headwater.engine.static.context import context

    with context(raise_on_exception=True):
        yield


def is_serializable(obj: Any, raise_on_error: bool = False) -> bool:
    """Whether `obj` can be pickled (with cloudpickle when installed)."""
    try:
        try:
            import cloudpickle

            cloudpickle.loads(cloudpickle.dumps(obj))
        except ImportError:
            pickle.loads(pickle.dumps(obj))
    except Exception:
        if raise_on_error:
            raise
        return False
    return True
