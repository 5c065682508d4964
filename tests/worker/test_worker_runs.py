"""A real server process and real worker processes run deployments' flow runs:
once each, cancelled on request, Crashed with the exit code when their process dies,
Crashed with their slot freed when their worker is killed, resumed on retry."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from worker.conftest import FLOWS, HEADWATER, Server, Workers, wait_for


def test_a_run_executes_once_under_its_id_with_its_parameters(server: Server, workers: Workers, pool: str,
                                                              tmp_path: Path) -> None:
    deployment = server.deploy("once", "quick", pool=pool, parameters={"n": 1})
    run_id = server.run(deployment["id"], out=str(tmp_path), n=21)
    workers.start(pool)
    run = server.wait_final(run_id)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert (tmp_path / f"{run_id}.ran").exists()  # it ran as that very flow run
    assert run["parameters"] == {"n": 21, "out": str(tmp_path)}
    states = server.states(run_id)
    assert states[0] == ("SCHEDULED", "Scheduled") and ("PENDING", "Pending") in states
    assert states[-2:] == [("RUNNING", "Running"), ("COMPLETED", "Completed")]
    worker = server.call("GET", "/workers/", params={"work_pool_name": pool})
    assert [w["status"] for w in worker] == ["ONLINE"]


def test_a_process_that_dies_ends_crashed_with_its_exit_code(server: Server, workers: Workers, pool: str) -> None:
    deployment = server.deploy("dies", "exit_hard", pool=pool)
    run_id = server.run(deployment["id"], code=3)
    workers.start(pool)
    run = server.wait_final(run_id)
    assert run["state"]["type"] == "CRASHED"
    assert "exit code 3" in run["state"]["message"]
    wait_for(lambda: server.pool(pool)["active_runs"] == 0, 10, "the pool's slot to come back")


def test_cancelling_a_running_run_stops_it_starts_no_new_task_and_frees_the_slot(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    server.call("PATCH", f"/work_pools/{pool}", json={"concurrency_limit": 1})
    deployment = server.deploy("cancel-me", "slow_steps", pool=pool)
    run_id = server.run(deployment["id"], out=str(tmp_path), count=400, delay=0.05)
    workers.start(pool)
    steps = tmp_path / "steps.log"
    wait_for(lambda: steps.exists() and len(steps.read_text().splitlines()) >= 3, 30, "a few tasks to run")
    cancel = subprocess.run([HEADWATER, "flow-run", "cancel", run_id], env=server.client_env(), capture_output=True,
                            text=True, timeout=30)
    assert cancel.returncode == 0, cancel.stderr
    assert "Cancelling" in cancel.stdout
    run = server.wait_final(run_id, timeout=20)
    assert (run["state"]["type"], run["state"]["name"]) == ("CANCELLED", "Cancelled"), run["state"]
    started = len(steps.read_text().splitlines())
    assert started < 400
    assert (tmp_path / "hooks.log").read_text().splitlines() == ["on_cancellation Cancelled"]
    wait_for(lambda: server.pool(pool)["active_runs"] == 0, 10, "the pool's slot to come back")
    # Its process is gone: nothing starts after the end was recorded.
    follow_up = server.run(server.deploy("after-cancel", "quick", pool=pool)["id"], out=str(tmp_path / "next"))
    assert server.wait_final(follow_up)["state"]["type"] == "COMPLETED"
    assert len(steps.read_text().splitlines()) == started


def test_kill_9_of_a_worker_crashes_its_run_and_frees_the_slot(server: Server, workers: Workers, pool: str,
                                                                tmp_path: Path) -> None:
    server.call("PATCH", f"/work_pools/{pool}", json={"concurrency_limit": 1})
    deployment = server.deploy("hangs", "wait_for_file", pool=pool)
    gate = tmp_path / "gate"
    run_id = server.run(deployment["id"], path=str(gate))
    worker = workers.start(pool, name="doomed")
    wait_for(lambda: server.state(run_id) == "RUNNING", 30, "the run to start")
    child_pid = int(gate.with_suffix(".started").read_text().split()[1])
    os.kill(worker.pid, signal.SIGKILL)
    run = server.wait_final(run_id, timeout=20)
    assert run["state"]["type"] == "CRASHED", run["state"]
    assert "worker" in run["state"]["message"]
    wait_for(lambda: _gone(child_pid), 15, "the run's process to exit")
    wait_for(lambda: server.pool(pool)["active_runs"] == 0, 10, "the pool's slot to come back")
    # The slot is free: another worker runs the next run of the limited pool.
    workers.start(pool, name="successor")
    next_run = server.run(server.deploy("next", "quick", pool=pool)["id"], out=str(tmp_path / "next"))
    assert server.wait_final(next_run)["state"]["type"] == "COMPLETED"


def test_when_worker_and_run_are_killed_together_the_server_crashes_the_zombie(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    deployment = server.deploy("zombie", "wait_for_file", pool=pool)
    gate = tmp_path / "gate"
    run_id = server.run(deployment["id"], path=str(gate))
    worker = workers.start(pool)
    wait_for(lambda: server.state(run_id) == "RUNNING" and gate.with_suffix(".started").exists(), 30,
             "the run to start")
    child_pid = int(gate.with_suffix(".started").read_text().split()[1])
    os.kill(child_pid, signal.SIGKILL)
    os.kill(worker.pid, signal.SIGKILL)
    run = server.wait_final(run_id, timeout=20)  # zombie detection: no heartbeat for 3 s
    assert run["state"]["type"] == "CRASHED"
    # The run's own process, dead on the server's host, is what the server checks first.
    assert "ended without recording how the run ended" in run["state"]["message"], run["state"]
    assert server.pool(pool)["active_runs"] == 0


def test_retry_resumes_from_failure_without_rerunning_persisted_tasks(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    deployment = server.deploy("resume", "resumable", pool=pool)
    run_id = server.run(deployment["id"], out=str(tmp_path))
    workers.start(pool)
    assert server.wait_final(run_id)["state"]["type"] == "FAILED"
    assert (tmp_path / "expensive.log").read_text().splitlines() == ["ran"]
    (tmp_path / "fixed").touch()
    retry = subprocess.run([HEADWATER, "flow-run", "retry", run_id], env=server.client_env(), capture_output=True,
                           text=True, timeout=30)
    assert retry.returncode == 0, retry.stderr
    wait_for(lambda: server.state(run_id) != "FAILED", 10, "the retry to be scheduled")
    run = server.wait_final(run_id)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["run_count"] == 2
    assert (tmp_path / "expensive.log").read_text().splitlines() == ["ran"]  # its persisted result was reused
    assert (tmp_path / "fragile.log").read_text().splitlines() == ["ran", "ran"]
    tasks = server.call("POST", "/task_runs/filter", json={"task_runs": {"flow_run_id": {"any_": [run_id]}}})
    assert sorted(t["state"]["name"] for t in tasks if t["task_name"] == "expensive") == ["Cached", "Completed"]


def test_retry_of_a_run_not_from_a_deployment_says_what_to_do(server: Server) -> None:
    run = server.call("POST", "/flow_runs/", json={"flow_name": "adhoc", "state": {"type": "FAILED"}})
    retry = subprocess.run([HEADWATER, "flow-run", "retry", run["id"]], env=server.client_env(), capture_output=True,
                           text=True, timeout=30)
    assert retry.returncode == 1
    assert "was not created from a deployment" in retry.stderr and "headwater run" in retry.stderr


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_flows_file_exists() -> None:
    assert FLOWS.exists()


def test_cancel_new_cancels_a_run_due_while_the_deployment_limit_is_full(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    deployment = server.deploy("one-at-a-time", "wait_for_file", pool=pool, concurrency_limit=1,
                               concurrency_options={"collision_strategy": "CANCEL_NEW"})
    gate = tmp_path / "gate"
    first = server.run(deployment["id"], path=str(gate))
    workers.start(pool)
    wait_for(lambda: server.state(first) == "RUNNING", 30, "the first run to start")
    second = server.run(deployment["id"], path=str(gate))
    run = server.wait_final(second, timeout=20)
    assert (run["state"]["type"], run["state"]["name"], run["state"]["message"]) == (
        "CANCELLED", "Cancelled", "Deployment concurrency limit reached.")
    assert server.state(first) == "RUNNING"
    gate.write_text("go")
    assert server.wait_final(first)["state"]["type"] == "COMPLETED"
