"""Startup hooks for third-party packages, as in `prefect.plugins`.

A package can prepare a process before headwater runs anything: set environment
variables, log in to a cloud, ... It declares a hook and an entry point:

    # my_plugin.py
    from headwater.plugins import HookContext, SetupResult, register_hook

    @register_hook
    def setup_environment(*, ctx: HookContext) -> SetupResult | None:
        return SetupResult(env={"AWS_PROFILE": "etl"}, note="AWS profile chosen")

    # pyproject.toml
    [project.entry-points."headwater.plugins"]
    my_plugin = "my_plugin"

With `HEADWATER_PLUGINS_ENABLED=true`, the hooks run once per process, before its
first flow or task run; each result's `env` is put into `os.environ` and the settings
are read again. `HEADWATER_PLUGINS_ALLOW` / `_DENY` (comma-separated names),
`_SETUP_TIMEOUT_SECONDS`, `_STRICT` and `_SAFE_MODE` behave as Prefect's `plugins.*`
settings. The entry point groups are `headwater.plugins` and `headwater.collections`
(Prefect's are `prefect.plugins` and `prefect.collections`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from headwater.core.settings import Settings

__all__ = [
    "PREFECT_PLUGIN_API_VERSION",
    "HookContext",
    "HookSpec",
    "SetupResult",
    "SetupSummary",
    "load_prefect_collections",
    "register_hook",
    "run_startup_hooks",
    "safe_load_entrypoints",
]

PREFECT_PLUGIN_API_VERSION = "0.1"
"""The version of the hook contract; a plugin's `PREFECT_PLUGIN_API_REQUIRES` is checked against it."""

PLUGINS_GROUP = "headwater.plugins"
COLLECTIONS_GROUP = "headwater.collections"
HOOK_MARK = "headwater_hook_options"
"""Attribute `register_hook` sets on a hook function (its options, a dict)."""

_SECRET_WORDS = ("SECRET", "TOKEN", "PASSWORD", "KEY")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class HookContext:
    """What a plugin's `setup_environment` hook is given.

    Attributes:
        prefect_version: the running headwater's version.
        api_url: the configured API URL, or None (embedded history).
        logger_factory: makes a standard-library logger for the plugin.
    """

    prefect_version: str
    api_url: str | None
    logger_factory: Callable[[str], logging.Logger]


@dataclass
class SetupResult:
    """What a `setup_environment` hook returns.

    Attributes:
        env: environment variables to set in this process (and so in its children).
        note: a short, non-secret line saying what was configured.
        required: in strict mode, a required result with no `env` stops the process.
    """

    env: Mapping[str, str]
    note: str | None = None
    required: bool = False


@dataclass
class SetupSummary:
    """What one plugin's hook did, with secret-looking values hidden.

    Attributes:
        plugin: the plugin's entry point name.
        env_preview: the variables it set; values of names with SECRET, TOKEN,
            PASSWORD or KEY are replaced by dots, long values shortened.
        note: the plugin's note, if any.
        error: what went wrong, or None.
    """

    plugin: str
    env_preview: dict[str, str]
    note: str | None
    error: str | None


class HookSpec:
    """The hooks a plugin may implement (decorate its functions with `register_hook`)."""

    def setup_environment(self, *, ctx: HookContext) -> SetupResult | None:
        """Prepare the process before work starts; may be async. Return None for no changes."""

    def set_database_connection_params(self, connection_url: str, settings: Any) -> Mapping[str, Any]:
        """Extra connection arguments for the database engine."""
        return {}


def register_hook(function: F | None = None, **options: Any) -> Any:
    """Mark a function (or method) as a hook implementation: `@register_hook` or
    `@register_hook(tryfirst=True)`.

    Args:
        function: the hook; its name is the hook it implements.
        **options: `tryfirst` / `trylast` order the hooks; other options are kept.
    """

    def mark(hook: F) -> F:
        setattr(hook, HOOK_MARK, dict(options))
        return hook

    return mark(function) if function is not None else mark


def _hook_functions(plugin: Any, hook_name: str) -> list[Callable[..., Any]]:
    candidate = getattr(plugin, hook_name, None)
    return [candidate] if candidate is not None and hasattr(candidate, HOOK_MARK) else []


