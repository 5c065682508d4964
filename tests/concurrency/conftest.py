"""Fixtures for the concurrency tests: a private home, limits, and worker processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from limits_testkit import Workers, worker_env

from headwater.core.settings import reset_settings
from headwater.orchestrator import set_orchestrator, shutdown


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private $HEADWATER_HOME (embedded SQLite); the process's orchestrator starts anew inside it."""
    from headwater.engine import tag_limits

    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    for name in list(os.environ):
        if name.startswith("HEADWATER_") and name != "HEADWATER_HOME":
            monkeypatch.delenv(name)
    reset_settings()
    set_orchestrator(None)
    tag_limits.forget_cached_limits()
    yield path
    shutdown()
    reset_settings()
    tag_limits.forget_cached_limits()


@pytest.fixture
def workers_for(tmp_path: Path) -> Iterator[Any]:
    """`workers_for(database_url)` -> a `Workers` whose processes share that database."""
    made: list[Workers] = []

    def make(database_url: str) -> Workers:
        env = worker_env(database_url)
        env["HEADWATER_HOME"] = str(tmp_path / "worker-home")
        made.append(Workers(env, tmp_path))
        return made[-1]

    yield make
    for workers in made:
        workers.kill_all()
