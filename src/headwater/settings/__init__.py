"""Settings, as in `prefect.settings`: Prefect's setting objects over headwater's settings.

    from headwater.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    PREFECT_API_URL.value()                   # HEADWATER_API_URL in force (None: embedded)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        ...

headwater reads its settings from `HEADWATER_*` variables and `$HEADWATER_HOME/config.toml`
(see `headwater config view`); the `PREFECT_*` objects here name the headwater setting
that does the same job. `get_current_settings()` returns headwater's `Settings`
(flat fields: `settings.api_url`, `settings.home`, ...).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.settings.legacy import SETTINGS, Setting, resolve_field
from headwater.settings.profiles import (
    Profile,
    ProfilesCollection,
    load_current_profile,
    load_profile,
    load_profiles,
    save_profiles,
    update_current_profile,
)

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = [
    "DEFAULT_PROFILES_PATH",
    "PREFECT_API_KEY",
    "PREFECT_API_URL",
    "PREFECT_HOME",
    "PREFECT_UI_URL",
    "Profile",
    "ProfilesCollection",
    "Setting",
    "Settings",
    "canonical_environment_prefix",
    "get_current_settings",
    "load_current_profile",
    "load_profile",
    "load_profiles",
    "save_profiles",
    "temporary_settings",
    "update_current_profile",
]

DEFAULT_PROFILES_PATH = Path("~/.headwater/config.toml").expanduser()
"""Where the default profile lives when `HEADWATER_HOME` is not set."""

PREFECT_HOME = Setting("PREFECT_HOME")
PREFECT_API_URL = Setting("PREFECT_API_URL")
PREFECT_API_KEY = Setting("PREFECT_API_KEY")
PREFECT_UI_URL = Setting("PREFECT_UI_URL")


def __getattr__(name: str) -> Any:
    if name == "Settings":
        from headwater.core.settings import Settings

        return Settings
    if name in SETTINGS:
        setting = Setting(name)
        globals()[name] = setting
        return setting
    if name.startswith("PREFECT_"):
        raise AttributeError(f"{name} is not a setting headwater has; `headwater config view` lists its "
                             "settings (HEADWATER_*)")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_current_settings() -> Settings:
    """The settings in force in this process (headwater's one settings object)."""
    from headwater.core.settings import get_settings

    return get_settings()


def canonical_environment_prefix(settings: Settings) -> str:
    """The prefix of the environment variables settings are read from: `HEADWATER_`."""
    return str(type(settings).model_config.get("env_prefix") or "HEADWATER_")


@contextlib.contextmanager
def temporary_settings(
    updates: Mapping[Any, Any] | None = None,
    set_defaults: Mapping[Any, Any] | None = None,
    restore_defaults: Iterable[Any] | None = None,
) -> Iterator[Settings]:
    """Change settings for the duration of a block, then put the previous ones back.

    Keys are setting objects (`PREFECT_API_URL`), Prefect names or paths
    (`"PREFECT_API_URL"`, `"api.url"`) or headwater field names (`"api_url"`).
    The change applies to the whole process, as headwater has one settings object.

    Args:
        updates: values to set.
        set_defaults: values used only for settings that are not configured.
        restore_defaults: settings to put back to their defaults.

    Yields:
        The settings in force inside the block.

    Raises:
        ValueError: a key names no setting.
        ConfigurationError: a value is invalid for its setting.
    """
    from pydantic import ValidationError

    from headwater.core.settings import Settings, get_settings, reset_settings
    from headwater.exceptions import ConfigurationError

    previous = get_settings()
    # Only what was configured is carried over, so `set_defaults` still sees the rest as unset.
    values = {field: getattr(previous, field) for field in previous.model_fields_set}
    for key in restore_defaults or ():
        field = resolve_field(key)
        values[field] = Settings.model_fields[field].default
    for key, value in (set_defaults or {}).items():
        values.setdefault(resolve_field(key), value)
    for key, value in (updates or {}).items():
        values[resolve_field(key)] = value
    try:
        new = Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigurationError(f"invalid temporary settings ({problems})") from None
    reset_settings(new)
    try:
        yield new
    finally:
        reset_settings(previous)
