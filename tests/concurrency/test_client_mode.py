"""Concurrency limits in client mode: real `headwater server start` processes, real clients.

With HEADWATER_API_URL set, flows, `concurrency()`, `rate_limit()`, tag limits and the
`gcl` / `concurrency-limit` commands all go through the server: nothing opens a
database on the client's side, limits hold across client processes, and a client
killed while holding slots gets them released by the server's zombie detection long
before its lease would expire.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from limits_testkit import Workers, max_overlap

pytestmark = pytest.mark.timeout(120)

HEADWATER = Path(sys.executable).with_name("headwater")
V2 = "v2/concurrency_limits"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), NO_COLOR="1", **extra)
    return env


def _wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `condition` (short, bounded polls) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Server:
    """`headwater server start` on a free port, over SQLite in its own home."""

    def __init__(self, home: Path, **env: str) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        self.proc = subprocess.Popen([str(HEADWATER), "server", "start", "--port", str(port)],
                                     env=_env(home, **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.api = httpx.Client(base_url=self.url + "/", timeout=30)
        _wait_until(self._healthy, 30, "the headwater server to start")

    def _healthy(self) -> bool:
        if self.proc.poll() is not None:
            out = self.proc.stdout.read().decode() if self.proc.stdout else ""
            raise AssertionError(f"the server exited with {self.proc.returncode}:\n{out}")
        try:
            return self.api.get("health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def limit(self, name: str) -> dict[str, Any]:
        response = self.api.get(f"{V2}/{name}")
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def stop(self) -> None:
        self.api.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.communicate(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server shared by this module's tests (each uses its own limit names)."""
    started = Server(tmp_path_factory.mktemp("server-home"))
    yield started
    started.stop()


def _no_local_database(home: Path) -> None:
    found = [str(p) for p in home.rglob("*") if p.suffix in (".db", ".sqlite")] if home.exists() else []
    assert not found, f"client mode opened a local database: {found}"


FLOW = """
import json, time
from headwater import flow, task
from headwater.concurrency.sync import rate_limit

@task(tags=["cm-db"])
def query(i):
    began = time.time()
    time.sleep(0.05)
    return [began, time.time()]

@flow(name="client-limits")
def pipeline(n):
    futures, stamps = [], []
    for i in range(n):
        rate_limit("cm-api")
        stamps.append(time.time())
        futures.append(query.submit(i))
    return {"windows": [f.result() for f in futures], "stamps": stamps}

print(json.dumps(pipeline(12)))
"""


def test_a_flow_in_client_mode_is_paced_and_limited_by_the_server(server: Server, tmp_path: Path) -> None:
    server.api.post(f"{V2}/", json={"name": "cm-api", "limit": 3, "slot_decay_per_second": 10}).raise_for_status()
    server.api.post("concurrency_limits/", json={"tag": "cm-db", "concurrency_limit": 1}).raise_for_status()
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    home = tmp_path / "client-home"

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=90,
                          env=_env(home, HEADWATER_API_URL=server.url, HEADWATER_LOGGING_TO_CONSOLE="false"))

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    windows = [tuple(w) for w in result["windows"]]
    assert len(windows) == 12 and max_overlap(windows) == 1  # the tag limit of 1, held by the server
    stamps = result["stamps"]
    assert 0.8 <= stamps[-1] - stamps[0] <= 5  # a burst of 3, then 9 more at 10/s
    _no_local_database(home)

    runs = server.api.post("flow_runs/filter", json={"flows": {"name": {"any_": ["client-limits"]}}}).json()
    assert [run["state"]["type"] for run in runs] == ["COMPLETED"]
    logs = server.api.post("logs/filter", json={"logs": {"flow_run_id": {"any_": [runs[0]["id"]]}},
                                                "limit": 200}).json()
    assert any("waiting for 1 slot of 'cm-db' (1/1 in use)" in line["message"] for line in logs)
    assert server.limit("tag:cm-db")["slots_in_use"] == 0  # every slot given back


