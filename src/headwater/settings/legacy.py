"""Prefect's setting objects (`PREFECT_API_URL`, ...) over headwater's settings.

Each `Setting` names a Prefect setting and reads the headwater setting that does the
same job: `PREFECT_API_URL.value()` is `HEADWATER_API_URL` as currently configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["SETTINGS", "Setting", "resolve_field"]


@dataclass(frozen=True)
class SettingInfo:
    """Where a Prefect setting lives in headwater: a field of `Settings`, or None when
    the value is derived (`PREFECT_UI_URL`)."""

    field: str | None
    accessor: str
    type_text: str


# Prefect name -> headwater field (Prefect's nested accessor, for `"api.url"` keys).
SETTINGS: dict[str, SettingInfo] = {
    "PREFECT_HOME": SettingInfo("home", "home", "<class 'pathlib.Path'>"),
    "PREFECT_API_URL": SettingInfo("api_url", "api.url", "typing.Optional[str]"),
    "PREFECT_API_KEY": SettingInfo("api_key", "api.key", "typing.Optional[pydantic.types.SecretStr]"),
    "PREFECT_UI_URL": SettingInfo(None, "ui_url", "typing.Optional[str]"),
    "PREFECT_API_REQUEST_TIMEOUT": SettingInfo("api_request_timeout_seconds", "api.request_timeout",
                                               "<class 'float'>"),
    "PREFECT_API_SSL_CERT_FILE": SettingInfo("api_ssl_cert_file", "api.ssl_cert_file", "typing.Optional[str]"),
    "PREFECT_API_TLS_INSECURE_SKIP_VERIFY": SettingInfo("api_tls_insecure_skip_verify", "api.tls_insecure_skip_verify",
                                                        "<class 'bool'>"),
    "PREFECT_API_DATABASE_CONNECTION_URL": SettingInfo("database_url", "server.database.connection_url",
                                                       "typing.Optional[pydantic.types.SecretStr]"),
    "PREFECT_SERVER_DATABASE_CONNECTION_URL": SettingInfo("database_url", "server.database.connection_url",
                                                          "typing.Optional[pydantic.types.SecretStr]"),
    "PREFECT_LOGGING_LEVEL": SettingInfo("logging_level", "logging.level",
                                         "typing.Literal['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']"),
    "PREFECT_LOCAL_STORAGE_PATH": SettingInfo("results_storage", "results.local_storage_path",
                                              "typing.Optional[pathlib.Path]"),
    "PREFECT_RESULTS_LOCAL_STORAGE_PATH": SettingInfo("results_storage", "results.local_storage_path",
                                                      "typing.Optional[pathlib.Path]"),
    "PREFECT_TASKS_REFRESH_CACHE": SettingInfo("refresh_cache", "tasks.refresh_cache", "<class 'bool'>"),
    "PREFECT_SERVER_API_HOST": SettingInfo("server_host", "server.api.host", "<class 'str'>"),
    "PREFECT_SERVER_API_PORT": SettingInfo("server_port", "server.api.port", "<class 'int'>"),
    "PREFECT_PLUGINS_ENABLED": SettingInfo("plugins_enabled", "plugins.enabled", "<class 'bool'>"),
    "PREFECT_PLUGINS_ALLOW": SettingInfo("plugins_allow", "plugins.allow", "typing.Optional[set[str]]"),
    "PREFECT_PLUGINS_DENY": SettingInfo("plugins_deny", "plugins.deny", "typing.Optional[set[str]]"),
    "PREFECT_PLUGINS_SETUP_TIMEOUT_SECONDS": SettingInfo("plugins_setup_timeout_seconds",
                                                         "plugins.setup_timeout_seconds", "<class 'float'>"),
    "PREFECT_PLUGINS_STRICT": SettingInfo("plugins_strict", "plugins.strict", "<class 'bool'>"),
    "PREFECT_PLUGINS_SAFE_MODE": SettingInfo("plugins_safe_mode", "plugins.safe_mode", "<class 'bool'>"),
}


def resolve_field(key: Any) -> str:
    """The headwater field a settings key names: a `Setting`, a Prefect name
    (`"PREFECT_API_URL"`), a Prefect accessor (`"api.url"`) or a headwater field name.

    Raises:
        ValueError: the key names no setting headwater has.
    """
    from headwater.core.settings import Settings

    info: SettingInfo | None = None
    if isinstance(key, Setting):
        info = SETTINGS[key.name]
    elif isinstance(key, str):
        if key in Settings.model_fields:
            return key
        info = SETTINGS.get(key) or next((i for i in SETTINGS.values() if i.accessor == key), None)
    if info is None:
        raise ValueError(f"Unknown setting: {key!r}")
    if info.field is None:
        raise ValueError(f"{key!r} is derived from PREFECT_API_URL and cannot be set; set PREFECT_API_URL instead")
    return info.field


class Setting:
    """One Prefect setting, read from headwater's settings in force.

    Example:
        >>> from headwater.settings import PREFECT_API_URL
        >>> PREFECT_API_URL.value()       # None: runs are recorded without a server
    """

    __slots__ = ("_name", "_info")

    def __init__(self, name: str) -> None:
        self._name = name
        self._info = SETTINGS[name]

    @property
    def name(self) -> str:
        """The Prefect name, e.g. `PREFECT_API_URL`."""
        return self._name

    @property
    def accessor(self) -> str:
        """Prefect's path to the value in its settings object, e.g. `api.url`."""
        return self._info.accessor

    @property
    def field(self) -> str | None:
        """The headwater settings field that holds the value (None when derived)."""
        return self._info.field

    @property
    def is_secret(self) -> bool:
        """Whether the value is a secret (shown as dots by `headwater config view`)."""
        return "SecretStr" in self._info.type_text

    def default(self) -> Any:
        """The value when nothing is configured."""
        from headwater.core.settings import Settings

        if self._info.field is None:
            return None
        return Settings.model_fields[self._info.field].default

    def value(self) -> Any:
        """The value in force now (secrets unwrapped)."""
        from headwater.core.settings import get_settings

        return self.value_from(get_settings())

    def value_from(self, settings: Settings) -> Any:
        """The value in `settings` (secrets unwrapped)."""
        if self._info.field is None:  # PREFECT_UI_URL: the server's pages are at its root
            api_url = settings.api_url
            if not api_url:
                return None
            return api_url[: -len("/api")] if api_url.rstrip("/").endswith("/api") else api_url
        value = getattr(settings, self._info.field)
        secret = getattr(value, "get_secret_value", None)
        return secret() if secret is not None else value

    def __bool__(self) -> bool:
        return bool(self.value())

    def __str__(self) -> str:
        return str(self.value())

    def __repr__(self) -> str:
        return f"<{self._name}: {self._info.type_text}>"

    def __eq__(self, other: object) -> bool:
        return bool(self.value() == other)

    def __hash__(self) -> int:
        return hash((type(self), self._name))
