"""Fixtures for engine tests: a fresh $HEADWATER_HOME per test, and its history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.settings import reset_settings
from headwater.orchestrator import get_orchestrator, set_orchestrator, shutdown

_ENV = ["HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_LOGGING_LEVEL", "HEADWATER_LOGGING_TO_CONSOLE",
        "HEADWATER_RESULTS_STORAGE"]


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


class History:
    """Reads what the engine recorded, after flushing the writer."""

    @property
    def store(self):  # type: ignore[no-untyped-def]
        orchestrator = get_orchestrator()
        assert orchestrator.flush(timeout=10)
        return orchestrator.store  # type: ignore[attr-defined]

    def flow_run(self, ref: str):  # type: ignore[no-untyped-def]
        return self.store.flow_runs.read_flow_run(ref)

    def only_flow_run(self):  # type: ignore[no-untyped-def]
        runs = self.store.flow_runs.list_flow_runs(limit=10)
        assert len(runs) == 1, runs
        return runs[0]

    def states(self, run_id: str) -> list[str]:
        return [s.name for s in self.store.history.read_states(run_id)]


@pytest.fixture
def history(home: Path) -> History:
    return History()
