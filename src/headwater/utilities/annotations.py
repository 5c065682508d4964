"""Wrappers that tell the engine how to treat a task argument, as in
`prefect.utilities.annotations`.

    unmapped(x)        passed whole to every call of `task.map(...)`
    allow_failure(f)   the task runs even if the future `f` failed (it gets the exception)
    quote(x)           passed as is: not searched for futures, not resolved
    opaque(f)          the future is resolved, but its result is not searched further

`unmapped` is the engine's own (engine/futures.py); the others are one-element tuples
(so `value, = annotation` unpacks them), compared by type and value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from headwater.engine.futures import unmapped

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["BaseAnnotation", "NotSet", "Quote", "allow_failure", "freeze", "opaque", "quote", "unmapped"]

T = TypeVar("T")


class BaseAnnotation(tuple[T], Generic[T]):
    """A value wrapped to mark how the engine treats it; `.value` / `.unwrap()` give it back."""

    __slots__ = ()
    # How the engine treats the wrapped value; engine/futures.py reads this marker so
    # that it never needs to import this module. "unwrap": only taken out of its wrapper.
    _annotation = "unwrap"

    def __new__(cls, value: T) -> Self:
        return super().__new__(cls, (value,))

    @property
    def value(self) -> T:
        return self[0]

    def unwrap(self) -> T:
        """The wrapped value."""
        return self[0]

    def rewrap(self, value: T) -> BaseAnnotation[T]:
        """The same kind of wrapper around another value."""
        return type(self)(value)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __getnewargs__(self) -> tuple[T]:
        # Pickled as `cls(value)`: the default for a tuple subclass passes the whole
        # tuple, which `__new__` would wrap a second time (seen when a quoted
        # annotation is shipped to a worker process).
        return (self[0],)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self[0]!r})"


class allow_failure(BaseAnnotation[T]):  # noqa: N801 - Prefect's name
    """Run the task even if this upstream future or state failed; it receives the exception."""

    __slots__ = ()
    _annotation = "allow_failure"


class quote(BaseAnnotation[T]):  # noqa: N801 - Prefect's name
    """Pass the value as is: not searched for futures (cheap for big collections), not resolved."""

    __slots__ = ()
    _annotation = "quote"

    def unquote(self) -> T:
        """The wrapped value."""
        return self.unwrap()


class opaque(BaseAnnotation[T]):  # noqa: N801 - Prefect's name
    """Resolve this future to its result, but do not search the result for more futures."""

    __slots__ = ()
    _annotation = "opaque"


class freeze(BaseAnnotation[T]):  # noqa: N801 - Prefect's name
    """A deployment parameter value that cannot be changed when runs are created.

    Raises:
        ValueError: the value cannot be written as JSON.
    """

    __slots__ = ()

    def __new__(cls, value: T) -> Self:
        import json

        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise ValueError("Value must be JSON serializable") from None
        return super().__new__(cls, value)

    def unfreeze(self) -> T:
        """The wrapped value."""
        return self.unwrap()


class Quote(quote[T]):
    """The old name of `quote` (deprecated in Prefect)."""

    __slots__ = ()

    def __new__(cls, expr: T) -> Self:
        import warnings

        warnings.warn("Use of `Quote` is deprecated. Use `quote` instead.", DeprecationWarning, stacklevel=2)
        return super().__new__(cls, expr)


class NotSet:
    """Marks an argument that was not given (None may be a real value)."""


def unwrap_annotation(value: Any) -> Any:
    """`value` without its annotation wrapper, if it has one."""
    if isinstance(value, BaseAnnotation):
        return value[0]
    if isinstance(value, unmapped):
        return value.value
    return value
