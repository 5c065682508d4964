"""One client suite, two transports, both databases: each test gets a client in-process
over an embedded SQLite file of its own, one in-process over PostgreSQL (a schema of its
own in the throwaway cluster of tests/conftest.py: skipped without the binaries, failed
under CI), and one of a real server process (shared by the module; tests keep apart by
naming their flows uniquely)."""

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


@pytest.fixture(params=["embedded", "postgres", "server"])
def transport_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def transport_env(transport_kind: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings (as environment variables) that choose this test's transport, beside its home."""
    if transport_kind == "server":
        server: ServerProcess = request.getfixturevalue("server")
        return {"HEADWATER_API_URL": server.url}
    if transport_kind == "postgres":
        return {"HEADWATER_DATABASE_URL": str(request.getfixturevalue("postgres_url"))}
    return {}


@pytest.fixture
def client(transport_env: dict[str, str], tmp_path: Path) -> Iterator[SyncPrefectClient]:
    chosen = {name.removeprefix("HEADWATER_").lower(): value for name, value in transport_env.items()}
    with SyncPrefectClient(load_settings(home=str(tmp_path / "home"), **chosen)) as c:
        yield c


@pytest.fixture
def flow_name() -> str:
    """A flow name no other test uses (the server is shared)."""
    return f"flow-{uuid.uuid4().hex[:10]}"
