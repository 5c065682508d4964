"""`headwater version|config view|database ...`, central error handling, and start-up weight."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from headwater.cli import app
from headwater.core.settings import reset_settings

from .conftest import HEADWATER_SCRIPT

if TYPE_CHECKING:
    from .conftest import History


def test_version_shows_versions_database_and_embedded(runner: CliRunner, home: Path) -> None:
    from headwater._version import __version__

    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0, result.output
    fields = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert fields["Version"].strip() == __version__
    assert fields["Python"].strip().startswith(".".join(map(str, sys.version_info[:2])))
    assert fields["Database"].strip() == f"sqlite:///{home / 'headwater.db'}"
    assert fields["API"].strip() == "embedded"


def test_version_masks_the_database_password(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADWATER_DATABASE_URL", "postgresql+psycopg://ada:s3cret@db.example:5432/hw")
    monkeypatch.setenv("HEADWATER_API_URL", "http://127.0.0.1:4300/api")
    reset_settings()
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.stdout
    assert "postgresql+psycopg://ada:***@db.example:5432/hw" in result.stdout
    assert "http://127.0.0.1:4300/api" in result.stdout


def test_config_view_shows_values_and_sources(runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text('logging_level = "DEBUG"\nretention_days = 7\n')
    monkeypatch.setenv("HEADWATER_API_KEY", "top-secret-key")
    monkeypatch.setenv("HEADWATER_RETENTION_DAYS", "3")
    reset_settings()
    result = runner.invoke(app, ["config", "view", "--output", "json"])
    assert result.exit_code == 0, result.output
    assert "top-secret-key" not in result.stdout
    settings = json.loads(result.stdout)
    assert settings["home"] == {"env": "HEADWATER_HOME", "value": str(home), "source": "env"}
    assert settings["logging_level"] == {"env": "HEADWATER_LOGGING_LEVEL", "value": "DEBUG", "source": "config.toml"}
    assert settings["retention_days"]["value"] == 3
    assert settings["retention_days"]["source"] == "env"
    assert settings["api_key"]["value"] == "********"
    assert settings["writer_batch_size"]["source"] == "default"

    table = runner.invoke(app, ["config", "view"])
    assert table.exit_code == 0
    assert "top-secret-key" not in table.stdout
    assert 'HEADWATER_LOGGING_LEVEL="DEBUG" (config.toml)' in table.stdout.splitlines()
    assert 'HEADWATER_API_KEY="********" (env)' in table.stdout.splitlines()


def test_invalid_settings_are_one_error_line(runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_LOGGING_LEVEL", "LOUD")
    reset_settings()
    for command in (["version"], ["config", "view"], ["flow-run", "ls"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: invalid headwater settings (logging_level")
        assert result.stderr.count("\n") == 1


def test_database_upgrade_creates_the_database(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["database", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (home / "headwater.db").is_file()
    assert "is up to date (schema revision " in result.stdout
    again = runner.invoke(app, ["database", "upgrade"])
    assert again.exit_code == 0, again.output


def _run_names(runner: CliRunner) -> list[str]:
    result = runner.invoke(app, ["flow-run", "ls", "--output", "json"])
    assert result.exit_code == 0, result.output
    return [run["name"] for run in json.loads(result.stdout)]


def test_database_reset_asks_first(runner: CliRunner, history: History) -> None:
    declined = runner.invoke(app, ["database", "reset"], input="n\n")
    assert declined.exit_code == 1
    assert "Delete all run history in sqlite:///" in declined.output
    assert len(_run_names(runner)) == 2

    confirmed = runner.invoke(app, ["database", "reset"], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert _run_names(runner) == []


def test_database_reset_yes_does_not_ask(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["database", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Delete all" not in result.output
    assert "deleted 2 flow runs, 3 task runs and 6 log lines." in result.stdout
    assert _run_names(runner) == []


def test_database_reset_replaces_a_corrupt_file(runner: CliRunner, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "headwater.db").write_bytes(b"garbage, not SQLite " * 500)
    assert runner.invoke(app, ["flow-run", "ls"]).exit_code == 1
    result = runner.invoke(app, ["database", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    (moved,) = home.glob("headwater.db.corrupt-*")
    assert moved.read_bytes().startswith(b"garbage")
    assert _run_names(runner) == []


def test_database_reset_replaces_a_malformed_sqlite_file(runner: CliRunner, history: History, home: Path) -> None:
    database = home / "headwater.db"
    with database.open("r+b") as f:
        # Keep SQLite's header page, wreck the rest.
        f.seek(4096)
        f.write(b"\xff" * (database.stat().st_size - 4096))
    assert runner.invoke(app, ["flow-run", "ls"]).exit_code == 1
    result = runner.invoke(app, ["database", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Moved the unusable database file to" in result.stdout
    assert _run_names(runner) == []


def test_database_reset_leaves_a_locked_database_alone(
    runner: CliRunner, history: History, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setenv("HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS", "0.1")
    reset_settings()
    holder = sqlite3.connect(home / "headwater.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = runner.invoke(app, ["database", "reset", "--yes"])
    finally:
        holder.close()
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and "locked" in result.stderr
    assert list(home.glob("*.corrupt-*")) == []
    assert len(_run_names(runner)) == 2


# --- the real console script ---------------------------------------------------------------


def test_console_script_help_and_unknown_command(script_env: dict[str, str]) -> None:
    shown = subprocess.run([str(HEADWATER_SCRIPT), "--help"], env=script_env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    for command in ("run", "version", "flow-run", "config", "database"):
        assert command in shown.stdout
    unknown = subprocess.run([str(HEADWATER_SCRIPT), "flow-runs"], env=script_env, capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2


def test_console_script_on_a_corrupt_database(script_env: dict[str, str], home: Path) -> None:
    home.mkdir(parents=True)
    (home / "headwater.db").write_bytes(b"\x00\x01 definitely not sqlite " * 300)
    done = subprocess.run(
        [str(HEADWATER_SCRIPT), "flow-run", "ls"], env=script_env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: ")
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(home / "headwater.db") in done.stderr


def test_importing_the_cli_loads_neither_store_nor_engine(script_env: dict[str, str]) -> None:
    code = (
        "import sys, headwater.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'headwater.store', 'headwater.engine.runs', 'rich.table') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=script_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_home_that_is_a_file_is_one_error_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "home-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("HEADWATER_HOME", str(not_a_folder))
    reset_settings()
    try:
        result = runner.invoke(app, ["flow-run", "ls"])
    finally:
        reset_settings()
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert str(not_a_folder) in result.stderr
