"""Fixtures for events tests: a fresh $HEADWATER_HOME per test, and its history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import History, private_home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private $HEADWATER_HOME; the process's orchestrator starts anew inside it."""
    yield from private_home(tmp_path, monkeypatch, console=True)


@pytest.fixture
def history(home: Path) -> History:
    return History()