def _check_hooks(plugin: Any) -> None:
    """Refuse hooks that take positional arguments: the hooks' arguments are keyword-only
    (`def setup_environment(*, ctx)`), as in Prefect's hook specification."""
    for hook_name in ("setup_environment",):
        for hook in _hook_functions(plugin, hook_name):
            positional = [p.name for p in inspect.signature(hook).parameters.values()
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            if positional:
                raise TypeError(f"hook {hook_name}{inspect.signature(hook)}: argument(s) {positional} must be "
                                f"keyword-only, as in `def {hook_name}(*, ctx)`")


def _redact(key: str, value: str) -> str:
    if any(word in key.upper() for word in _SECRET_WORDS):
        return "••••••"
    return value if len(value) <= 64 else value[:20] + "…"


def _api_version_accepted(plugin: Any, name: str, logger: logging.Logger) -> bool:
    requires = getattr(plugin, "PREFECT_PLUGIN_API_REQUIRES", ">=0.1,<1")
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
    except ImportError:  # packaging absent: no fence, as with an invalid specifier
        return True
    try:
        accepted = PREFECT_PLUGIN_API_VERSION in SpecifierSet(requires)
    except InvalidSpecifier:
        return True
    if not accepted:
        logger.warning("Skipping plugin %s: requires API version %s, current version is %s",
                       name, requires, PREFECT_PLUGIN_API_VERSION)
    return accepted


def _names(value: str | Iterable[str] | None) -> set[str]:
    if isinstance(value, str):
        return {name.strip() for name in value.split(",") if name.strip()}
    return set(value or ())


def load_plugins(allow: str | Iterable[str] | None, deny: str | Iterable[str] | None,
                 logger: logging.Logger) -> list[tuple[str, Any]]:
    """The `headwater.plugins` entry points to use, loaded: (name, plugin object).

    Args:
        allow: names to load (comma-separated or a collection; empty: all).
        deny: names to skip.
        logger: where load failures are reported.
    """
    from importlib.metadata import entry_points

    allowed, denied = _names(allow), _names(deny)
    plugins = []
    for entry in entry_points(group=PLUGINS_GROUP):
        if (allowed and entry.name not in allowed) or entry.name in denied:
            continue
        try:
            plugin = entry.load()
            _check_hooks(plugin)
        except Exception:
            logger.exception("Failed to load plugin %s", entry.name)
            continue
        if _api_version_accepted(plugin, entry.name, logger):
            plugins.append((entry.name, plugin))
    return plugins


async def _call_setup_hooks(plugins: list[tuple[str, Any]], ctx: HookContext
                            ) -> list[tuple[str, Any, Exception | None]]:
    results: list[tuple[str, Any, Exception | None]] = []
    for name, plugin in plugins:
        for hook in _hook_functions(plugin, "setup_environment"):
            try:
                value = hook(ctx=ctx)
                if inspect.isawaitable(value):
                    value = await value
                results.append((name, value, None))
            except Exception as exc:
                results.append((name, None, exc))
    return results


async def run_startup_hooks(ctx: HookContext, settings: Settings | None = None) -> list[SetupSummary]:
    """Run every enabled plugin's `setup_environment` hook and apply what they return.

    Args:
        ctx: what the hooks are given.
        settings: the settings to obey (default: the process's).

    Returns:
        One summary per hook called (none when plugins are disabled or in safe mode).

    Raises:
        SystemExit: strict mode, and a hook failed or a required result set nothing.
    """
    if settings is None:
        from headwater.core.settings import get_settings

        settings = get_settings()
    logger = ctx.logger_factory("prefect.plugins")
    if not settings.plugins_enabled:
        logger.debug("Plugins not enabled")
        return []
    plugins = load_plugins(settings.plugins_allow, settings.plugins_deny, logger)
    if settings.plugins_safe_mode:
        logger.info("Safe mode enabled - plugins loaded but hooks not called")
        return []
    results: list[tuple[str, Any, Exception | None]] = []
    try:
        results = await asyncio.wait_for(_call_setup_hooks(plugins, ctx), settings.plugins_setup_timeout_seconds)
    except asyncio.TimeoutError:
        logger.warning("Plugin setup timed out after %.1fs", settings.plugins_setup_timeout_seconds)
    summaries = []
    for name, result, error in results:
        if error is not None:
            logger.error("Plugin %s failed: %s", name, error)
            summaries.append(SetupSummary(name, {}, None, str(error)))
        elif result is None:
            summaries.append(SetupSummary(name, {}, None, None))
        else:
            env = {str(key): str(value) for key, value in (result.env or {}).items()}
            os.environ.update(env)
            logger.info("plugin env applied%s", f" — {result.note}" if result.note else "")
            summaries.append(SetupSummary(name, {k: _redact(k, v) for k, v in env.items()}, result.note, None))
    if settings.plugins_strict:
        for name, result, error in results:
            if error is not None:
                raise SystemExit(f"[plugins] required plugin '{name}' failed: {error}")
            if result is not None and result.required and not result.env:
                raise SystemExit(f"[plugins] required plugin '{name}' returned SetupResult with required=True "
                                 "but empty env. If no changes are needed, return None instead of SetupResult.")
    return summaries


_started = False


def run_startup_hooks_once(settings: Settings) -> bool:
    """Run the startup hooks the first time a process is about to run work.

    Returns:
        True when hooks ran and may have changed the environment (read settings again).
    """
    global _started
    if _started:
        return False
    _started = True
    if not settings.plugins_enabled:
        return False
    from headwater import __version__
    from headwater.logging.loggers import get_logger

    ctx = HookContext(prefect_version=__version__, api_url=settings.api_url, logger_factory=get_logger)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(run_startup_hooks(ctx, settings))
    else:  # first run is an async flow on this thread's loop: run the hooks on a thread of their own
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, run_startup_hooks(ctx, settings)).result()
    return True


def safe_load_entrypoints(entrypoints: Iterable[EntryPoint]) -> dict[str, Any]:
    """Load each entry point; a failure is returned in place of its object, not raised."""
    loaded: dict[str, Any] = {}
    for entry in entrypoints:
        try:
            loaded[entry.name or entry.value] = entry.load()
        except Exception as exc:
            loaded[entry.name or entry.value] = exc
    return loaded


_collections: dict[str, Any] | None = None


def load_prefect_collections(reload: bool = False) -> dict[str, Any]:
    """Import the packages registered in the `headwater.collections` entry point group.

    Loaded once and cached; `reload=True` looks again and loads the new or previously
    failed ones. A failure is printed as a warning and returned as the exception.
    """
    global _collections
    if _collections is not None and not reload:
        return _collections
    import importlib
    from importlib.metadata import entry_points

    importlib.invalidate_caches()
    known = {name for name, value in (_collections or {}).items() if not isinstance(value, Exception)}
    found = [entry for entry in entry_points(group=COLLECTIONS_GROUP) if (entry.name or entry.value) not in known]
    loaded = safe_load_entrypoints(found)
    for name, value in loaded.items():
        if isinstance(value, Exception):
            print(f"Warning!  Failed to load collection {name!r}: {type(value).__name__}: {value}")
    _collections = {**(_collections or {}), **loaded}
    return _collections
