"""What `Task` and `Flow` share: a user function plus validated options."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from typing_extensions import ParamSpec, Self

from headwater.engine.options import RunOptions, build_options
from headwater.exceptions import InvalidDefinitionError

__all__ = ["Definition"]

P = ParamSpec("P")
R = TypeVar("R")


class Definition(Generic[P, R]):
    """A decorated function with its options. Options read as attributes (`t.retries`)."""

    options_class: type[RunOptions] = RunOptions
    kind = "definition"

    def __init__(self, fn: Callable[P, R], options: RunOptions | None = None, **given: Any) -> None:
        if not callable(fn):
            raise InvalidDefinitionError(
                f"@{self.kind} needs a function, got {fn!r} ({type(fn).__name__}); "
                f"put @{self.kind} directly above a `def`"
            )
        self.fn = fn
        self.options = options if options is not None else build_options(self.options_class, given)
        self.name: str = self.options.name or self.default_name(fn)
        self.isasync = inspect.iscoroutinefunction(fn)
        self._signature: inspect.Signature | None = None
        functools.update_wrapper(self, fn)  # type: ignore[arg-type]

    @staticmethod
    def default_name(fn: Callable[..., Any]) -> str:
        return getattr(fn, "__name__", type(fn).__name__)

    @property
    def signature(self) -> inspect.Signature:
        if self._signature is None:
            self._signature = inspect.signature(self.fn)
        return self._signature

    def with_options(self, **changes: Any) -> Self:
        """Return a copy with some options changed.

        Example:
            >>> fast_fetch = fetch.with_options(retries=0, timeout_seconds=5)
        """
        new_options = build_options(self.options_class, {**_as_dict(self.options), **changes})
        return type(self)(self.fn, new_options)

    def __getattr__(self, name: str) -> Any:
        options = self.__dict__.get("options")
        if options is not None and name in options.__dataclass_fields__:
            return getattr(options, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, fn={getattr(self.fn, '__qualname__', self.fn)!r})"


def _as_dict(options: RunOptions) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}
