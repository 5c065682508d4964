"""`headwater.runtime.flow_run.job_variables` in a run a real worker started: the run's own
job variables (what Prefect 3.9.1 returns there, checked on it with a process worker),
while the worker applies the template's, the deployment's and the run's to the job."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from worker.conftest import Server, Workers, wait_for

FLOW = '''
import json, os
from headwater import flow
from headwater.runtime import flow_run


@flow
def sub() -> object:
    return flow_run.job_variables


@flow
def report(out: str) -> None:
    seen = {"top": flow_run.job_variables, "sub": sub(),
            "env": {k: os.environ.get(k) for k in ("FROM_DEPLOYMENT", "FROM_RUN")}, "cwd": os.getcwd()}
    with open(out + ".tmp", "w") as f:
        json.dump(seen, f)
    os.replace(out + ".tmp", out)
'''


def _run(server: Server, deployment_id: str, out: Path, **body: Any) -> dict[str, Any]:
    run = server.call("POST", f"/deployments/{deployment_id}/create_flow_run",
                      json={"parameters": {"out": str(out)}, **body})
    final = server.wait_final(run["id"], timeout=90)
    assert final["state"]["type"] == "COMPLETED", final["state"]
    wait_for(out.exists, 10, f"{out} to be written")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_a_worker_run_reads_its_own_job_variables(server: Server, workers: Workers, pool: str,
                                                  tmp_path: Path) -> None:
    source = tmp_path / "jv_flow.py"
    source.write_text(FLOW)
    deployment = server.call("POST", "/deployments/", json={
        "name": "jv", "flow_name": "report", "entrypoint": f"{source}:report", "work_pool_name": pool,
        "job_variables": {"env": {"FROM_DEPLOYMENT": "d"}, "stream_output": False}})
    workers.start(pool)

    overrides = {"env": {"FROM_RUN": "r"}, "working_dir": str(tmp_path)}
    seen = _run(server, deployment["id"], tmp_path / "1.json", job_variables=overrides)
    assert seen["top"] == overrides  # not merged with the deployment's nor the template's defaults
    assert seen["sub"] == {}
    # The worker applied them: the run's env replaces the deployment's, working_dir is used.
    assert seen["env"] == {"FROM_DEPLOYMENT": None, "FROM_RUN": "r"}
    assert seen["cwd"] == str(tmp_path)

    plain = _run(server, deployment["id"], tmp_path / "2.json")
    assert plain["top"] == {} and plain["sub"] == {}
    assert plain["env"] == {"FROM_DEPLOYMENT": "d", "FROM_RUN": None}
