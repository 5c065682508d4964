"""The run context, as in `prefect.context` (Prefect 3) and `prefect.context` (Prefect 1).

Prefect 3 code asks which run is executing:

    from headwater.context import get_run_context, FlowRunContext, TaskRunContext

    ctx = get_run_context()          # inside a task: a TaskRunContext, else an EngineContext
    ctx.flow_run.name, ctx.task_run.run_count, ctx.parameters, ctx.flow.name

The context objects are views over the engine's live runs (engine/context.py keeps
them in context variables): they are made when asked for and cost nothing otherwise.

Prefect 1 code uses the same module path as a mapping of run facts:

    import headwater as prefect
    prefect.context.get("parameters")    # module-level get()
    prefect.context.logger               # unknown names: the Prefect 1 context object
    with prefect.context(key="value"):   # the module is callable
        ...

That object lives with the rest of Prefect 1's engine (engine/static/context.py) and
is imported only when Prefect 1 names are used.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import types
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from headwater.client_contexts import AsyncClientContext, SyncClientContext
from headwater.context_transfer import hydrated_context, serialize_context, with_context
from headwater.engine.context import flow_run_var, tags, tags_var, task_run_var
from headwater.exceptions import MissingContextError

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.flow_runs import FlowRun
    from headwater.engine.task_runs import TaskRun

__all__ = [
    "AssetContext",
    "AsyncClientContext",
    "GLOBAL_SETTINGS_CONTEXT",
    "SyncClientContext",
    "hydrated_context",
    "refresh_global_settings_context",
    "root_settings_context",
    "serialize_context",
    "use_profile",
    "with_context",
    "ContextModel",
    "EngineContext",
    "FlowRunContext",
    "MissingContextError",
    "RunContext",
    "SettingsContext",
    "TagsContext",
    "TaskRunContext",
    "get",
    "get_run_context",
    "get_settings_context",
    "tags",
]




def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


class FlowRunInfo:
    """The flow run a context describes, with the attributes of Prefect's `FlowRun` model
    that a run knows in process (read live: `run_count` and `state` follow the run)."""

    __slots__ = ("_run",)

    def __init__(self, run: FlowRun) -> None:
        self._run = run

    id = property(lambda self: uuid.UUID(self._run.id), doc="The flow run's id.")
    name = property(lambda self: self._run.name, doc="The flow run's name.")
    flow_name = property(lambda self: self._run.flow.name, doc="The name of the flow it runs.")
    parameters = property(lambda self: dict(self._run.parameters), doc="The validated parameters.")
    tags = property(lambda self: sorted(tags_var.get().union(self._run.options.tags)), doc="The run's tags.")
    run_count = property(lambda self: self._run.run_count, doc="Attempts so far, this one included.")
    state = property(lambda self: self._run.state, doc="The current state.")
    state_type = property(lambda self: self._run.state.type if self._run.state else None)
    state_name = property(lambda self: self._run.state.name if self._run.state else None)
    parent_task_run_id = property(lambda self: _uuid(self._run.parent_task_run_id),
                                  doc="The parent flow's placeholder task run (subflows), else None.")
    flow_version = property(lambda self: self._run.options.version)
    # Deployments, work pools and flow ids live in the control plane, not in the process.
    flow_id = deployment_id = work_pool_name = work_queue_name = idempotency_key = None

    def __repr__(self) -> str:
        return f"FlowRun(id={self._run.id!r}, name={self.name!r})"


class TaskRunInfo:
    """The task run a context describes, with the attributes of Prefect's `TaskRun` model
    that a run knows in process."""

    __slots__ = ("_run",)

    def __init__(self, run: TaskRun) -> None:
        self._run = run

    id = property(lambda self: uuid.UUID(self._run.id), doc="The task run's id.")
    name = property(lambda self: self._run.name, doc="The task run's name.")
    task_key = property(lambda self: self._run.task.task_key)
    dynamic_key = property(lambda self: str(self._run.dynamic_key))
    flow_run_id = property(lambda self: _uuid(self._run.flow_run_id), doc="Its flow run's id, or None.")
    tags = property(lambda self: list(self._run.tags), doc="The run's tags.")
    run_count = property(lambda self: self._run.run_count, doc="Attempts so far, this one included.")
    state = property(lambda self: self._run.state, doc="The current state.")
    state_type = property(lambda self: self._run.state.type if self._run.state else None)
    state_name = property(lambda self: self._run.state.name if self._run.state else None)
    cache_key = property(lambda self: getattr(self._run.cache, "cache_key", None))
    task_version = property(lambda self: self._run.options.version)

    def __repr__(self) -> str:
        return f"TaskRun(id={self._run.id!r}, name={self.name!r})"


class ContextModel:
    """What every context class has: `get()`, the context in force here (or None)."""

    __slots__ = ()

    @classmethod
    def get(cls) -> Any:
        return None


class RunContext(ContextModel):
    """What flow and task run contexts share. Get one with `get_run_context()` or the
    `get()` of a subclass; they are read-only views of the executing run."""

    __slots__ = ("_run",)
    _var: ClassVar[Any]

    def __init__(self, run: Any) -> None:
        self._run = run

    @classmethod
    def get(cls) -> Any:
        """The context of the executing run of this kind, or None outside one."""
        run = cls._var.get()
        return cls(run) if run is not None else None

    @property
    def start_time(self) -> Any:
        """When the run entered its current Running state (a datetime), or None."""
        from datetime import datetime, timezone

        state = self._run.state
        return datetime.fromtimestamp(state.ts, tz=timezone.utc) if state is not None else None

    @property
    def log_prints(self) -> bool:
        """Whether `print()` inside the run goes to its logger."""
        from headwater.engine.logging import log_prints_run

        return log_prints_run.get() is not None

    @property
    def parameters(self) -> dict[str, Any]:
        """The run's parameters by name."""
        return dict(self._run.parameters)

    @property
    def result_store(self) -> Any:
        """Where the run's results go (a `headwater.results.ResultStore`)."""
        from headwater.results import result_store_for

        return result_store_for(self._run)

    @property
    def persist_result(self) -> bool:
        """Whether the run's result is persisted."""
        return bool(getattr(self._run.options, "persist_result", False))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._run is self._run

    def __hash__(self) -> int:
        return hash(self._run)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._run.label})"


