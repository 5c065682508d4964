"""A fresh $HEADWATER_HOME per test, with the process's orchestrator started anew in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.settings import reset_settings
from headwater.orchestrator import set_orchestrator, shutdown


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    for name in ("HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_RESULTS_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEADWATER_LOGGING_TO_CONSOLE", "false")
    reset_settings()
    set_orchestrator(None)
    yield path
    shutdown()
    reset_settings()
