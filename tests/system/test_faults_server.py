"""Faults of the server and its database (issue #10), under a flow running in client mode.

- the server killed with SIGKILL mid-flow and started again on the same port and
  database: nothing is lost and the flow finishes Completed;
- PostgreSQL stopped and started under a running server: the server answers 503
  while it is away and reconnects after, the flow's engine resends, every record
  arrives, and the flow never sees an error.

The flow (`steady` in tests/system/fault_flows.py) runs tasks one after another,
sending history all the time; the test strikes when it is a third of the way and
holds it at two thirds until the fault has happened, so the fault always lands mid-flow.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import wait_for

from .faults_kit import PostgresCluster, client_flow, logs_of, start_server, task_runs_of, wait_file

FLOWS = Path(__file__).with_name("fault_flows.py")


def _assert_nothing_lost(server: Any, n: int, output: str) -> dict[str, Any]:
    """The flow's run is Completed with all `n` task runs, its states once each, and
    every log line exactly once (a batch resent after a lost reply is not written twice)."""
    assert output.strip() == str(sum(range(n)))
    runs = server.call("POST", "/flow_runs/filter", json={"flows": {"name": {"any_": ["steady"]}}})
    assert len(runs) == 1 and runs[0]["state"]["type"] == "COMPLETED", runs
    run = runs[0]
    tasks = task_runs_of(server, run["id"])
    assert len(tasks) == n and {t["state"]["type"] for t in tasks} == {"COMPLETED"}
    assert server.call("POST", "/task_runs/count", json={}) == n
    assert [t for t, _ in server.states(run["id"])] == ["PENDING", "RUNNING", "COMPLETED"]
    logs = [line for line in logs_of(server, run["id"]) if line.startswith("step ")]
    assert sorted(logs) == sorted(f"step {i}" for i in range(0, n, 10))
    return run


@pytest.mark.timeout(300)
def test_server_killed_mid_flow_and_restarted_loses_nothing(tmp_path: Path, full_size: bool) -> None:
    n, delay = (6000, 0.002) if full_size else (600, 0.004)
    server = start_server(tmp_path / "server-home")
    flow = client_flow(server, FLOWS, "steady", tmp_path, n, delay, "server-killed", home=tmp_path / "client")
    try:
        wait_file(tmp_path / "third", flow, 120)
        server.kill()  # while the flow is sending: about 20 batches a second
        (tmp_path / "server-killed").touch()
        wait_file(tmp_path / "past-gate", flow, 60)  # the flow goes on without its server
        server.start()  # same port, same SQLite file
        output = flow.finish(180)
        assert "cannot send run history" in flow.stderr_text() and "reachable again" in flow.stderr_text()
        assert "INCOMPLETE" not in flow.stderr_text()
        _assert_nothing_lost(server, n, output)
    finally:
        if flow.poll() is None:
            flow.kill()
            flow.wait(10)
        server.stop()
        server.api.close()


@pytest.fixture
def postgres_cluster() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster()
    except LookupError as exc:
        pytest.skip(str(exc))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.mark.timeout(300)
def test_postgres_restarted_under_a_running_server_loses_nothing(
        tmp_path: Path, postgres_cluster: PostgresCluster, full_size: bool) -> None:
    n, delay = (6000, 0.002) if full_size else (600, 0.004)
    outage = 30.0 if full_size else 6.0  # a restart, well inside the engine's 60 s history buffer
    server = start_server(tmp_path / "server-home", HEADWATER_DATABASE_URL=postgres_cluster.url)
    flow = client_flow(server, FLOWS, "steady", tmp_path, n, delay, "db-down", home=tmp_path / "client")
    try:
        wait_file(tmp_path / "third", flow, 120)
        postgres_cluster.stop()  # fast: every session of the server's pool is ended
        stopped = time.monotonic()
        (tmp_path / "db-down").touch()
        wait_file(tmp_path / "past-gate", flow, 60)
        # The server stays up and says what is wrong; the flow keeps running meanwhile.
        reply = server.api.post("/flow_runs/filter", json={})
        assert reply.status_code == 503 and "cannot connect to the database" in reply.json()["detail"], reply.text
        wait_for(lambda: time.monotonic() - stopped >= outage, outage + 5, "the database outage to last")
        postgres_cluster.start()
        output = flow.finish(180)
        assert server.proc is not None and server.proc.poll() is None
        assert "cannot send run history" in flow.stderr_text() and "reachable again" in flow.stderr_text()
        assert "INCOMPLETE" not in flow.stderr_text()
        _assert_nothing_lost(server, n, output)
    finally:
        if flow.poll() is None:
            flow.kill()
            flow.wait(10)
        server.stop()
        server.api.close()
