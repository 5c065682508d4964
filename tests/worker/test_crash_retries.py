"""Flow-level retries apply when a run's process dies under a worker: a real server
and real worker processes; the deployments are made with `headwater deploy`, which
takes `retries` and `retry_delay_seconds` from the flow (tests/worker/flows.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from worker.conftest import FLOWS, HEADWATER, Server, Workers, wait_for


def deploy_cli(server: Server, flow: str, name: str, pool: str) -> dict:
    done = subprocess.run([HEADWATER, "deploy", f"{FLOWS}:{flow}", "--name", name, "--pool", pool],
                          env=server.client_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return server.call("GET", f"/deployments/name/{flow.replace('_', '-')}/{name}")  # type: ignore[no-any-return]


def attempts(out: Path) -> list[str]:
    return (out / "attempts.log").read_text().splitlines()


@pytest.mark.timeout(120)
def test_a_run_whose_process_dies_once_is_retried_and_completes(server: Server, workers: Workers, pool: str,
                                                                tmp_path: Path) -> None:
    deployment = deploy_cli(server, "die_first", "retry-once", pool)
    assert (deployment["retries"], deployment["retry_delay_seconds"]) == (1, [0.3])  # from @flow(...)
    run_id = server.run(deployment["id"], out=str(tmp_path), deaths=1)
    workers.start(pool)
    run = server.wait_final(run_id, timeout=60)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["run_count"] == 2
    first, second = attempts(tmp_path)
    assert first.split()[0] == second.split()[0] == run_id  # one flow run, two processes
    assert first.split()[1] != second.split()[1]
    states = server.call("GET", "/flow_run_states/", params={"flow_run_id": run_id})
    names = [s["name"] for s in states]
    crashed = names.index("Crashed")
    assert names[crashed + 1] == "AwaitingRetry" and names[-1] == "Completed"
    assert "exit code 137" in states[crashed]["message"]
    retry = states[crashed + 1]
    assert retry["details"]["after"] == "crash"
    wait_for(lambda: server.pool(pool)["active_runs"] == 0, 10, "the pool's slot to come back")


@pytest.mark.timeout(120)
def test_when_the_retries_are_used_the_run_stays_crashed(server: Server, workers: Workers, pool: str,
                                                        tmp_path: Path) -> None:
    deployment = deploy_cli(server, "die_first", "dies-twice", pool)
    run_id = server.run(deployment["id"], out=str(tmp_path), deaths=5)
    workers.start(pool)
    run = server.wait_final(run_id, timeout=60)
    assert run["state"]["type"] == "CRASHED", run["state"]
    assert "exit code 137" in run["state"]["message"]
    assert run["run_count"] == 2 and len(attempts(tmp_path)) == 2
    assert [s[1] for s in server.states(run_id)].count("AwaitingRetry") == 1


@pytest.mark.timeout(120)
def test_without_retries_a_run_whose_process_dies_ends_crashed(server: Server, workers: Workers, pool: str,
                                                               tmp_path: Path) -> None:
    deployment = deploy_cli(server, "die_first_no_retries", "no-retries", pool)
    assert deployment["retries"] == 0
    run_id = server.run(deployment["id"], out=str(tmp_path), deaths=1)
    workers.start(pool)
    run = server.wait_final(run_id, timeout=60)
    assert run["state"]["type"] == "CRASHED", run["state"]
    assert run["run_count"] == 1 and len(attempts(tmp_path)) == 1
    assert "AwaitingRetry" not in [name for _, name in server.states(run_id)]
