"""Cache policies: recipes for a task run's cache key.

A task with a cache policy looks up a stored result under the key its policy
computes, and on a hit returns it without calling the function (state `Cached`).
A policy that computes `None` means "do not cache this call".

    INPUTS            the call's arguments (by value, stable across processes)
    TASK_SOURCE       the task function's source code
    FLOW_PARAMETERS   the parameters of the enclosing flow run
    RUN_ID            the flow run's id (the task run's own id outside a flow)
    DEFAULT           INPUTS + TASK_SOURCE + RUN_ID
    NONE, NO_CACHE    never cache

Policies compose with `+` (the key depends on every part), and `INPUTS - "client"`
leaves an argument out of the key. `cache_key_fn=f` on a task is the policy
`CacheKeyFnPolicy(f)`.

Unlike Prefect, a task with no policy is neither cached nor persisted: caching is
something a task asks for (see docs/caching.md).

`STABLE_TRANSFORMS` maps a type to a function whose return value is hashed in place of
an argument of exactly that type (for values whose content hashes unstably).

The public module is `headwater.cache_policies`, which re-exports these names.

Example:
    >>> from datetime import timedelta
    >>> from headwater import task
    >>> from headwater.cache_policies import INPUTS, TASK_SOURCE
    >>> @task(cache_policy=INPUTS + TASK_SOURCE, cache_expiration=timedelta(days=1))
    ... def fetch(url: str) -> bytes: ...
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from headwater.engine.hashing import UnhashableValue, Hasher, hash_objects
from headwater.exceptions import UnhashableInput  # noqa: F401 (the one exception tree)

if TYPE_CHECKING:
    from headwater.engine.runs import FlowRun, TaskRun
    from headwater.engine.tasks import Task

__all__ = [
    "DEFAULT",
    "FLOW_PARAMETERS",
    "INPUTS",
    "NONE",
    "NO_CACHE",
    "RUN_ID",
    "STABLE_TRANSFORMS",
    "TASK_SOURCE",
    "CacheKeyContext",
    "CacheKeyFnPolicy",
    "CachePolicy",
    "CompoundCachePolicy",
    "CompoundPolicy",
    "FlowParameters",
    "Inputs",
    "RunId",
    "TaskSource",
    "UnhashableInput",
    "task_input_hash",
]

STABLE_TRANSFORMS: dict[type, Callable[[Any], Any]] = {}
"""Stabilizing transforms for `INPUTS`: `STABLE_TRANSFORMS[T] = f` hashes `f(value)` instead
of an argument whose type is exactly `T`, as in Prefect. Empty by default: NumPy arrays
and pandas objects, which Prefect registers here, are already hashed by content
(engine/hashing.py)."""

IsolationLevel = Literal["READ_COMMITTED", "SERIALIZABLE"]
ISOLATION_LEVELS = ("READ_COMMITTED", "SERIALIZABLE")


class CacheKeyContext:
    """What a policy or a `cache_key_fn` may read about the call being keyed.

    Attributes:
        task: the `Task`.
        task_run: the `TaskRun` (`id`, `name`, `flow_run_id`, `parameters`).
        flow_run: the enclosing `FlowRun`, or None outside a flow.
        parameters: the call's arguments by parameter name.
    """

    __slots__ = ("task", "task_run", "flow_run", "parameters")

    def __init__(self, task: Task[..., Any], task_run: TaskRun, flow_run: FlowRun | None,
                 parameters: dict[str, Any]) -> None:
        self.task = task
        self.task_run = task_run
        self.flow_run = flow_run
        self.parameters = parameters

    def __repr__(self) -> str:
        return f"CacheKeyContext(task_run={getattr(self.task_run, 'name', None)!r})"


class CachePolicy:
    """Base of all policies. Subclasses implement `compute_key`.

    Attributes:
        key_storage: where this policy's records go (a path or fsspec URL), or None
            for the task's result storage.
        isolation_level: "READ_COMMITTED" (identical concurrent calls may both run)
            or "SERIALIZABLE" (they run once; the others wait and read the result).
    """

    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        """Return the cache key of a call, or None to leave it uncached."""
        raise NotImplementedError

    def configure(self, key_storage: Any = None, lock_manager: Any = None,
                  isolation_level: IsolationLevel | None = None) -> CachePolicy:
        """Return a copy with its record storage or isolation level set.

        `lock_manager` is accepted for Prefect compatibility and ignored: headwater
        always isolates with file locks on the local machine.

        Raises:
            ValueError: an unknown isolation level.
        """
        if isolation_level is not None and str(isolation_level) not in ISOLATION_LEVELS:
            raise ValueError(f"invalid isolation_level={isolation_level!r}: expected one of {ISOLATION_LEVELS}")
        copy = dataclasses.replace(self) if dataclasses.is_dataclass(self) else _shallow_copy(self)
        if key_storage is not None:
            object.__setattr__(copy, "key_storage", str(key_storage))
        if isolation_level is not None:
            object.__setattr__(copy, "isolation_level", str(isolation_level))
        return copy

    @classmethod
    def from_cache_key_fn(cls, cache_key_fn: Callable[[CacheKeyContext, dict[str, Any]], str | None]) -> CachePolicy:
        """The policy that calls `cache_key_fn(context, parameters)`."""
        return CacheKeyFnPolicy(cache_key_fn)

    def __add__(self, other: CachePolicy) -> CachePolicy:
        if not isinstance(other, CachePolicy):
            return NotImplemented
        if isinstance(other, NoCache):
            return self
        return CompoundPolicy((*_parts(self), *_parts(other)))

    def __sub__(self, name: str) -> CachePolicy:
        _check_argument_name(name)
        return self  # only policies that hash inputs have arguments to leave out


def _parts(policy: CachePolicy) -> tuple[CachePolicy, ...]:
    return policy.policies if isinstance(policy, CompoundPolicy) else (policy,)


def _check_argument_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise TypeError(f"leave an argument out of a cache key by its name, as in INPUTS - 'client'; got {name!r}")


def _shallow_copy(policy: CachePolicy) -> CachePolicy:
    copy = object.__new__(type(policy))
    copy.__dict__.update(policy.__dict__)
    return copy


@dataclasses.dataclass(frozen=True)
class Inputs(CachePolicy):
    """The call's arguments, except those named in `exclude`."""

    exclude: tuple[str, ...] = ()
    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "exclude", tuple(self.exclude))

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        hasher = Hasher()
        for name in sorted(inputs):
            if name in self.exclude:
                continue
            value = inputs[name]
            if STABLE_TRANSFORMS:
                transform = STABLE_TRANSFORMS.get(type(value))
                if transform is not None:
                    value = transform(value)
            hasher.feed(name)
            try:
                hasher.feed(value)
            except UnhashableValue as exc:
                raise UnhashableInput(name, value, exc) from None
            except RecursionError:
                raise UnhashableInput(name, value, UnhashableValue(type(value).__qualname__, "nested too deeply")) \
                    from None
        return hasher.hexdigest()

    def __sub__(self, name: str) -> Inputs:
        _check_argument_name(name)
        return dataclasses.replace(self, exclude=(*self.exclude, name))


