"""Suspend with a real server and worker: the flow's process ends with the run
Suspended (not Crashed); resumed with input from the CLI, the worker runs the flow
again under the same id, the task that completed before is answered from its
persisted result (not run again), and the run completes with the input."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ServerProcess, child_env, wait_for

FLOWS = Path(__file__).with_name("flows.py")
HEADWATER = str(Path(sys.executable).with_name("headwater"))
_QUICK = dict(HEADWATER_SERVICES_INTERVAL_SECONDS="0.2", HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.3",
              HEADWATER_WRITER_FLUSH_INTERVAL_SECONDS="0.05", HEADWATER_LOGGING_TO_CONSOLE="false")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "server", **_QUICK).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def worker(server: ServerProcess, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = child_env(tmp_path / "worker", HEADWATER_API_URL=server.url, **_QUICK)
    httpx.post(f"{server.url}/work_pools/", json={"name": "suspend-pool"}, timeout=30).raise_for_status()
    with open(tmp_path / "worker.log", "ab") as log:
        proc = subprocess.Popen([HEADWATER, "worker", "start", "--pool", "suspend-pool", "--poll-interval", "0.05"],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


def test_suspended_run_runs_again_when_resumed(server: ServerProcess, worker: subprocess.Popen[bytes],
                                               tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as api:
        suspend_and_resume(api, server, worker, tmp_path)


def suspend_and_resume(api: httpx.Client, server: ServerProcess, worker: subprocess.Popen[bytes],
                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    deployment = api.post("/deployments/", json={
        "name": "suspends", "flow_name": "suspending", "entrypoint": f"{FLOWS}:suspending",
        "work_pool_name": "suspend-pool"}).json()
    run = api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": {"out": str(out)}}).json()
    flow_run_id = run["id"]

    def state() -> tuple[str, str]:
        current = api.get(f"/flow_runs/{flow_run_id}").json()["state"] or {}
        return current.get("type", ""), current.get("name", "")

    wait_for(lambda: state() == ("PAUSED", "Suspended"), 60, "the run to be suspended")
    assert (out / "tasks.log").read_text().split() == ["before"]
    # The flow's process left on purpose: the worker does not call it a crash.
    def input_keys() -> list[str]:
        found = api.post(f"/flow_runs/{flow_run_id}/input/filter", json={"prefix": "suspended-1-", "limit": 10})
        return [i["key"] for i in found.json()]

    wait_for(lambda: input_keys() == ["suspended-1-schema"], 30, "the input's schema to be stored")
    wait_for(lambda: "suspending" not in _worker_children(worker.pid), 30, "the flow's process to exit")
    assert state() == ("PAUSED", "Suspended")

    env = child_env(tmp_path / "cli", HEADWATER_API_URL=server.url, HEADWATER_LOGGING_TO_CONSOLE="false")
    refused = subprocess.run([HEADWATER, "flow-run", "resume", flow_run_id, "-i", "value=seven"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "run_input.value" in refused.stderr, refused
    resumed = subprocess.run([HEADWATER, "flow-run", "resume", flow_run_id, "-i", "value=7"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed
    assert "Resuming" in resumed.stdout

    wait_for(lambda: state()[0] in ("COMPLETED", "FAILED", "CRASHED"), 60, "the resumed run to finish")
    assert state() == ("COMPLETED", "Completed")
    assert (out / "tasks.log").read_text().split() == ["before", "after-7"]
    names = [s["name"] for s in api.get("/flow_run_states/", params={"flow_run_id": flow_run_id}).json()]
    assert "Suspended" in names and "Resuming" in names and "Crashed" not in names, names
    assert names[-1] == "Completed"


def _worker_children(pid: int) -> str:
    """The command lines of the worker's child processes (Linux /proc)."""
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except (OSError, ValueError, IndexError):
                continue
    return "\n".join(lines)


SERVED = f'''
import sys
sys.path.insert(0, {str(FLOWS.parent)!r})
from flows import suspending

if __name__ == "__main__":
    suspending.serve(name="served")
'''


def test_served_flow_suspends_and_runs_again_embedded(tmp_path: Path) -> None:
    """No server: `flow.serve()` on the embedded database runs the resumed run again."""
    import json

    env = child_env(tmp_path / "home", **_QUICK)
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "serve_it.py"
    script.write_text(SERVED)

    def hw(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([HEADWATER, *args], env=env, capture_output=True, text=True, timeout=60)

    def run_state(flow_run_id: str) -> tuple[str, str]:
        state = json.loads(hw("flow-run", "inspect", flow_run_id, "-o", "json").stdout)["state"] or {}
        return state.get("type", ""), state.get("name", "")

    with subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as served:
        try:
            wait_for(lambda: [d["status"] for d in json.loads(hw("deployment", "ls", "-o", "json").stdout or "[]")]
                     == ["READY"], 60, "the served deployment to be ready", interval=0.3)
            assert hw("deployment", "run", "suspending/served", "-p", f"out={out}").returncode == 0
            runs = json.loads(hw("flow-run", "ls", "-o", "json").stdout)
            flow_run_id = runs[0]["id"]
            wait_for(lambda: run_state(flow_run_id) == ("PAUSED", "Suspended"), 60, "the run to be suspended",
                     interval=0.2)
            wait_for(lambda: hw("flow-run", "resume", flow_run_id, "-i", "value=5").returncode == 0, 30,
                     "the resume to be accepted (the input's schema stored)", interval=0.2)
            wait_for(lambda: run_state(flow_run_id)[0] in ("COMPLETED", "FAILED", "CRASHED"), 60,
                     "the resumed run to finish", interval=0.2)
            assert run_state(flow_run_id) == ("COMPLETED", "Completed")
            assert (out / "tasks.log").read_text().split() == ["before", "after-5"]
        finally:
            served.send_signal(signal.SIGTERM)
            try:
                served.wait(20)
            except subprocess.TimeoutExpired:
                served.kill()
