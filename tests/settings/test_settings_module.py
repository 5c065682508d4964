"""`headwater.settings` (Prefect's settings names): setting objects, temporary settings,
and the one profile kept in `$HEADWATER_HOME/config.toml`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.context import use_profile
from headwater.core.settings import get_settings, load_settings, reset_settings
from headwater.exceptions import ConfigurationError, MissingProfileError, ProfileSettingsValidationError
from headwater.settings import (
    PREFECT_API_URL,
    PREFECT_HOME,
    Profile,
    ProfilesCollection,
    load_current_profile,
    load_profile,
    load_profiles,
    save_profiles,
    temporary_settings,
    update_current_profile,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    monkeypatch.delenv("HEADWATER_API_URL", raising=False)
    reset_settings()
    yield path
    reset_settings()


def test_setting_objects_read_the_settings_in_force(home: Path) -> None:
    assert PREFECT_HOME.value() == home
    assert PREFECT_API_URL.value() is None
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}) as settings:
        assert settings.api_url == get_settings().api_url == "http://127.0.0.1:9/api"
    assert PREFECT_API_URL.value() is None


def test_temporary_settings_refuses_bad_keys_and_values(home: Path) -> None:
    with pytest.raises(ValueError, match="Unknown setting: 'nope'"):
        with temporary_settings(updates={"nope": 1}):
            pass
    with pytest.raises(ConfigurationError, match="logging_level"):
        with temporary_settings(updates={"logging_level": "LOUD"}):
            pass
    assert get_settings().logging_level == "INFO"


def test_updating_the_current_profile_writes_config_toml(home: Path) -> None:
    assert load_current_profile().settings == {}
    profile = update_current_profile({PREFECT_API_URL: "http://127.0.0.1:9/api", "logging_level": "DEBUG"})
    assert profile.name == "default"
    text = (home / "config.toml").read_text()
    assert 'api_url = "http://127.0.0.1:9/api"' in text and 'logging_level = "DEBUG"' in text
    # What headwater reads next is what was written, in this process and the next.
    assert get_settings().api_url == "http://127.0.0.1:9/api"
    assert load_settings().logging_level == "DEBUG"
    assert load_current_profile().fields() == {"api_url": "http://127.0.0.1:9/api", "logging_level": "DEBUG"}
    update_current_profile({"api_url": None})
    assert load_current_profile().fields() == {"logging_level": "DEBUG"}


def test_an_invalid_profile_value_is_refused_before_writing(home: Path) -> None:
    with pytest.raises(ProfileSettingsValidationError, match="server_port"):
        update_current_profile({"server_port": 0})
    assert not (home / "config.toml").exists()


def test_headwater_has_one_profile(home: Path) -> None:
    profiles = load_profiles()
    assert profiles.names == {"default"} and profiles.active_name == "default"
    with pytest.raises(MissingProfileError, match="Profile 'dev' not found."):
        load_profile("dev")
    profiles.add_profile(Profile(name="dev", settings={PREFECT_API_URL: "http://x/api"}))
    with pytest.raises(ValueError, match="one profile per HEADWATER_HOME"):
        save_profiles(profiles)
    save_profiles(ProfilesCollection([Profile(name="default", settings={"logging_level": "ERROR"})], "default"))
    assert load_settings().logging_level == "ERROR"


def test_use_profile_puts_its_settings_in_force(home: Path) -> None:
    with use_profile(Profile(name="default", settings={"logging_level": "WARNING"})) as ctx:
        assert ctx.settings.logging_level == get_settings().logging_level == "WARNING"
        assert ctx.profile.name == "default"
    assert get_settings().logging_level == "INFO"
    with pytest.raises(TypeError, match="Expected 'str' or 'Profile'"):
        with use_profile(3):
            pass
