"""The server's scheduler makes runs at their instants and workers start them on time;
a worker that loses the server keeps its runs going and reconnects."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from worker.conftest import Server, Workers, wait_for


def _due(server: Server, flow_run_id: str) -> float:
    first = server.call("GET", "/flow_run_states/", params={"flow_run_id": flow_run_id})[0]
    return datetime.fromisoformat(first["details"]["scheduled_time"]).timestamp()


def test_an_interval_schedule_produces_runs_that_start_on_time(server: Server, workers: Workers, pool: str,
                                                               tmp_path: Path) -> None:
    workers.start(pool)
    wait_for(lambda: server.pool(pool)["status"] == "READY", 30, "the worker to come online")
    deployment = server.deploy("every-second", "quick", pool=pool, parameters={"out": str(tmp_path)},
                               schedules=[{"interval": 1}])
    log = tmp_path / "runs.log"
    wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 4, 60, "four scheduled runs")
    server.call("PATCH", f"/deployments/{deployment['id']}", json={"paused": True})
    runs = sorted((_due(server, run_id), float(started)) for run_id, started in
                  (line.split() for line in log.read_text().splitlines()))
    due = [t for t, _ in runs]
    assert all(t == int(t) for t in due)  # on the interval's instants (anchored at a whole second)
    assert {b - a for a, b in zip(due, due[1:])} == {1.0}  # every instant, none twice
    # Claimed ahead, loaded, then started at the due time: the flow's first line runs right after it.
    lateness = sorted(started - t for t, started in runs)
    assert lateness[0] > -0.05, lateness  # never early
    assert lateness[len(lateness) // 2] < 3.0, lateness  # generous: the machine may be busy (see bench/)
    scheduled = server.call("POST", "/flow_runs/count", json={
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
        "flows": {"name": {"any_": ["quick"]}}})
    assert scheduled <= 1  # pausing deleted the runs created ahead (one may be claimed already)


def test_a_worker_keeps_its_run_while_the_server_is_down_and_reconnects(tmp_path: Path) -> None:
    server = Server(tmp_path / "home").start()
    workers = Workers(server)
    try:
        server.call("POST", "/work_pools/", json={"name": "outage"})
        deployment = server.deploy("survives", "wait_for_file", pool="outage")
        gate = tmp_path / "gate"
        run_id = server.run(deployment["id"], path=str(gate))
        worker = workers.start("outage")
        wait_for(lambda: server.state(run_id) == "RUNNING", 30, "the run to start")
        server.stop()
        gate.touch()  # the run finishes while the server is down
        wait_for(lambda: len(gate.with_suffix(".started").read_text().splitlines()) == 1, 5, "the run")
        server.start()
        run = server.wait_final(run_id, timeout=60)
        assert run["state"]["type"] == "COMPLETED", run["state"]
        assert worker.poll() is None  # the worker lived through it
        follow_up = server.run(server.deploy("after", "quick", pool="outage")["id"], out=str(tmp_path / "out"))
        assert server.wait_final(follow_up, timeout=60)["state"]["type"] == "COMPLETED"
    finally:
        workers.stop_all()
        server.stop()
        server.api.close()