class EngineContext(RunContext):
    """The context of a flow run (Prefect names it `FlowRunContext` too).

    Attributes:
        flow: the `Flow` being run.
        flow_run: the flow run (`id`, `name`, `parameters`, `run_count`, `tags`, `state`, ...).
        parameters: the validated parameters.
        task_runner: the flow run's task runner.
    """

    __slots__ = ()
    _var = flow_run_var
    detached = False

    @property
    def flow(self) -> Any:
        return self._run.flow

    @property
    def flow_run(self) -> FlowRunInfo:
        return FlowRunInfo(self._run)

    @property
    def task_runner(self) -> Any:
        return self._run.task_runner()

    @property
    def task_run_dynamic_keys(self) -> dict[str, Any]:
        return {}


FlowRunContext = EngineContext


class TaskRunContext(RunContext):
    """The context of a task run.

    Attributes:
        task: the `Task` being run.
        task_run: the task run (`id`, `name`, `flow_run_id`, `run_count`, `tags`, `state`, ...).
        parameters: the call's arguments by parameter name.
    """

    __slots__ = ()
    _var = task_run_var

    @property
    def task(self) -> Any:
        return self._run.task

    @property
    def task_run(self) -> TaskRunInfo:
        return TaskRunInfo(self._run)


def get_run_context() -> EngineContext | TaskRunContext:
    """The context of the run executing here: its task run's, else its flow run's.

    Raises:
        MissingContextError: called outside any flow or task run.
    """
    task_run = task_run_var.get()
    if task_run is not None:
        return TaskRunContext(task_run)
    flow_run = flow_run_var.get()
    if flow_run is not None:
        return EngineContext(flow_run)
    raise MissingContextError("No run context available. You are not in a flow or task run context.")


class TagsContext(ContextModel):
    """The tags `with tags(...)` blocks add here: `TagsContext.get().current_tags`."""

    __slots__ = ("current_tags",)

    def __init__(self, current_tags: set[str] | None = None) -> None:
        self.current_tags = set(current_tags or ())

    @classmethod
    def get(cls) -> TagsContext:
        """The tags in force here (an empty set outside any block)."""
        return cls(set(tags_var.get()))


