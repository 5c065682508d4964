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

UNBOUND: Any = object()


class Definition(Generic[P, R]):
    """A decorated function with its options. Options read as attributes (`t.retries`)."""

    options_class: type[RunOptions] = RunOptions
    kind = "definition"
    # The object a method-defined task or flow is bound to (its `self` or `cls`),
    # passed as first argument on every call; `UNBOUND` for a plain function.
    _bound_to: Any = UNBOUND
    _is_classmethod = False

    def __init__(self, fn: Callable[P, R], options: RunOptions | None = None, **given: Any) -> None:
        if isinstance(fn, classmethod):  # `@flow` above `@classmethod`: bound to the class on access
            self._is_classmethod = True
            fn = fn.__func__
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
        functools.update_wrapper(self, fn)  # type: ignore[arg-type]  # callable in its subclasses (Task, Flow)

    @staticmethod
    def default_name(fn: Callable[..., Any]) -> str:
        return getattr(fn, "__name__", type(fn).__name__)

    @property
    def description(self) -> str | None:
        """The `description=` option, else the function's docstring (as in Prefect)."""
        return self.options.description or inspect.getdoc(self.fn)

    @property
    def signature(self) -> inspect.Signature:
        if self._signature is None:
            self._signature = inspect.signature(self.fn)
        return self._signature

    def __get__(self, instance: Any, owner: Any = None) -> Self:
        """Tasks and flows defined as methods: accessed on an instance (or, for a
        classmethod, on the class) they return a copy bound to it, as Python binds
        methods; the instance is the call's first argument."""
        if self._is_classmethod:
            instance = owner if owner is not None else type(instance)
        elif instance is None:
            return self
        bound = object.__new__(type(self))  # not copy.copy: Flow.__new__ would pick a static Flow
        bound.__dict__.update(self.__dict__)
        bound._bound_to = instance
        return bound

    def bind_args(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """The call's positional arguments, with the bound instance first for methods."""
        bound = self._bound_to
        return args if bound is UNBOUND else (bound, *args)

    def with_options(self, **changes: Any) -> Self:
        """Return a copy with some options changed.

        Example:
            >>> fast_fetch = fetch.with_options(retries=0, timeout_seconds=5)
        """
        new_options = build_options(self.options_class, {**as_plain_dict(self.options), **changes})
        copy = type(self)(self.fn, new_options)
        copy._bound_to = self._bound_to
        copy._is_classmethod = self._is_classmethod
        return copy

    # -- state hooks attached as decorators (`@my_task.on_failure`) --------------------
    def on_completion(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(task_or_flow, run, state)` when a run completes."""
        return self._add_hook("on_completion", fn)

    def on_failure(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(task_or_flow, run, state)` when a run fails."""
        return self._add_hook("on_failure", fn)

    def on_running(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(task_or_flow, run, state)` when a run starts running."""
        return self._add_hook("on_running", fn)

    def on_crashed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(task_or_flow, run, state)` when a run crashes."""
        return self._add_hook("on_crashed", fn)

    def on_cancellation(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call `fn(task_or_flow, run, state)` when a run is cancelled."""
        return self._add_hook("on_cancellation", fn)

    def _add_hook(self, kind: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(fn):
            raise InvalidDefinitionError(f"@{self.name}.{kind} needs a function, got {fn!r}")
        hooks: dict[str, Any] = {kind: (*getattr(self.options, kind), fn)}  # one of the *_hooks tuples
        self.options = dataclasses.replace(self.options, **hooks)
        return fn

    @property
    def on_completion_hooks(self) -> list[Callable[..., Any]]:
        """The completion hooks, in order (a copy: add with `@x.on_completion`)."""
        return list(self.options.on_completion)

    @property
    def on_failure_hooks(self) -> list[Callable[..., Any]]:
        """The failure hooks, in order (a copy: add with `@x.on_failure`)."""
        return list(self.options.on_failure)

    @property
    def on_running_hooks(self) -> list[Callable[..., Any]]:
        """The running hooks, in order (a copy: add with `@x.on_running`)."""
        return list(self.options.on_running)

    @property
    def on_crashed_hooks(self) -> list[Callable[..., Any]]:
        """The crash hooks, in order (a copy: add with `@x.on_crashed`)."""
        return list(self.options.on_crashed)

    @property
    def on_cancellation_hooks(self) -> list[Callable[..., Any]]:
        """The cancellation hooks, in order (a copy: add with `@x.on_cancellation`)."""
        return list(self.options.on_cancellation)

    def __getattr__(self, name: str) -> Any:
        options = self.__dict__.get("options")
        if options is not None and name in options.__dataclass_fields__:
            return getattr(options, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, fn={getattr(self.fn, '__qualname__', self.fn)!r})"


def as_plain_dict(options: RunOptions) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}
