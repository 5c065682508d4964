"""Two real workers on one pool, on SQLite and on PostgreSQL: every run executes once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from worker.conftest import Server, Workers, wait_for

RUNS = 12


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_two_workers_never_run_the_same_flow_run(database: str, tmp_path: Path,
                                                 request: pytest.FixtureRequest) -> None:
    env = {"HEADWATER_DATABASE_URL": request.getfixturevalue("postgres_url")} if database == "postgres" else {}
    server = Server(tmp_path / "home", **env).start()
    workers = Workers(server)
    try:
        server.call("POST", "/work_pools/", json={"name": "shared"})
        deployment = server.deploy("many", "quick", pool="shared")
        out = tmp_path / "out"
        ids = [server.run(deployment["id"], out=str(out), n=i) for i in range(RUNS)]
        workers.start("shared", limit=4, name="left")
        workers.start("shared", limit=4, name="right")
        wait_for(lambda: server.call("POST", "/flow_runs/count", json={
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]}}}}) == RUNS,
            90, "every run to finish")
        states = Counter(server.state(i) for i in ids)
        assert states == Counter({"COMPLETED": RUNS}), states
        executions = Counter(line.split()[0] for line in (out / "runs.log").read_text().splitlines())
        assert executions == Counter({i: 1 for i in ids})  # each run executed exactly once
        claimed_by = Counter(next(s["message"] for s in server.call(
            "GET", "/flow_run_states/", params={"flow_run_id": i}) if s["type"] == "PENDING") for i in ids)
        assert set(claimed_by) <= {"claimed by worker 'left'", "claimed by worker 'right'"}
    finally:
        workers.stop_all()
        server.stop()
        server.api.close()
