"""Fixtures for server tests: a real server, in a thread or in its own process.

- `serve_app(app)`: serve an ASGI app with uvicorn in a thread on a free port.
- `api`: an `httpx.Client` on `/api` of a server over `store_url` (SQLite and PostgreSQL).
- `ServerProcess` (from tests/support.py): `headwater server start` as a subprocess, restartable on its port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from headwater.core.settings import Settings, load_settings
from headwater.server import create_app
from support import ServerProcess, child_env, free_port, wait_until  # noqa: F401 (re-exported to the tests here)


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a thread; yield its base URL (no /api)."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started or not thread.is_alive(), 30, "the test server to start")
        assert server.started, "the test server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def server_settings(store_url: str, tmp_path: Path) -> Settings:
    return load_settings(home=tmp_path / "home", database_url=store_url)


@pytest.fixture
def server_url(server_settings: Settings) -> Iterator[str]:
    """Base URL of a server (services off) over each kind of database."""
    with serve_app(create_app(server_settings, services=False)) as url:
        yield url


@pytest.fixture
def api(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server_url}/api", timeout=30) as client:
        yield client


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def make(**env: str) -> ServerProcess:
        server = ServerProcess(tmp_path / "server-home", **env)
        started.append(server)
        return server

    yield make
    for server in started:
        if server.proc is not None and server.proc.poll() is None:
            server.kill()
