"""The server's zombie service checks each run's recorded process on its own host
(issue 19): a run whose process was killed is Crashed at once, with its task run in
flight, without waiting for the heartbeat limit; a run whose process lives is never
declared dead, even with its heartbeat late because a task holds the GIL.

Real `headwater server start`, real client-mode flow processes, a real `kill -9`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ServerProcess, wait_for

SLEEPER = '''
import sys, time
from pathlib import Path
from headwater import flow, task
from headwater.runtime import flow_run

out = Path(sys.argv[1])


@task
def wait_forever() -> None:
    (out / "running").write_text(str(flow_run.id))
    time.sleep(3600)


@flow(name="to-be-killed")
def main() -> None:
    wait_forever()


main()
'''


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    # A heartbeat limit far longer than the test: only the process check can end the run.
    started = ServerProcess(tmp_path / "home", HEADWATER_ZOMBIE_AFTER_SECONDS="600",
                            HEADWATER_SERVICES_INTERVAL_SECONDS="0.2").start()
    yield started
    started.stop()


def test_a_killed_client_mode_run_is_crashed_at_once_by_the_server(server: ServerProcess, tmp_path: Path) -> None:
    script = tmp_path / "sleeper.py"
    script.write_text(SLEEPER)
    env = dict(server.env, HEADWATER_API_URL=server.url, HEADWATER_LOGGING_TO_CONSOLE="false",
               HEADWATER_HOME=str(tmp_path / "client-home"))
    env.pop("HEADWATER_DATABASE_URL", None)
    errors = tmp_path / "stderr.log"
    with errors.open("w") as err:  # the child holds its own copy
        proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)], env=env, stdout=subprocess.DEVNULL,
                                stderr=err)
    with httpx.Client(base_url=server.url, timeout=30) as api:
        try:
            wait_for(lambda: (tmp_path / "running").exists() or proc.poll() is not None, 60, "the task to run")
            assert proc.poll() is None, errors.read_text()
            run_id = (tmp_path / "running").read_text()

            def task_running_on_the_server() -> bool:
                tasks = api.post("/task_runs/filter", json={"task_runs": {"flow_run_id": {"any_": [run_id]}}}).json()
                return any(t["state"] and t["state"]["type"] == "RUNNING" for t in tasks)

            wait_for(task_running_on_the_server, 30, "the run's task run Running on the server")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            killed = time.monotonic()
            wait_for(lambda: api.get(f"/flow_runs/{run_id}").json()["state"]["type"] == "CRASHED", 30,
                     "the killed run to be Crashed (the heartbeat limit is 600 s)")
            to_crashed = time.monotonic() - killed
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        run = api.get(f"/flow_runs/{run_id}").json()
        assert f"process {proc.pid} on " in run["state"]["message"], run["state"]
        assert "zombie service" in run["state"]["message"], run["state"]
        tasks = api.post("/task_runs/filter", json={"task_runs": {"flow_run_id": {"any_": [run_id]}}}).json()
        assert [t["state"]["type"] for t in tasks] == ["CRASHED"], tasks
    (tmp_path / "figures.json").write_text(json.dumps({"kill_to_crashed_s": to_crashed}))
    print(f"\nkill -9 -> Crashed through the server in {to_crashed:.2f} s (services every 0.2 s; heartbeat limit "
          f"600 s)")
    assert to_crashed < 20
