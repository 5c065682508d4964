"""The options of tasks and flows, defined once.

`@task(...)`, `@flow(...)` and `.with_options(...)` all build one of these frozen
dataclasses, so validation lives in one place and copies are `dataclasses.replace`.
Prefect 1 option names that map cleanly (`max_retries`, `retry_delay`, `timeout`,
`log_stdout`) are translated; ones that do not are refused with the replacement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypedDict, TypeVar

from headwater.exceptions import InvalidDefinitionError

__all__ = ["FlowOptions", "RunOptions", "RunOptionsDict", "TaskOptions", "build_options"]

Hook = Callable[..., Any]


class RunOptionsDict(TypedDict, total=False):
    """The keyword options `@task` and `@flow` share, for type checkers."""

    name: str
    description: str
    version: str
    tags: list[str]
    retries: int
    retry_delay_seconds: float | list[float] | Callable[[int], list[float]]
    retry_jitter_factor: float
    timeout_seconds: float
    log_prints: bool
    on_completion: list[Callable[..., Any]]
    on_failure: list[Callable[..., Any]]
    on_running: list[Callable[..., Any]]
    on_crashed: list[Callable[..., Any]]
    on_cancellation: list[Callable[..., Any]]
    persist_result: bool
    result_storage: Any
    result_serializer: Any


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """Options tasks and flows share."""

    name: str | None = None
    description: str | None = None
    version: str | None = None
    tags: tuple[str, ...] = ()
    retries: int = 0
    retry_delay_seconds: float | tuple[float, ...] | Callable[[int], Any] = 0
    retry_jitter_factor: float | None = None
    timeout_seconds: float | None = None
    log_prints: bool | None = None
    on_completion: tuple[Hook, ...] = ()
    on_failure: tuple[Hook, ...] = ()
    on_crashed: tuple[Hook, ...] = ()
    on_cancellation: tuple[Hook, ...] = ()
    on_running: tuple[Hook, ...] = ()

    def __post_init__(self) -> None:
        _check(self.name is None or (isinstance(self.name, str) and self.name), "name", self.name, "a non-empty string")
        _check(isinstance(self.retries, int) and not isinstance(self.retries, bool) and self.retries >= 0,
               "retries", self.retries, "an integer >= 0")
        delay = self.retry_delay_seconds
        if isinstance(delay, (list, tuple)):
            object.__setattr__(self, "retry_delay_seconds", tuple(delay))
            for item in delay:
                _check(_is_number(item) and item >= 0, "retry_delay_seconds", delay,
                       "a number >= 0, a list of numbers >= 0, or a callable like exponential_backoff(...)")
        else:
            _check(callable(delay) or (_is_number(delay) and delay >= 0), "retry_delay_seconds", delay,
                   "a number >= 0, a list of numbers >= 0, or a callable like exponential_backoff(...)")
        jitter = self.retry_jitter_factor
        _check(jitter is None or (_is_number(jitter) and jitter >= 0), "retry_jitter_factor", jitter, "a number >= 0")
        timeout = self.timeout_seconds
        _check(timeout is None or (_is_number(timeout) and timeout > 0), "timeout_seconds", timeout, "a number > 0")
        object.__setattr__(self, "tags", _as_tags(self.tags))
        for hook_field in ("on_completion", "on_failure", "on_crashed", "on_cancellation", "on_running"):
            hooks = _as_tuple(getattr(self, hook_field))
            for hook in hooks:
                _check(callable(hook), hook_field, hook, "a list of callables")
            object.__setattr__(self, hook_field, hooks)


@dataclasses.dataclass(frozen=True)
class TaskOptions(RunOptions):
    """Options of `@task`."""

    task_run_name: str | Callable[[], str] | None = None
    retry_condition_fn: Callable[..., bool] | None = None
    # Caching and results (see headwater.cache_policies); inert until a policy is set.
    cache_policy: Any = None
    cache_key_fn: Callable[..., str | None] | None = None
    cache_expiration: timedelta | None = None
    refresh_cache: bool | None = None
    persist_result: bool | None = None
    result_storage: Any = None
    result_serializer: Any = None
    result_storage_key: str | None = None
    cache_result_in_memory: bool = True
    isolation_level: str | None = None  # "READ_COMMITTED" (default) or "SERIALIZABLE"
    on_commit: tuple[Hook, ...] = ()  # transaction hooks (headwater/transactions.py)
    on_rollback: tuple[Hook, ...] = ()
    asset_deps: tuple[Any, ...] = ()  # the assets its runs read (headwater.assets.Asset)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.asset_deps:
            from headwater.core.asset_schemas import Asset  # only tasks with assets pay for it

            object.__setattr__(self, "asset_deps", tuple(
                Asset(key=a) if isinstance(a, str) else a for a in _as_tuple(self.asset_deps)))
            _check(all(isinstance(a, Asset) for a in self.asset_deps), "asset_deps", self.asset_deps,
                   "a list of asset keys or headwater.assets.Asset")
        for hook_field in ("on_commit", "on_rollback"):
            object.__setattr__(self, hook_field, _as_tuple(getattr(self, hook_field)))
            _check(all(map(callable, getattr(self, hook_field))), hook_field, getattr(self, hook_field),
                   "a list of callables")
        _check(self.isolation_level in (None, "READ_COMMITTED", "SERIALIZABLE"), "isolation_level",
               self.isolation_level, "'READ_COMMITTED' or 'SERIALIZABLE'")
        if self.persist_result is None and (self.result_storage_key is not None or self.result_storage is not None
                                            or self.result_serializer is not None):
            # As in Prefect: saying where or how to keep results turns keeping them on.
            object.__setattr__(self, "persist_result", True)
        if self.cache_policy is not None or self.cache_key_fn is not None or self.persist_result \
                or self.result_storage is not None or self.result_serializer is not None \
                or self.result_storage_key is not None or self.cache_expiration is not None:
            from headwater.engine.caching import check_options  # only tasks that use results pay its import

            check_options(self)
        _check(self.retry_condition_fn is None or callable(self.retry_condition_fn), "retry_condition_fn",
               self.retry_condition_fn, "a callable (task, task_run, state) -> bool")
        _check(self.task_run_name is None or isinstance(self.task_run_name, str) or callable(self.task_run_name),
               "task_run_name", self.task_run_name, "a string template or a callable")


@dataclasses.dataclass(frozen=True)
class FlowOptions(RunOptions):
    """Options of `@flow`."""

    flow_run_name: str | Callable[[], str] | None = None
    validate_parameters: bool = True
    task_runner: Any = None
    cache_result_in_memory: bool = True  # accepted for Prefect compatibility; flow results stay in memory
    persist_result: bool | None = None
    result_storage: Any = None
    result_serializer: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check(self.flow_run_name is None or isinstance(self.flow_run_name, str) or callable(self.flow_run_name),
               "flow_run_name", self.flow_run_name, "a string template or a callable")


# Prefect 1 spellings -> (our option, converter)
_PREFECT1_RENAMES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "log_stdout": ("log_prints", bool),
    "max_retries": ("retries", lambda v: v),
    "retry_delay": ("retry_delay_seconds", lambda v: v.total_seconds() if isinstance(v, timedelta) else v),
    "timeout": ("timeout_seconds", lambda v: v.total_seconds() if isinstance(v, timedelta) else v),
}
_PREFECT1_REFUSED = {
    "trigger": "raise or return a state from the task instead; downstream tasks of a failed task do not run",
    "skip_on_upstream_skip": "use ordinary Python control flow in a @flow",
    "checkpoint": "use persist_result=True",
    "result": "use result_storage=... and persist_result=True",
    "target": "use cache_policy / cache_key_fn with persist_result=True",
    "state_handlers": "use on_completion= / on_failure= hooks",
    "cache_for": "use cache_expiration=timedelta(...) with cache_policy=INPUTS",
    "cache_validator": "use cache_policy= / cache_key_fn=",
    "cache_key": "use cache_key_fn=",
    "nout": "return a tuple and index it; no declaration is needed",
}


OptionsT = TypeVar("OptionsT", bound="RunOptions")


def build_options(kind: type[OptionsT], given: dict[str, Any]) -> OptionsT:
    """Validate keyword options into `kind`, translating Prefect 1 names.

    Raises:
        InvalidDefinitionError: an unknown option or a bad value, named in the message.
    """
    values: dict[str, Any] = {}
    for key, value in given.items():
        if key in _PREFECT1_RENAMES:
            target, convert = _PREFECT1_RENAMES[key]
            values[target] = convert(value)
        elif key in _PREFECT1_REFUSED:
            raise InvalidDefinitionError(f"option {key!r} is not supported: {_PREFECT1_REFUSED[key]}")
        else:
            values[key] = value
    known = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InvalidDefinitionError(
            f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"valid options are: {', '.join(sorted(known))}"
        )
    return kind(**values)


def _check(ok: Any, option: str, value: Any, expected: str) -> None:
    if not ok:
        raise InvalidDefinitionError(f"invalid {option}={value!r}: expected {expected}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if callable(value):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _as_tags(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    tags = tuple(value)
    for tag in tags:
        _check(isinstance(tag, str), "tags", value, "a list of strings")
    return tags


def tags_sequence(tags: Sequence[str]) -> list[str]:
    """Return tags as a sorted, de-duplicated list (the stored form)."""
    return sorted(set(tags))
