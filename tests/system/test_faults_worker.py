"""A worker losing its server (issue #10): the server process is frozen (SIGSTOP) for
2 minutes at full size (HEADWATER_PROOF=full), 12 s at CI size, while a worker's flow
run is going. The run keeps going, finishes while the server is still away, and when
the server is back its states and logs arrive and it ends Completed.

SIGSTOP is the harsher outage: connections are accepted by the kernel and then hang,
as across a network partition, rather than being refused at once. The history
buffer is headwater's default (HEADWATER_API_BUFFER_SECONDS unset).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import wait_for
from worker.conftest import Server, Workers

from .faults_kit import logs_of, start_server, task_runs_of

FLOWS = Path(__file__).with_name("fault_flows.py")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = start_server(tmp_path / "server-home", HEADWATER_API_BUFFER_SECONDS="")
    yield started
    if started.proc is not None and started.proc.poll() is None:
        started.proc.send_signal(signal.SIGCONT)  # a frozen server cannot stop
    started.stop()
    started.api.close()


@pytest.fixture
def workers(server: Server) -> Iterator[Workers]:
    made = Workers(server)
    yield made
    made.stop_all()


@pytest.mark.timeout(400)
def test_a_worker_run_keeps_going_while_the_server_is_away_and_reports_when_it_returns(
        server: Server, workers: Workers, tmp_path: Path, full_size: bool) -> None:
    outage = 120.0 if full_size else 12.0
    out = tmp_path / "out"
    out.mkdir()
    server.call("POST", "/work_pools/", json={"name": "outage"})
    deployment = server.call("POST", "/deployments/", json={
        "name": "outage", "flow_name": "through-outage", "entrypoint": f"{FLOWS}:through_outage",
        "work_pool_name": "outage"})
    run_id = server.run(deployment["id"], folder=str(out), delay=0.05)
    worker = workers.start("outage")
    wait_for(lambda: (out / "running").exists() and server.state(run_id) == "RUNNING", 60, "the run to start")

    assert server.proc is not None
    server.proc.send_signal(signal.SIGSTOP)
    stopped = time.monotonic()
    progress_at_stop = int((out / "progress").read_text())
    try:
        # Time must pass here: the outage is the scenario. Meanwhile the run goes on.
        wait_for(lambda: time.monotonic() - stopped >= outage, outage + 10, "the outage to last")
        progress = int((out / "progress").read_text())
        assert progress - progress_at_stop >= outage / 0.05 / 4, (progress_at_stop, progress)  # a quarter of the pace
        (out / "server-back").touch()  # the flow finishes while the server is still away
        wait_for(lambda: (out / "count").exists(), 60, "the flow to finish during the outage")
        assert worker.poll() is None
    finally:
        server.proc.send_signal(signal.SIGCONT)
    resumed = time.monotonic()

    run = server.wait_final(run_id, timeout=120)
    reported_after = time.monotonic() - resumed
    count = int((out / "count").read_text())
    print(f"\nworker outage of {outage:g} s: the run ran {progress - progress_at_stop} tasks during it and "
          f"{count} in all; Completed on the server {reported_after:.1f} s after it came back")
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert [t for t, _ in server.states(run_id)][-2:] == ["RUNNING", "COMPLETED"]
    assert "CRASHED" not in [t for t, _ in server.states(run_id)]
    tasks = task_runs_of(server, run_id)
    assert len(tasks) == count and {t["state"]["type"] for t in tasks} == {"COMPLETED"}
    logged = [line for line in logs_of(server, run_id) if line.startswith("outage step ")]
    assert sorted(logged) == sorted(f"outage step {i}" for i in range(count))  # each once, none lost
    worker_log = Path(workers.logs[0].name).read_text()
    assert "INCOMPLETE" not in worker_log, worker_log[-3000:]
