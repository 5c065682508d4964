"""The CLI with no server: deploy, a worker on the database, `deployment run --watch`,
`flow.serve()`, Prefect 1's `flow.register(project_name=...)` and `agent local start`;
and the clear errors for bad input."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from worker.conftest import FLOWS, HEADWATER, base_env, wait_for

PREFECT1 = '''
from headwater import Flow, Parameter, task

@task
def greet(name):
    print(f"hello {name}")

with Flow("hello-prefect1", log_prints=True) as flow:
    greet(Parameter("name", default="world"))

flow.register(project_name="tutorial")
'''

SERVED = f'''
import sys
sys.path.insert(0, {str(FLOWS.parent)!r})
from flows import quick

if __name__ == "__main__":
    quick.serve(name="served", limit=2)
'''


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return base_env(tmp_path / "home")


def hw(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HEADWATER, *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def background(env: dict[str, str], tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(20)


def test_deploy_run_watch_and_the_errors_people_make(env: dict[str, str], tmp_path: Path,
                                                     background: list[subprocess.Popen[bytes]]) -> None:
    deployed = hw(env, "deploy", f"{FLOWS}:quick", "--name", "cli", "-p", "n=2", "--interval", "3600")
    assert deployed.returncode == 0, deployed.stderr
    assert "Deployed 'quick/cli'" in deployed.stdout and "every 3600 s" in deployed.stdout
    for args, message in [
        (["deploy", f"{FLOWS}:quick", "--name", "x", "--cron", "61 * * * *"], "invalid cron expression '61 * * * *'"),
        (["deploy", f"{FLOWS}:quick", "--name", "x", "--cron", "0 * * * *", "--timezone", "Nowhere/Town"],
         "unknown timezone 'Nowhere/Town'"),
        (["deploy", f"{FLOWS}:nope", "--name", "x"], "has no attribute 'nope'"),
        (["deploy", f"{FLOWS}:quick", "--name", "x", "--pool", "gpu"], "headwater work-pool create gpu"),
        (["deploy", f"{FLOWS}:quick", "--name", "x", "-p", "n=lots"], "parameters.n"),
        (["deployment", "run", "quick/cli", "-p", "n=lots", "-p", f"out={tmp_path}"], 'parameters.n: "lots"'),
        (["deployment", "run", "quick/missing"], "no deployment 'quick/missing'"),
        (["worker", "start", "--pool", "gpu"], "no work pool named 'gpu'"),
    ]:
        result = hw(env, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    background.append(subprocess.Popen([HEADWATER, "worker", "start", "--pool", "default", "--poll-interval", "0.05"],
                                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    watched = hw(env, "deployment", "run", "quick/cli", "-p", f"out={tmp_path / 'out'}", "--watch", "--timeout", "60")
    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "is Completed" in watched.stdout and "Finished in state Completed()" in watched.stdout
    listed = json.loads(hw(env, "deployment", "ls", "-o", "json").stdout)
    assert [(d["full_name"], d["status"]) for d in listed] == [("quick/cli", "READY")]


def test_prefect1_register_then_agent_local_start_runs_it(env: dict[str, str], tmp_path: Path,
                                                          background: list[subprocess.Popen[bytes]]) -> None:
    script = tmp_path / "hello.py"
    script.write_text(PREFECT1)
    refused = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "no project named 'tutorial': create it with `headwater project create tutorial`" in refused.stderr
    assert hw(env, "project", "create", "tutorial").returncode == 0
    registered = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert registered.returncode == 0, registered.stderr
    projects = json.loads(hw(env, "project", "ls", "-o", "json").stdout)
    assert [(p["name"], p["deployments"]) for p in projects] == [("tutorial", 1)]
    background.append(subprocess.Popen([HEADWATER, "agent", "local", "start"], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL))
    run = hw(env, "deployment", "run", "hello-prefect1/hello-prefect1", "-p", "name=agent", "--watch",
             "--timeout", "60")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "hello agent" in run.stdout  # loading the file in the run's process did not register it again


def test_flow_serve_runs_triggered_runs_without_a_worker(env: dict[str, str], tmp_path: Path,
                                                         background: list[subprocess.Popen[bytes]]) -> None:
    script = tmp_path / "serve_it.py"
    script.write_text(SERVED)
    served = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    background.append(served)
    wait_for(lambda: [d["status"] for d in json.loads(hw(env, "deployment", "ls", "-o", "json").stdout or "[]")]
             == ["READY"], 60, "the served deployment to be ready", interval=0.3)
    run = hw(env, "deployment", "run", "quick/served", "-p", f"out={tmp_path / 'out'}", "--watch", "--timeout", "60")
    assert run.returncode == 0, run.stdout + run.stderr
    served.send_signal(signal.SIGTERM)
    assert served.wait(20) == 0
