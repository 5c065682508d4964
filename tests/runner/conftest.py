"""Each test gets its own $HEADWATER_HOME (the git checkouts' cache lives there)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.settings import reset_settings


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    monkeypatch.chdir(tmp_path)
    reset_settings()
    yield path
    reset_settings()