_sources: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


@dataclasses.dataclass(frozen=True)
class TaskSource(CachePolicy):
    """The task function's source code (its compiled code if the source is unavailable)."""

    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        fn = task_ctx.task.fn
        key = _sources.get(fn)
        if key is None:
            try:
                source = inspect.getsource(fn).encode()
            except (OSError, TypeError):  # defined in a REPL or built dynamically
                code = getattr(fn, "__code__", None)
                source = code.co_code if code is not None else repr(fn).encode()
            key = _sources[fn] = hashlib.blake2b(source, digest_size=16).hexdigest()
        return key


@dataclasses.dataclass(frozen=True)
class FlowParameters(CachePolicy):
    """The parameters of the enclosing flow run (None outside a flow or without parameters)."""

    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        if not flow_parameters:
            return None
        return hash_objects(flow_parameters)


@dataclasses.dataclass(frozen=True)
class RunId(CachePolicy):
    """The flow run's id; a task run outside any flow uses its own id (so never hits)."""

    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        run = task_ctx.task_run
        return run.flow_run_id or run.id


@dataclasses.dataclass(frozen=True)
class CompoundPolicy(CachePolicy):
    """Several policies at once: the key changes when any part's key changes."""

    policies: tuple[CachePolicy, ...] = ()
    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        keys = [p.compute_key(task_ctx, inputs, flow_parameters, **kwargs) for p in self.policies]
        present = [k for k in keys if k is not None]
        if not present:
            return None
        return hash_objects(present)

    def __sub__(self, name: str) -> CompoundPolicy:
        _check_argument_name(name)
        return dataclasses.replace(self, policies=tuple(p - name for p in self.policies))

    def setting(self, attribute: str) -> Any:
        """The compound's own `key_storage`/`isolation_level`, else the first part's that is set."""
        own = getattr(self, attribute)
        if own is not None:
            return own
        return next((getattr(p, attribute) for p in self.policies if getattr(p, attribute) is not None), None)


@dataclasses.dataclass(frozen=True)
class CacheKeyFnPolicy(CachePolicy):
    """A user function `cache_key_fn(context, parameters) -> str | None` computes the key.

    The function gets a `CacheKeyContext` and the call's arguments by name. An
    exception it raises fails the task run (the function is not called).
    """

    cache_key_fn: Callable[..., str | None] | None = None
    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        if self.cache_key_fn is None:
            return None
        key = self.cache_key_fn(task_ctx, inputs)
        if key is not None and not isinstance(key, str):
            raise TypeError(
                f"cache_key_fn {getattr(self.cache_key_fn, '__name__', self.cache_key_fn)!r} returned "
                f"{type(key).__name__} {key!r}; it must return a string, or None to leave the call uncached"
            )
        return key


@dataclasses.dataclass(frozen=True)
class NoCache(CachePolicy):
    """Never cache: the key is always None. Adding it to a policy changes nothing."""

    key_storage: str | None = None
    isolation_level: IsolationLevel | None = None

    def compute_key(self, task_ctx: CacheKeyContext, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        return None

    def __add__(self, other: CachePolicy) -> CachePolicy:
        if not isinstance(other, CachePolicy):
            return NotImplemented
        return other


def task_input_hash(context: CacheKeyContext, arguments: dict[str, Any]) -> str | None:
    """A `cache_key_fn` keyed on the task and its arguments (Prefect's helper of that name).

    Returns None (uncached) when an argument cannot be hashed.
    """
    try:
        return hash_objects(context.task.task_key, TaskSource().compute_key(context, arguments, {}), arguments)
    except UnhashableValue:
        return None


INPUTS = Inputs()
TASK_SOURCE = TaskSource()
FLOW_PARAMETERS = FlowParameters()
RUN_ID = RunId()
NONE = NoCache()
NO_CACHE = NONE
DEFAULT = INPUTS + TASK_SOURCE + RUN_ID

CompoundCachePolicy = CompoundPolicy  # Prefect's name for a sum of policies
