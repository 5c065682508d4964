"""Client mode end to end: real `headwater server start` processes, real flow processes.

Flows run with HEADWATER_API_URL set send their history to the server; a server
restarted mid-flow loses nothing; many engine processes write at once; a server gone
for good costs the history, with a warning, never the flow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from .conftest import ServerProcess, child_env, wait_until

pytestmark = pytest.mark.timeout(240)

FLOW = """
import pathlib, sys, time
from headwater import flow, task, get_run_logger

signals = pathlib.Path(sys.argv[1])
n = int(sys.argv[2])

def wait_for(name):
    deadline = time.monotonic() + 90
    while not (signals / name).exists():
        if time.monotonic() > deadline:
            sys.exit("timed out waiting for " + name)
        time.sleep(0.02)

@task
def step(i):
    return i

@flow(name="client-flow")
def pipeline(n: int) -> int:
    total = sum(step(i) for i in range(n))
    get_run_logger().info("phase 1 done")
    if (signals / "pause").exists():
        from headwater.orchestrator import get_orchestrator
        assert get_orchestrator().flush(30)
        (signals / "phase1").touch()
        wait_for("server-down")
        total += sum(step(i) for i in range(n, 2 * n))
        (signals / "phase2").touch()
        wait_for("server-up")
        total += sum(step(i) for i in range(2 * n, 3 * n))
    return total

print(pipeline(n))
"""


def _run_flow(tmp_path: Path, server: ServerProcess | None, *args: str, url: str | None = None,
              **env: str) -> subprocess.Popen[str]:
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    api_url = url or (server.url if server else "")
    return subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), *args],
        env=child_env(tmp_path / "client-home", HEADWATER_API_URL=api_url, HEADWATER_LOGGING_TO_CONSOLE="false",
                      **env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _task_runs(api: str, flow_run_id: str) -> list[dict]:
    body = {"task_runs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 1000}
    return httpx.post(f"{api}/task_runs/filter", json=body).json()


def test_a_flow_in_client_mode_records_through_the_server(
    tmp_path: Path, server_process: Callable[..., ServerProcess]
) -> None:
    server = server_process().start()
    proc = _run_flow(tmp_path, server, "20")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    runs = httpx.post(f"{server.url}/flow_runs/filter", json={}).json()
    assert len(runs) == 1 and runs[0]["state"]["type"] == "COMPLETED"
    assert len(_task_runs(server.url, runs[0]["id"])) == 20
    # The CLI's read commands ask the same server.
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("headwater")), "flow-run", "ls", "--output", "json"],
        env=child_env(tmp_path / "other-home", HEADWATER_API_URL=server.url), capture_output=True, text=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert [run["id"] for run in json.loads(cli.stdout)] == [runs[0]["id"]]
    logs = subprocess.run(
        [str(Path(sys.executable).with_name("headwater")), "flow-run", "logs", runs[0]["id"][:12]],
        env=child_env(tmp_path / "other-home", HEADWATER_API_URL=server.url), capture_output=True, text=True,
        timeout=60,
    )
    assert logs.returncode == 0 and "phase 1 done" in logs.stdout, logs.stderr


def test_a_server_restarted_mid_flow_loses_nothing(
    tmp_path: Path, server_process: Callable[..., ServerProcess]
) -> None:
    server = server_process().start()
    (tmp_path / "pause").touch()
    proc = _run_flow(tmp_path, server, "30")
    wait_until(lambda: (tmp_path / "phase1").exists() or proc.poll() is not None, 90, "phase 1 of the flow")
    server.stop()
    (tmp_path / "server-down").touch()
    wait_until(lambda: (tmp_path / "phase2").exists() or proc.poll() is not None, 90, "phase 2 of the flow")
    server.start()  # same port, same database
    (tmp_path / "server-up").touch()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == str(sum(range(90)))
    run = httpx.post(f"{server.url}/flow_runs/filter", json={}).json()[0]
    assert run["state"]["type"] == "COMPLETED"
    tasks = _task_runs(server.url, run["id"])
    assert len(tasks) == 90 and {t["state"]["type"] for t in tasks} == {"COMPLETED"}
    states = httpx.get(f"{server.url}/flow_run_states/", params={"flow_run_id": run["id"]}).json()
    assert [s["type"] for s in states] == ["PENDING", "RUNNING", "COMPLETED"]
    logs = httpx.post(f"{server.url}/logs/filter", json={"logs": {"flow_run_id": {"any_": [run["id"]]}},
                                                         "limit": 1000}).json()
    assert sum("phase 1 done" in line["message"] for line in logs) == 1


def test_many_engine_processes_write_through_one_server(
    tmp_path: Path, server_process: Callable[..., ServerProcess]
) -> None:
    server = server_process().start()
    procs = []
    for i in range(6):
        folder = tmp_path / f"p{i}"
        folder.mkdir()
        procs.append(_run_flow(folder, server, "150"))
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert "locked" not in err
    runs = httpx.post(f"{server.url}/flow_runs/filter", json={}).json()
    assert len(runs) == 6 and {r["state"]["type"] for r in runs} == {"COMPLETED"}
    assert httpx.post(f"{server.url}/task_runs/count", json={}).json() == 900
    assert "locked" not in server.stop()


def test_without_a_server_the_flow_still_runs_and_says_history_is_incomplete(tmp_path: Path) -> None:
    from .conftest import free_port

    proc = _run_flow(tmp_path, None, "5", url=f"http://127.0.0.1:{free_port()}/api",
                     HEADWATER_API_BUFFER_SECONDS="0.5")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == str(sum(range(5)))
    assert "INCOMPLETE" in err


def test_a_wrong_key_or_url_is_one_clear_error(
    tmp_path: Path, server_process: Callable[..., ServerProcess]
) -> None:
    server = server_process(HEADWATER_API_KEY="right-key").start()
    proc = _run_flow(tmp_path, server, "1", HEADWATER_API_KEY="wrong-key")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "HEADWATER_API_KEY" in err and "right-key" not in err
    proc = _run_flow(tmp_path, None, "1", url=server.url.removesuffix("/api"), HEADWATER_API_KEY="right-key")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "/api" in err
    ok = _run_flow(tmp_path, server, "3", HEADWATER_API_KEY="right-key")
    _, err = ok.communicate(timeout=60)
    assert ok.returncode == 0, err
