"""Background task runs end to end: `task.delay()` in one process, real
`headwater task-worker start` processes running them, embedded (one SQLite file) and
through a real server (SQLite and PostgreSQL): each run executes once with many
workers, a killed worker's runs come back when its lease expires (with their retries
counted), failures come back as the task's exception, and a task the worker cannot
import is one clear error.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from worker.conftest import HEADWATER, Server, base_env, wait_for

TASKS = Path(__file__).with_name("background_tasks.py")


class Fleet:
    """Task-worker processes and producer scripts sharing one environment."""

    def __init__(self, env: dict[str, str], home: Path) -> None:
        self.env = env
        self.home = home
        self.procs: list[subprocess.Popen[bytes]] = []

    def worker(self, *tasks: str, limit: int = 10) -> subprocess.Popen[bytes]:
        log = open(self.home / f"task-worker-{len(self.procs)}.log", "ab")
        proc = subprocess.Popen([HEADWATER, "task-worker", "start", *(f"{TASKS}:{t}" for t in tasks),
                                 "--limit", str(limit)], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.procs.append(proc)
        return proc

    def produce(self, code: str, timeout: float = 120) -> Any:
        """Run `code` (with `bt`, the tasks module, imported) and return the JSON it prints last."""
        script = f"import json, sys\nsys.path.insert(0, {str(TASKS.parent)!r})\nimport background_tasks as bt\n{code}"
        done = subprocess.run([sys.executable, "-c", script], env=self.env, capture_output=True, timeout=timeout)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(30)


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Fleet]:
    fleet = Fleet(base_env(tmp_path / "home", HEADWATER_TASK_WORKER_LEASE_SECONDS="1.5"), tmp_path)
    yield fleet
    fleet.stop()


@pytest.fixture
def through_server(tmp_path: Path) -> Iterator[Fleet]:
    server = Server(tmp_path / "server-home").start()
    fleet = Fleet(server.client_env(HEADWATER_TASK_WORKER_LEASE_SECONDS="1.5"), tmp_path)
    yield fleet
    fleet.stop()
    server.stop()
    server.api.close()


@pytest.fixture
def through_postgres_server(tmp_path: Path, postgres_url: str) -> Iterator[Fleet]:
    server = Server(tmp_path / "server-home", HEADWATER_DATABASE_URL=postgres_url).start()
    fleet = Fleet(server.client_env(HEADWATER_TASK_WORKER_LEASE_SECONDS="1.5"), tmp_path)
    yield fleet
    fleet.stop()
    server.stop()
    server.api.close()


@pytest.fixture(params=["embedded", "server"])
def fleet(request: pytest.FixtureRequest) -> Fleet:
    return request.getfixturevalue("embedded" if request.param == "embedded" else "through_server")


@pytest.fixture(params=["embedded", "server", "server-postgres"])
def any_fleet(request: pytest.FixtureRequest) -> Fleet:
    return request.getfixturevalue({"embedded": "embedded", "server": "through_server",
                                    "server-postgres": "through_postgres_server"}[request.param])


def test_each_run_executes_once_with_many_workers(any_fleet: Fleet, tmp_path: Path) -> None:
    fleet = any_fleet
    out = tmp_path / "executions.txt"
    for _ in range(3):
        fleet.worker("record", "add", "fail")
    got = fleet.produce(f"""
futures = [bt.record.delay(i, {str(out)!r}) for i in range(60)]
failure = bt.fail.delay("no good")
try:
    failure.result(timeout=60)
    raised = None
except ValueError as exc:
    raised = str(exc)
print(json.dumps({{"results": [f.result(timeout=60) for f in futures], "sum": bt.add.delay(2, 3).result(timeout=60),
                  "raised": raised, "state": failure.state.type.value}}))
""")
    assert got == {"results": list(range(60)), "sum": 5, "raised": "no good", "state": "FAILED"}
    tags = [int(line.split()[0]) for line in out.read_text().splitlines()]
    assert sorted(tags) == list(range(60)), "a run executed twice or never"


def _kill_the_worker_running(marker: Path, worker: subprocess.Popen[bytes]) -> None:
    wait_for(lambda: marker.exists() and marker.read_text(), 60, "the first attempt to start")
    assert int(marker.read_text()) == worker.pid
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)


def test_a_killed_workers_run_comes_back_and_counts_its_retries(fleet: Fleet, tmp_path: Path) -> None:
    marker, marker2 = tmp_path / "attempt-1", tmp_path / "no-retries"
    first = fleet.worker("hang_once", "hang")
    queued = fleet.produce(f"""
print(json.dumps([bt.hang_once.delay({str(marker)!r}).task_run_id, bt.hang.delay({str(marker2)!r}).task_run_id]))
""")
    _kill_the_worker_running(marker, first)
    fleet.worker("hang_once", "hang")  # the runs come back when the dead worker's leases expire
    got = fleet.produce(f"""
from headwater.engine.background.futures import BackgroundFuture
again = BackgroundFuture({queued[0]!r}).result(timeout=60)
lost = BackgroundFuture({queued[1]!r}).final_state(timeout=60)
print(json.dumps({{"again": again, "lost": [lost.type.value, lost.message]}}))
""")
    assert got["again"] == "second attempt"
    # `hang` has no retries: claimed by the killed worker with `hang_once`, it ends Crashed.
    assert got["lost"][0] == "CRASHED" and "stopped renewing its lease" in got["lost"][1]


def test_a_task_the_worker_cannot_import_is_one_clear_error(embedded: Fleet) -> None:
    done = subprocess.run([HEADWATER, "task-worker", "start", "no_such_module:add", f"{TASKS}:add"],
                          env=embedded.env, capture_output=True, timeout=60)
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "no_such_module:add" in err and "cannot be imported" in err and "Traceback" not in err
    done = subprocess.run([HEADWATER, "task-worker", "start", f"{TASKS}:nope"], env=embedded.env,
                          capture_output=True, timeout=60)
    assert done.returncode == 1 and "has no attribute 'nope'" in done.stderr.decode()
    assert "tasks there: add" in done.stderr.decode()
