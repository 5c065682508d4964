"""Fixtures for worker tests: a real `headwater server start` process, real
`headwater worker start` processes, and the flows they run (tests/worker/flows.py).

Waits are bounded polls on the API (`wait_for`), never bare sleeps. Intervals are
shortened through the environment: services every 0.2 s, heartbeats every 0.3 s,
zombies after 3 s, SIGKILL 2 s after SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import ServerProcess, child_env, free_port, wait_for  # noqa: F401 (re-exported to the tests here)

FLOWS = Path(__file__).with_name("flows.py")
HEADWATER = str(Path(sys.executable).with_name("headwater"))
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


# Services, heartbeats and history quick enough for tests to wait on.
_QUICK = dict(
    HEADWATER_SERVICES_INTERVAL_SECONDS="0.2", HEADWATER_ZOMBIE_AFTER_SECONDS="3",
    HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.3", HEADWATER_WRITER_FLUSH_INTERVAL_SECONDS="0.05",
    HEADWATER_API_BUFFER_SECONDS="60",
)


def base_env(home: Path, **extra: str) -> dict[str, str]:
    return child_env(home, **{**_QUICK, **extra})


class Server(ServerProcess):
    """`headwater server start` with quick services (see `_QUICK`), plus an API client."""

    def __init__(self, home: Path, **env: str) -> None:
        super().__init__(home, **{**_QUICK, **env})
        self.api = httpx.Client(base_url=self.url, timeout=30)

    def client_env(self, **extra: str) -> dict[str, str]:
        """The environment of a worker or CLI talking to this server."""
        env = dict(self.env, HEADWATER_API_URL=self.url, **extra)
        env.pop("HEADWATER_DATABASE_URL", None)
        return env

    # -- small API helpers -----------------------------------------------------------
    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api.request(method, path, **kwargs)
        assert response.status_code < 300, (response.status_code, response.text)
        return response.json() if response.content else None

    def deploy(self, name: str, flow: str, *, pool: str, **fields: Any) -> dict[str, Any]:
        body = {"name": name, "flow_name": flow.replace("_", "-"), "entrypoint": f"{FLOWS}:{flow}",
                "work_pool_name": pool, **fields}
        return self.call("POST", "/deployments/", json=body)  # type: ignore[no-any-return]

    def run(self, deployment_id: str, **parameters: Any) -> str:
        run = self.call("POST", f"/deployments/{deployment_id}/create_flow_run", json={"parameters": parameters})
        return str(run["id"])

    def flow_run(self, flow_run_id: str) -> dict[str, Any]:
        return self.call("GET", f"/flow_runs/{flow_run_id}")  # type: ignore[no-any-return]

    def state(self, flow_run_id: str) -> str | None:
        state = self.flow_run(flow_run_id)["state"]
        return state["type"] if state else None

    def wait_final(self, flow_run_id: str, timeout: float = 30) -> dict[str, Any]:
        wait_for(lambda: self.state(flow_run_id) in FINAL, timeout, f"flow run {flow_run_id} to finish")
        return self.flow_run(flow_run_id)

    def states(self, flow_run_id: str) -> list[tuple[str, str]]:
        return [(s["type"], s["name"]) for s in self.call("GET", "/flow_run_states/",
                                                           params={"flow_run_id": flow_run_id})]

    def pool(self, name: str) -> dict[str, Any]:
        return self.call("GET", f"/work_pools/{name}")  # type: ignore[no-any-return]


class Workers:
    """`headwater worker start` processes of one test; all are killed at the end."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Any] = []

    def start(self, pool: str, *, limit: int | None = None, name: str | None = None,
              cancel_grace: float = 2.0, **env: str) -> subprocess.Popen[bytes]:
        args = [HEADWATER, "worker", "start", "--pool", pool, "--poll-interval", "0.05", "--heartbeat-interval",
                "0.3", "--cancel-grace", str(cancel_grace)]
        if limit is not None:
            args += ["--limit", str(limit)]
        if name is not None:
            args += ["--name", name]
        # A file, not a pipe: the worker's runs write to it too, and a pipe nobody reads fills up.
        log = open(Path(self.server.env["HEADWATER_HOME"]) / f"worker-{len(self.procs)}-{os.getpid()}.log", "ab")
        self.logs.append(log)
        proc = subprocess.Popen(args, env=self.server.client_env(**env), stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(15)
        for log in self.logs:
            log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server (SQLite) for the tests of a module; each test uses its own pool."""
    started = Server(tmp_path_factory.mktemp("server-home")).start()
    yield started
    started.stop()
    started.api.close()


@pytest.fixture
def workers(server: Server) -> Iterator[Workers]:
    made = Workers(server)
    yield made
    made.stop_all()


@pytest.fixture
def pool(server: Server, request: pytest.FixtureRequest) -> str:
    """A fresh work pool named after the test."""
    name = request.node.name.replace("[", "-").replace("]", "")[:60]
    server.call("POST", "/work_pools/", json={"name": name})
    return name
