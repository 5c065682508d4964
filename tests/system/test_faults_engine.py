"""Faults of the engine's process (issue #10): an engine killed with SIGKILL while
its flow holds concurrency slots.

A real `headwater server start` with its zombie service, real client-mode flow
processes (tests/system/fault_flows.py). The heartbeat timeout is set through
settings (HEADWATER_ZOMBIE_AFTER_SECONDS): 2 s at CI size, 30 s at full size
(HEADWATER_PROOF=full) with the engine's default 10 s heartbeat.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from .faults_kit import client_flow, start_server, task_runs_of, wait_file
from support import wait_for
from worker.conftest import Server

FLOWS = Path(__file__).with_name("fault_flows.py")


@pytest.fixture
def server_with_short_timeout(tmp_path: Path, full_size: bool) -> Iterator[Server]:
    timeout = "30" if full_size else "2"
    server = start_server(tmp_path / "server-home", HEADWATER_ZOMBIE_AFTER_SECONDS=timeout,
                          HEADWATER_SERVICES_INTERVAL_SECONDS="0.1")
    yield server
    server.stop()
    server.api.close()


@pytest.mark.timeout(240)
def test_sigkill_of_an_engine_holding_slots_crashes_its_run_within_twice_the_heartbeat_timeout(
        server_with_short_timeout: Server, tmp_path: Path, full_size: bool) -> None:
    server = server_with_short_timeout
    timeout = float(server.env["HEADWATER_ZOMBIE_AFTER_SECONDS"])
    heartbeat = "10" if full_size else "0.2"  # 10 s is the engine's default
    tasks, slots = (16, 5) if full_size else (4, 2)
    server.call("POST", "/v2/concurrency_limits/", json={"name": "faults-db", "limit": slots})
    server.call("POST", "/v2/concurrency_limits/", json={"name": "tag:faults-io", "limit": tasks})
    holder_dir, waiter_dir = tmp_path / "holder", tmp_path / "waiter"
    holder_dir.mkdir()
    waiter_dir.mkdir()
    holder = client_flow(server, FLOWS, "slot_holder", holder_dir, tasks, slots, home=holder_dir / "home",
                         HEADWATER_HEARTBEAT_INTERVAL_SECONDS=heartbeat)
    waiter = None
    try:
        wait_file(holder_dir / "holding", holder, 60)
        flow_run_id = (holder_dir / "holding").read_text()

        def running_with_heartbeat() -> bool:
            reply = server.api.get(f"/flow_runs/{flow_run_id}")  # 404 until its first batch arrives
            return reply.status_code == 200 and reply.json()["state"]["type"] == "RUNNING" and \
                bool(reply.json()["heartbeat"])

        wait_for(running_with_heartbeat, 30, "the holder's first heartbeat on the server")
        held = {name: server.call("GET", f"/v2/concurrency_limits/{name}")["slots_in_use"]
                for name in ("faults-db", "tag:faults-io")}
        assert held == {"faults-db": slots, "tag:faults-io": tasks}
        # Another engine wants the same slots and waits for them.
        waiter = client_flow(server, FLOWS, "slot_waiter", waiter_dir, tasks, slots, home=waiter_dir / "home",
                             HEADWATER_CONCURRENCY_POLL_MAX_SECONDS="0.2")
        wait_file(waiter_dir / "waiting", waiter, 60)

        os.kill(holder.pid, signal.SIGKILL)
        killed_at, killed_wall = time.monotonic(), time.time()
        holder.wait(10)
        wait_for(lambda: server.state(flow_run_id) == "CRASHED", 3 * timeout + 10, "the killed run to be Crashed")
        to_crashed = time.monotonic() - killed_at
        wait_file(waiter_dir / "acquired", waiter, 2 * timeout + 10)
        got_db, got_io = (float(t) - killed_wall for t in (waiter_dir / "acquired").read_text().split())
        waiter.finish(30)
    finally:
        for proc in (holder, waiter):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)
    print(f"\nkilled engine: Crashed after {to_crashed:.2f} s (bound {2 * timeout:g} s); the waiter had the slots "
          f"after {got_db:.2f} s ({slots} of faults-db) and {got_io:.2f} s ({tasks} of tag faults-io)")
    assert to_crashed <= 2 * timeout
    # The slots came back because the run was Crashed, not because their 60 s leases ran out.
    assert got_db <= 2 * timeout + 1 and got_io <= 2 * timeout + 1

    run = server.flow_run(flow_run_id)
    # On the server's own host the killed process itself is checked (server/services/zombies.py).
    assert "ended without recording how the run ended" in run["state"]["message"], run["state"]
    held_tasks = [t for t in task_runs_of(server, flow_run_id) if t["task_name"] == "hold_io"]
    assert len(held_tasks) == tasks and {t["state"]["type"] for t in held_tasks} == {"CRASHED"}
    for name in ("faults-db", "tag:faults-io"):
        assert server.call("GET", f"/v2/concurrency_limits/{name}")["slots_in_use"] == 0
    waiter_run = server.call("POST", "/flow_runs/filter", json={"flows": {"name": {"any_": ["slot-waiter"]}}})
    assert [r["state"]["type"] for r in waiter_run] == ["COMPLETED"]