def test_the_cli_round_trip_goes_through_the_server(server: Server, tmp_path: Path) -> None:
    home = tmp_path / "cli-home"
    env = _env(home, HEADWATER_API_URL=server.url)

    def headwater(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(HEADWATER), *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == code, done.stderr
        return done

    created = headwater("gcl", "create", "cm-cli", "--limit", "3", "--slot-decay-per-second", "0.5")
    assert created.stdout.strip() == "Created global concurrency limit 'cm-cli': limit 3, 0.5 slot(s)/s decay, " \
                                     "active."
    assert (server.limit("cm-cli")["limit"], server.limit("cm-cli")["slot_decay_per_second"]) == (3, 0.5)
    headwater("gcl", "update", "cm-cli", "--limit", "4")
    headwater("gcl", "disable", "cm-cli")
    shown = json.loads(headwater("gcl", "inspect", "cm-cli", "--output", "json").stdout)
    assert (shown["limit"], shown["active"]) == (4, False)
    listed = json.loads(headwater("gcl", "ls", "--output", "json").stdout)
    assert "cm-cli" in [x["name"] for x in listed] and "tag:cm-cli-tag" not in [x["name"] for x in listed]

    headwater("concurrency-limit", "create", "cm-cli-tag", "2")
    assert server.limit("tag:cm-cli-tag")["limit"] == 2
    duplicate = headwater("gcl", "create", "cm-cli", "--limit", "1", code=1)
    assert duplicate.stderr.startswith("Error: a global concurrency limit 'cm-cli' already exists (limit 4)")
    assert "Traceback" not in duplicate.stderr

    headwater("gcl", "delete", "cm-cli")
    headwater("concurrency-limit", "delete", "cm-cli-tag")
    missing = headwater("gcl", "inspect", "cm-cli", code=1)
    assert missing.stderr == "Error: there is no global concurrency limit 'cm-cli'; list the limits with " \
                             "`headwater gcl ls`\n"
    assert server.api.get(f"{V2}/tag:cm-cli-tag").status_code == 404
    _no_local_database(home)


def test_three_client_processes_never_exceed_the_limit(server: Server, tmp_path: Path) -> None:
    server.api.post(f"{V2}/", json={"name": "cm-hold", "limit": 2}).raise_for_status()
    workers = Workers(_env(tmp_path / "workers-home", HEADWATER_API_URL=server.url,
                           HEADWATER_LOGGING_LEVEL="WARNING"), tmp_path)
    try:
        for _ in range(3):
            workers.start("hold", "cm-hold", 6, 0.03)
        workers.go()
        windows = [tuple(w) for result in workers.results(timeout=90) for w in result]
    finally:
        workers.kill_all()

    assert len(windows) == 18
    assert max_overlap(windows) == 2  # the limit is reached, never exceeded
    # Two at a time, 18 holds of 30 ms need at least 0.27 s from the first to the last.
    assert max(end for _, end in windows) - min(begin for begin, _ in windows) >= 18 * 0.03 / 2
    assert server.limit("cm-hold")["slots_in_use"] == 0
    _no_local_database(tmp_path / "workers-home")


HOLDING_FLOW = """
import sys
from headwater import flow
from headwater.concurrency.sync import concurrency

@flow(name="zombie-holder")
def hold():
    with concurrency("cm-zombie"):
        print("held", flush=True)
        sys.stdin.read()  # until killed

hold()
"""


def test_a_killed_flow_runs_slots_come_back_when_it_is_marked_crashed(tmp_path: Path) -> None:
    # Zombies are judged after 1.5 s without heartbeat; the slot's lease is the default 60 s.
    server = Server(tmp_path / "server-home", HEADWATER_ZOMBIE_AFTER_SECONDS="1.5",
                    HEADWATER_SERVICES_INTERVAL_SECONDS="0.1")
    script = tmp_path / "hold.py"
    script.write_text(HOLDING_FLOW)
    proc = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=_env(tmp_path / "client-home", HEADWATER_API_URL=server.url,
                                     HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.2",
                                     HEADWATER_LOGGING_TO_CONSOLE="false"))
    try:
        server.api.post(f"{V2}/", json={"name": "cm-zombie", "limit": 1}).raise_for_status()
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held", proc.stderr
        holders = server.limit("cm-zombie")["holders"]
        assert len(holders) == 1 and holders[0]["holder"]["pid"] == proc.pid
        flow_run_id = holders[0]["holder"]["flow_run_id"]

        def running_with_heartbeat() -> bool:
            reply = server.api.get(f"flow_runs/{flow_run_id}")  # 404 until the run's first batch arrives
            return reply.status_code == 200 and bool(reply.json()["heartbeat"]) and \
                reply.json()["state"]["type"] == "RUNNING"

        _wait_until(running_with_heartbeat, 30, "the flow run's first heartbeat on the server")

        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        killed = time.monotonic()
        _wait_until(lambda: server.limit("cm-zombie")["leased_slots"] == 0, 50, "the slot to come back")
        waited = time.monotonic() - killed

        assert waited < 15  # the lease alone would have held it for 60 s
        assert server.api.get(f"flow_runs/{flow_run_id}").json()["state"]["type"] == "CRASHED"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
        server.stop()
