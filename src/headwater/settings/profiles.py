"""Prefect's profiles over headwater's one configuration file.

headwater has one profile per `HEADWATER_HOME`, named `default`: the settings in
`$HEADWATER_HOME/config.toml`. `load_current_profile()` reads it and
`update_current_profile(...)` writes it, so code that edits the current profile
changes what headwater reads next time. Other profile names are refused with a
clear error (switch profiles by pointing `HEADWATER_HOME` elsewhere).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from headwater.core.settings import read_config_file
from headwater.settings.legacy import SETTINGS, Setting, resolve_field

__all__ = [
    "DEFAULT_PROFILE",
    "Profile",
    "ProfilesCollection",
    "load_current_profile",
    "load_profile",
    "load_profiles",
    "save_profiles",
    "update_current_profile",
]

DEFAULT_PROFILE = "default"


def config_path() -> Path:
    """`$HEADWATER_HOME/config.toml`, the file the default profile lives in."""
    from headwater.core.settings import get_settings

    return get_settings().home / "config.toml"


def _setting_for(field: str) -> Setting | str:
    """A field's Prefect setting object when there is one, else the headwater field name."""
    for name, info in SETTINGS.items():
        if info.field == field:
            return Setting(name)
    return field


class Profile:
    """A named set of settings.

    Attributes:
        name: the profile's name (`default` for headwater's one profile).
        settings: setting -> value; keys are `Setting` objects (headwater field
            names for settings Prefect has no name for).
        source: the file the profile was read from, or None.
    """

    def __init__(self, *, name: str, settings: Mapping[Any, Any] | None = None, source: Path | None = None) -> None:
        self.name = name
        self.settings: dict[Any, Any] = {}
        for key, value in (settings or {}).items():
            field = resolve_field(key)
            self.settings[key if isinstance(key, Setting) else _setting_for(field)] = value
        self.source = source

    def fields(self) -> dict[str, Any]:
        """The profile's values by headwater field name."""
        return {resolve_field(key): value for key, value in self.settings.items()}

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Profile) and other.name == self.name
                and other.fields() == self.fields())

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, settings={self.settings!r}, source={self.source!r})"


class ProfilesCollection:
    """Profiles by name, and which one is active."""

    def __init__(self, profiles: Iterable[Profile], active: str | None = None) -> None:
        self.profiles_by_name = {profile.name: profile for profile in profiles}
        self.active_name = active

    @property
    def names(self) -> set[str]:
        """The profiles' names."""
        return set(self.profiles_by_name)

    @property
    def active_profile(self) -> Profile | None:
        """The active profile, or None."""
        return self.profiles_by_name.get(self.active_name) if self.active_name else None

    def __getitem__(self, name: str) -> Profile:
        return self.profiles_by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.profiles_by_name)

    def __len__(self) -> int:
        return len(self.profiles_by_name)

    def add_profile(self, profile: Profile) -> None:
        """Add a profile; its name must be new."""
        if profile.name in self.profiles_by_name:
            raise ValueError(f"Profile name {profile.name!r} already exists in collection.")
        self.profiles_by_name[profile.name] = profile

    def update_profile(self, name: str, settings: Mapping[Any, Any], source: Path | None = None) -> Profile:
        """Merge `settings` into profile `name` (a value of None removes the setting)."""
        current = self.profiles_by_name.get(name)
        merged = dict(current.settings) if current else {}
        for key, value in Profile(name=name, settings=settings).settings.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        profile = Profile(name=name, settings=merged, source=source or (current.source if current else None))
        self.profiles_by_name[name] = profile
        return profile

    def __repr__(self) -> str:
        return f"ProfilesCollection(profiles={list(self.profiles_by_name.values())!r}, active={self.active_name!r})"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    secret = getattr(value, "get_secret_value", None)
    return json.dumps(str(secret() if secret is not None else value))  # JSON strings are TOML basic strings


def _write_config(path: Path, values: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{field} = {_toml_value(value)}\n" for field, value in sorted(values.items()))
    temporary = path.with_suffix(".toml.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def load_current_profile() -> Profile:
    """The profile in force: headwater's `default`, from `$HEADWATER_HOME/config.toml`."""
    path = config_path()
    return Profile(name=DEFAULT_PROFILE, settings=read_config_file(path), source=path)


def load_profiles(include_defaults: bool = True) -> ProfilesCollection:
    """All profiles: headwater's one, active."""
    return ProfilesCollection([load_current_profile()], active=DEFAULT_PROFILE)


def load_profile(name: str) -> Profile:
    """The profile called `name`.

    Raises:
        MissingProfileError: no such profile (headwater has only `default`; a ValueError).
    """
    from headwater.exceptions import MissingProfileError

    profiles = load_profiles()
    if name not in profiles.names:
        raise MissingProfileError(f"Profile {name!r} not found.")
    return profiles[name]


def save_profiles(profiles: ProfilesCollection) -> None:
    """Write the `default` profile's settings to `$HEADWATER_HOME/config.toml`.

    Raises:
        ValueError: the collection has other profiles; headwater keeps one per home.
    """
    others = sorted(profiles.names - {DEFAULT_PROFILE})
    if others:
        raise ValueError(f"headwater has one profile per HEADWATER_HOME, {DEFAULT_PROFILE!r}; cannot save "
                         f"{others}. Use another HEADWATER_HOME for another set of settings.")
    if DEFAULT_PROFILE in profiles.names:
        _write_config(config_path(), profiles[DEFAULT_PROFILE].fields())


def update_current_profile(settings: Mapping[Any, Any]) -> Profile:
    """Merge `settings` into the current profile and save it (a None value unsets).

    Returns:
        The profile as saved. The process's settings are read again, so the new
        values are in force at once.

    Raises:
        ProfileSettingsValidationError: a value is not valid for its setting.
    """
    from headwater.core.settings import reset_settings

    from pydantic import ValidationError

    from headwater.core.settings import Settings
    from headwater.exceptions import ProfileSettingsValidationError

    profiles = load_profiles()
    profile = profiles.update_profile(DEFAULT_PROFILE, settings)
    try:
        Settings(**profile.fields())
    except ValidationError as exc:
        raise ProfileSettingsValidationError(
            [(".".join(str(p) for p in error["loc"]), error["msg"]) for error in exc.errors()]) from None
    save_profiles(profiles)
    reset_settings()
    return profile
