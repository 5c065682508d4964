"""Fixtures for automation tests: a private $HEADWATER_HOME (embedded database) per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.settings import reset_settings
from headwater.orchestrator import set_orchestrator, shutdown

_ENV = ["HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_LOGGING_LEVEL", "HEADWATER_LOGGING_TO_CONSOLE"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private $HEADWATER_HOME; the process's orchestrator starts anew inside it."""
    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    set_orchestrator(None)
    yield path
    shutdown()
    reset_settings()