class SettingsContext(ContextModel):
    """The settings in force: `get_settings_context().settings`. headwater has no
    profiles; `profile` is None."""

    __slots__ = ("settings", "profile")

    def __init__(self, settings: Settings, profile: Any = None) -> None:
        self.settings = settings
        self.profile = profile

    @classmethod
    def get(cls) -> SettingsContext:
        from headwater.core.settings import get_settings

        return cls(get_settings())


def get_settings_context() -> SettingsContext:
    """The settings in force (headwater's one settings object)."""
    return SettingsContext.get()


def root_settings_context() -> SettingsContext:
    """The settings read from the environment and the current profile (`config.toml`),
    with that profile."""
    from headwater.core.settings import load_settings
    from headwater.settings import load_current_profile

    return SettingsContext(load_settings(), load_current_profile())


def refresh_global_settings_context() -> None:
    """Read the settings again (after the environment or `config.toml` changed)."""
    from headwater.core.settings import reset_settings

    reset_settings()
    _global_settings[:] = []


_global_settings: list[SettingsContext] = []


@contextlib.contextmanager
def use_profile(profile: Any, override_environment_variables: bool = False,
                include_current_context: bool = True) -> Iterator[SettingsContext]:
    """Put a profile's settings in force for the block.

    Args:
        profile: a `Profile` or a profile's name (headwater has one, `default`).
        override_environment_variables: let the profile's values win over `HEADWATER_*`
            variables (by default the environment wins).
        include_current_context: start from the settings in force (else from the
            environment and defaults).

    Raises:
        KeyError: no profile of that name.
        TypeError: `profile` is neither a name nor a `Profile`.
    """
    import os

    from headwater.core.settings import Settings
    from headwater.settings import Profile, load_profiles, temporary_settings

    if isinstance(profile, str):
        profile = load_profiles()[profile]
    if not isinstance(profile, Profile):
        raise TypeError(f"Unexpected type {type(profile).__name__!r} for `profile`. Expected 'str' or 'Profile'.")
    updates = profile.fields()
    if not override_environment_variables:
        updates = {field: value for field, value in updates.items() if f"HEADWATER_{field.upper()}" not in os.environ}
    restore = [] if include_current_context else list(Settings.model_fields)
    with temporary_settings(updates=updates, restore_defaults=restore) as settings:
        yield SettingsContext(settings, profile)




# -- Prefect 1: `prefect.context` is a mapping of run facts ------------------------------

_PREFECT1_MODULE = "headwater.engine.static.context"


def _prefect1_context() -> Any:
    try:
        module = importlib.import_module(_PREFECT1_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != _PREFECT1_MODULE:
            raise
        raise ImportError(
            "headwater.context is used as Prefect 1's context object (prefect.context.get(...), "
            f"prefect.context.<key>, `with prefect.context(...)`), but {_PREFECT1_MODULE} is not "
            "available in this installation"
        ) from None
    return module.context


def get(key: str, default: Any = None) -> Any:
    """Prefect 1: the value of `key` in the run context, or `default`.

    Example:
        >>> import headwater as prefect
        >>> prefect.context.get("parameters", {})
        {}
    """
    return _prefect1_context().get(key, default)


def __getattr__(name: str) -> Any:
    if name == "AssetContext":  # imported on first use: pydantic models, not needed by plain runs
        from headwater.engine.asset_context import AssetContext

        return AssetContext
    if name == "GLOBAL_SETTINGS_CONTEXT":  # read on first use, not when the module loads
        if not _global_settings:
            _global_settings.append(root_settings_context())
        return _global_settings[0]
    # Names this module does not define are Prefect 1 context keys (logger, parameters, ...).
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        prefect1 = _prefect1_context()
    except ImportError as exc:  # hasattr() and getattr(..., default) expect AttributeError
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}: {exc}") from None
    return getattr(prefect1, name)


class _ContextModule(types.ModuleType):
    """This module's type: callable and subscriptable like Prefect 1's context object."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """`with prefect.context(key=value):` sets keys for the block."""
        return _prefect1_context()(*args, **kwargs)

    def __getitem__(self, key: str) -> Any:
        return _prefect1_context()[key]

    def __contains__(self, key: object) -> bool:
        return key in _prefect1_context()

    def __iter__(self) -> Iterator[str]:
        return iter(_prefect1_context())


sys.modules[__name__].__class__ = _ContextModule

# `import headwater as prefect; prefect.context` resolves through headwater's lazy names,
# which read `context` from this module: it is the module itself.
context = sys.modules[__name__]
