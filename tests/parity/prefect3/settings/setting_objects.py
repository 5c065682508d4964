"""prefect.settings: setting objects read the settings in force; temporary_settings changes them for a block."""
from pathlib import Path

import prefect.settings
from prefect.settings import (
    PREFECT_API_KEY,
    PREFECT_API_URL,
    PREFECT_HOME,
    PREFECT_UI_URL,
    get_current_settings,
    temporary_settings,
)

print(PREFECT_API_URL.name, PREFECT_HOME.name, PREFECT_API_KEY.name)
home = PREFECT_HOME.value()
print(isinstance(home, Path), home.parent.resolve() == Path.cwd().resolve())
print(PREFECT_API_KEY.value(), PREFECT_API_KEY.is_secret, PREFECT_API_URL.is_secret)
print(repr(PREFECT_API_URL), PREFECT_API_URL.default())
url = "http://127.0.0.1:4999/api"
with temporary_settings(updates={PREFECT_API_URL: url, PREFECT_API_KEY: "s3cr3t"}) as settings:
    print(PREFECT_API_URL.value(), PREFECT_UI_URL.value(), PREFECT_API_KEY.value())
    print(str(PREFECT_API_URL), bool(PREFECT_API_URL), PREFECT_API_URL == url)
    print(PREFECT_API_URL.value_from(settings) == url, get_current_settings() is settings)
    with temporary_settings(restore_defaults=[PREFECT_API_URL]):
        print("restored:", PREFECT_API_URL.value(), bool(PREFECT_API_URL))
    with temporary_settings(updates={"api.url": "http://127.0.0.1:5000/api"}):
        print("by path:", PREFECT_API_URL.value())
    with temporary_settings(set_defaults={PREFECT_API_URL: "http://ignored/api"}):
        print("set_defaults keeps:", PREFECT_API_URL.value())
    print(PREFECT_API_URL.value())
print(PREFECT_API_KEY.value(), PREFECT_UI_URL.value() == PREFECT_UI_URL.value())
try:
    with temporary_settings(updates={"nope": 1}):
        pass
except ValueError as exc:
    print("ValueError:", exc)
try:
    prefect.settings.PREFECT_NOT_A_SETTING
except AttributeError:
    print("AttributeError")
level = prefect.settings.PREFECT_LOGGING_LEVEL
with temporary_settings(updates={level: "WARNING"}):
    print(level.name, level.value())
