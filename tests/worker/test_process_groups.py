"""A flow run's process and everything it started end together: cancel, worker shutdown,
a killed worker and a killed run process leave no subprocess of the flow running
(the worker signals the run's whole process group), and no task run Running."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from worker.conftest import HEADWATER, Server, Workers, wait_for


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent to reap it does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _start(server: Server, workers: Workers, pool: str, tmp_path: Path, **params: object
           ) -> tuple[str, subprocess.Popen[bytes], int, int]:
    """A run of `spawns_and_waits` under a new worker, waited into its task: (run id, the
    worker, the run's process id, the flow's own subprocess id)."""
    deployment = server.deploy(f"spawns-{tmp_path.name}"[:60], "spawns_and_waits", pool=pool)
    gate = tmp_path / "gate"
    run_id = server.run(deployment["id"], path=str(gate), **params)
    worker = workers.start(pool)
    wait_for(lambda: gate.with_suffix(".task").exists() and server.state(run_id) == "RUNNING", 30,
             "the run to reach its task")
    # The run's process sends its task run to the server in batches: wait until the server
    # has it, so what a kill leaves behind is the server's to end (not a record never sent).
    wait_for(lambda: _tasks(server, run_id) == ["RUNNING"], 30, "the server to hold the running task run")
    child = int(gate.with_suffix(".started").read_text().split()[1])
    sub = int(gate.with_suffix(".sub").read_text())
    assert _alive(child) and _alive(sub)
    return run_id, worker, child, sub


def _tasks(server: Server, run_id: str) -> list[str]:
    tasks = server.call("POST", "/task_runs/filter", json={"task_runs": {"flow_run_id": {"any_": [run_id]}}})
    return [t["state"]["type"] for t in tasks]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_cancel_ends_the_flows_own_subprocess(server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    run_id, _, child, sub = _start(server, workers, pool, tmp_path)
    try:
        began = time.monotonic()
        cancel = subprocess.run([HEADWATER, "flow-run", "cancel", run_id], env=server.client_env(),
                                capture_output=True, text=True, timeout=30)
        assert cancel.returncode == 0, cancel.stderr
        assert server.wait_final(run_id, timeout=20)["state"]["type"] == "CANCELLED"
        wait_for(lambda: not _alive(child), 15, "the run's process to end")
        wait_for(lambda: not _alive(sub), 10, "the flow's own subprocess to end")
        print(f"figure: cancel -> the flow's subprocess gone in {time.monotonic() - began:.2f} s")
        wait_for(lambda: _tasks(server, run_id) == ["CANCELLED"], 10, "its task run to end Cancelled")
    finally:
        _kill(sub)


def test_cancel_of_a_run_ignoring_sigterm_kills_its_group_and_ends_its_task_runs(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    run_id, _, child, sub = _start(server, workers, pool, tmp_path, ignore_sigterm=True)
    try:
        began = time.monotonic()
        server.call("POST", f"/flow_runs/{run_id}/cancel")
        run = server.wait_final(run_id, timeout=20)  # SIGKILL after the 2 s grace
        assert run["state"]["type"] == "CANCELLED", run["state"]
        wait_for(lambda: not _alive(child) and not _alive(sub), 10, "the run's process group to end")
        print(f"figure: cancel of a run ignoring SIGTERM -> its group gone in {time.monotonic() - began:.2f} s")
        assert _tasks(server, run_id) == ["CANCELLED"]
    finally:
        _kill(sub)


def test_worker_shutdown_ends_the_flows_own_subprocess(server: Server, workers: Workers, pool: str,
                                                        tmp_path: Path) -> None:
    run_id, worker, child, sub = _start(server, workers, pool, tmp_path)
    try:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        assert server.wait_final(run_id, timeout=20)["state"]["type"] == "CRASHED"
        wait_for(lambda: not _alive(child) and not _alive(sub), 10, "the run's process group to end")
        assert _tasks(server, run_id) == ["CRASHED"]
    finally:
        _kill(sub)


def test_a_killed_worker_leaves_no_subprocess_of_its_run(server: Server, workers: Workers, pool: str,
                                                         tmp_path: Path) -> None:
    run_id, worker, child, sub = _start(server, workers, pool, tmp_path)
    try:
        began = time.monotonic()
        os.kill(worker.pid, signal.SIGKILL)
        assert server.wait_final(run_id, timeout=20)["state"]["type"] == "CRASHED"
        wait_for(lambda: not _alive(child), 15, "the run's process to end")
        wait_for(lambda: not _alive(sub), 10, "the flow's own subprocess to end")
        print(f"figure: worker kill -9 -> the flow's subprocess gone in {time.monotonic() - began:.2f} s")
        wait_for(lambda: _tasks(server, run_id) == ["CRASHED"], 10, "its task run to end Crashed")
    finally:
        _kill(sub)


def test_a_run_process_killed_from_outside_ends_its_task_runs_and_subprocess(
        server: Server, workers: Workers, pool: str, tmp_path: Path) -> None:
    run_id, _, child, sub = _start(server, workers, pool, tmp_path)
    try:
        began = time.monotonic()
        os.kill(child, signal.SIGKILL)
        run = server.wait_final(run_id, timeout=20)
        print(f"figure: run process kill -9 -> run and task run Crashed in {time.monotonic() - began:.2f} s")
        # The worker ends it, naming the signal: the server's zombie service, which also sees
        # the recorded process gone, leaves a worker's run to its worker for a grace.
        assert run["state"]["type"] == "CRASHED" and "SIGKILL" in run["state"]["message"], run["state"]
        assert _tasks(server, run_id) == ["CRASHED"]  # in the same transaction as the run's end
        wait_for(lambda: not _alive(sub), 10, "the flow's own subprocess to end")
    finally:
        _kill(sub)


def test_a_worker_run_holding_the_gil_past_the_zombie_limit_is_not_declared_dead(
        server: Server, workers: Workers, pool: str) -> None:
    deployment = server.deploy("gil", "gil_holder", pool=pool)
    run_id = server.run(deployment["id"], seconds=5.0)  # the zombie limit here is 3 s
    workers.start(pool)
    run = server.wait_final(run_id, timeout=90)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert "CRASHED" not in [kind for kind, _ in server.states(run_id)]  # its worker vouched for it
