"""One client suite, two transports: each test gets a client of the embedded database
(in-process, a SQLite file of its own) and one of a real server process (shared by
the module; tests keep apart by naming their flows uniquely)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ServerProcess

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import load_settings


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("client-server"), HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(params=["embedded", "server"])
def transport_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(transport_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SyncPrefectClient]:
    if transport_kind == "server":
        server: ServerProcess = request.getfixturevalue("server")
        settings = load_settings(home=str(tmp_path / "home"), api_url=server.url)
    else:
        settings = load_settings(home=str(tmp_path / "home"))
    with SyncPrefectClient(settings) as c:
        yield c


@pytest.fixture
def flow_name() -> str:
    """A flow name no other test uses (the server is shared)."""
    return f"flow-{uuid.uuid4().hex[:10]}"
