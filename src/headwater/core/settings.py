"""The one settings object.

Read once, from the environment (`HEADWATER_*`) and `$HEADWATER_HOME/config.toml`
(environment wins), by `load_settings()`, then passed down. No other module reads
`os.environ` for configuration.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from headwater.exceptions import ConfigurationError

__all__ = ["Settings", "get_settings", "load_settings", "read_config_file", "reset_settings"]

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything configurable, with its default. Environment variables are the
    field names upper-cased with a `HEADWATER_` prefix."""

    model_config = SettingsConfigDict(env_prefix="HEADWATER_", extra="ignore", frozen=True)

    home: Path = Field(default=Path("~/.headwater"), description="Where history, results and config live.")
    api_url: str | None = Field(default=None, description="Server API (with /api); unset = embedded.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in home.")
    api_key: SecretStr | None = Field(default=None, description="Bearer key the server requires.")
    secret_key: SecretStr | None = Field(
        default=None, description="Fernet keys for secret block fields (comma-separated, first encrypts); "
        "unset = the key file home/secret.key.")
    logging_level: LogLevel = Field(default="INFO", description="Level of run logs shown and stored.")
    logging_to_console: bool = Field(default=True, description="Print run logs to stderr.")
    logging_max_message_bytes: int = Field(
        default=1_000_000, ge=1_000, description="Longest log line stored (UTF-8 bytes); longer ones are truncated."
    )
    parameters_max_recorded_bytes: int = Field(
        default=1_000_000, ge=1_000,
        description="Most JSON bytes of a flow run's parameters kept in history; larger values become a note.",
    )
    variable_max_bytes: int = Field(
        default=1_000_000, ge=100, le=100_000_000,
        description="Largest variable value (UTF-8 bytes of its JSON); larger ones are refused.",
    )
    json_max_depth: int = Field(
        default=100, ge=1, le=200,  # headwater.core.json_depth: DEFAULT_DEPTH, MAX_DEPTH
        description="Deepest nesting of JSON accepted (API bodies, CLI values, recorded parameters).",
    )
    results_storage: str | None = Field(default=None, description="fsspec URL for results; default home/storage.")
    writer_flush_interval_seconds: float = Field(default=0.25, gt=0, description="How often history is flushed.")
    writer_batch_size: int = Field(default=5000, gt=0, description="Records per database write at most.")
    heartbeat_interval_seconds: float = Field(default=10.0, gt=0, description="How often a flow run heartbeats.")
    sqlite_busy_timeout_seconds: float = Field(default=30.0, gt=0, description="Wait on a locked SQLite file.")
    retention_days: int | None = Field(default=None, ge=1, description="Delete runs older than this.")
    events_enabled: bool = Field(default=True, description="Record events; off: `emit_event` returns None.")
    events_retention_days: float = Field(
        default=7.0, gt=0, description="Delete events that occurred longer ago than this (days)."
    )

    # -- caching and results (engine/caching.py) --
    refresh_cache: bool = Field(default=False, description="Recompute and overwrite every cached result.")

    # -- concurrency limits (engine/concurrency.py) --
    concurrency_lease_seconds: float = Field(default=60.0, gt=0, description="A held slot's lease; renewed.")
    concurrency_poll_max_seconds: float = Field(default=1.0, gt=0, description="Longest wait between tries.")

    # -- server (server/) and client mode (orchestrator/http.py) --
    server_host: str = Field(default="127.0.0.1", description="Address `headwater server start` binds.")
    server_port: int = Field(default=4200, ge=1, le=65535, description="Port `headwater server start` binds.")
    api_request_timeout_seconds: float = Field(default=30.0, gt=0, description="One API request's limit.")
    api_buffer_seconds: float = Field(default=60.0, gt=0, description="Buffer records this long if unreachable.")
    ui_url: str | None = Field(
        default=None, description="The server's address as browsers reach it (https://host:port/prefix), for the "
        "UI's redirects and cookies; unset: redirects are paths on the same site.")
    ui_session_seconds: float = Field(default=43_200.0, gt=0, description="A UI login's lifetime (with an API key).")
    api_ssl_cert_file: str | None = Field(
        default=None, description="CA bundle (PEM) to verify the server's TLS certificate; unset = certifi's.")
    api_tls_insecure_skip_verify: bool = Field(
        default=False, description="Do not verify the server's TLS certificate (self-signed test servers only).")
    late_run_after_seconds: float = Field(default=15.0, gt=0, description="Scheduled runs this late are Late.")
    zombie_after_seconds: float = Field(default=60.0, gt=0, description="No heartbeat this long: Crashed.")
    services_interval_seconds: float = Field(default=5.0, gt=0, description="Background services' loop period.")
    automations_enabled: bool = Field(default=True, description="Evaluate automations in `headwater server start`.")
    automations_interval_seconds: float = Field(default=0.2, gt=0, description="How often new events are evaluated.")

    # -- deployments: the scheduler (server/services/scheduler.py) and workers (worker/) --
    scheduler_horizon_seconds: float = Field(default=3600.0, gt=0, description="Create scheduled runs this far ahead.")
    worker_poll_interval_seconds: float = Field(default=0.5, gt=0, description="How often a worker looks for runs.")

    # -- background task runs: task.delay() and task workers (engine/background/) --
    task_scheduling_storage: str | None = Field(
        default=None, description="fsspec URL for background tasks' arguments and results; default: results_storage. "
        "Set a location every machine reaches when task workers run elsewhere.")
    task_worker_lease_seconds: float = Field(default=30.0, gt=0, le=3600,
                                             description="A claimed background run's lease; renewed while it runs.")
    background_poll_seconds: float = Field(default=0.01, gt=0, le=5,
                                           description="How often waiting task workers and futures look again.")

    # -- startup hooks of third-party packages (headwater/plugins.py) --
    plugins_enabled: bool = Field(default=False, description="Run plugins' setup hooks before a process's first run.")
    plugins_allow: str | None = Field(default=None, description="Comma-separated plugin names to use (unset: all).")
    plugins_deny: str | None = Field(default=None, description="Comma-separated plugin names to skip.")
    plugins_setup_timeout_seconds: float = Field(default=20.0, gt=0, description="Longest wait for the hooks.")
    plugins_strict: bool = Field(default=False, description="A failing plugin hook stops the process.")
    plugins_safe_mode: bool = Field(default=False, description="Load plugins but call no hook.")

    @field_validator("logging_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("home", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def database_url_resolved(self) -> str:
        """The database URL in force: the configured one or the embedded SQLite file."""
        return self.database_url or f"sqlite:///{self.home / 'headwater.db'}"

    @property
    def results_storage_resolved(self) -> str:
        """Where results are written: the configured location or `home/storage`."""
        return self.results_storage or str(self.home / "storage")

    @property
    def task_scheduling_storage_resolved(self) -> str:
        """Where background tasks' arguments and results go: the configured location or results'."""
        return self.task_scheduling_storage or self.results_storage_resolved

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # config.toml is merged in load_settings() as init values below the
        # environment, so only init and env sources are consulted here.
        return (init_settings, env_settings)


def read_config_file(path: Path) -> dict[str, Any]:
    """The values in a `config.toml` ({} when there is no file).

    Raises:
        ConfigurationError: the file cannot be read or parsed.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        with path.open("rb") as f:
            data: dict[str, Any] = tomllib.load(f)
        return data
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}. Fix or remove the file.") from exc


_warned: set[tuple[str, tuple[str, ...]]] = set()


def _warn_unknown_keys(path: Path, values: dict[str, Any]) -> None:
    """One line on stderr (once per file and set of keys) naming the keys of config.toml
    that are no setting: a misspelt one would otherwise be ignored without a word."""
    unknown = tuple(sorted(key for key in values if key not in Settings.model_fields))
    if not unknown or (str(path), unknown) in _warned:
        return
    _warned.add((str(path), unknown))
    import difflib

    hints = []
    for key in unknown:
        close = difflib.get_close_matches(key, list(Settings.model_fields), n=1)
        hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
    sys.stderr.write(f"headwater: warning: {path} has keys that are no setting, ignored: {', '.join(hints)}. "
                     "`headwater config view` lists the settings.\n")


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment and `$HEADWATER_HOME/config.toml`.

    Args:
        **overrides: values that win over everything else (tests and CLI flags).

    Raises:
        ConfigurationError: a value is invalid or config.toml cannot be parsed.
    """
    home = Path(overrides.get("home") or os.environ.get("HEADWATER_HOME") or "~/.headwater").expanduser()
    if home.exists() and not home.is_dir():
        raise ConfigurationError(
            f"HEADWATER_HOME {home} is a file, not a directory: move the file away or set HEADWATER_HOME to a directory"
        )
    from_file = read_config_file(home / "config.toml")
    _warn_unknown_keys(home / "config.toml", from_file)
    # The environment beats the file, and explicit overrides beat both.
    values = {k: v for k, v in from_file.items() if f"HEADWATER_{k.upper()}" not in os.environ}
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(
            f"invalid headwater settings ({problems}). Check HEADWATER_* variables and {home / 'config.toml'}."
        ) from None


_settings: Settings | None = None


def get_settings() -> Settings:
    """Return the process's settings, reading them on first use."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def reset_settings(settings: Settings | None = None) -> None:
    """Replace the process's settings (None: read them again on next use)."""
    global _settings
    _settings = settings
