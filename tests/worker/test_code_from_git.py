"""Deployments whose code is in a git repository, run by a real worker against a real
server: each run checks out the branch's commit of that moment, so a commit pushed
between two runs is what the second one runs; a branch deleted after deploying fails
the run with the reason, before any flow code runs. And job variables: the pool's
template defaults, the deployment's, a run's own, applied by the process type."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from runner.gitrepo import Repo, git
from worker.conftest import Server, Workers

FLOW = '''
import os
from pathlib import Path
from headwater import flow

VERSION = {version!r}

@flow
def report(out: str) -> None:
    Path(out).write_text(json.dumps({{"version": VERSION, "greeting": os.environ.get("GREETING"),
                                      "cwd": os.getcwd()}}))

import json
'''

DEPLOY = '''
import sys
from headwater import flow
from headwater.runner.storage import GitRepository
source = GitRepository(url=sys.argv[1], branch=sys.argv[2] if len(sys.argv) > 2 else None)
deployment_id = flow.from_source(source, "flows/report.py:report").deploy(
    "from-git", work_pool_name={pool!r}, job_variables={{"env": {{"GREETING": "from the deployment"}}}})
print(deployment_id)
'''


def deploy(server: Server, pool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", DEPLOY.format(pool=pool), *args], env=server.client_env(),
                          capture_output=True, text=True, timeout=120)


def run_and_read(server: Server, deployment_id: str, out: Path, **body: object) -> dict[str, object]:
    run = server.call("POST", f"/deployments/{deployment_id}/create_flow_run",
                      json={"parameters": {"out": str(out)}, **body})
    final = server.wait_final(run["id"], timeout=90)
    assert final["state"]["type"] == "COMPLETED", final["state"]
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_each_run_checks_out_the_branch_as_it_is_then(server: Server, workers: Workers, pool: str,
                                                      tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit({"flows/report.py": FLOW.format(version="v1")})
    deployed = deploy(server, pool, repo.url)
    assert deployed.returncode == 0, deployed.stderr
    deployment_id = deployed.stdout.strip().splitlines()[-1]
    info = server.call("GET", f"/deployments/{deployment_id}")
    assert info["entrypoint"] == "flows/report.py:report"
    assert info["pull_steps"] == [{"prefect.deployments.steps.git_clone": {"repository": repo.url, "branch": None}}]
    workers.start(pool)

    first = run_and_read(server, deployment_id, tmp_path / "1.json")
    assert first["version"] == "v1" and first["greeting"] == "from the deployment"
    repo.commit({"flows/report.py": FLOW.format(version="v2")})
    assert run_and_read(server, deployment_id, tmp_path / "2.json")["version"] == "v2"
    # A run's own job variables go over the deployment's.
    third = run_and_read(server, deployment_id, tmp_path / "3.json",
                         job_variables={"env": {"GREETING": "from the run"}, "working_dir": str(tmp_path)})
    assert third["greeting"] == "from the run"
    assert third["cwd"].startswith(str(Path(server.env["HEADWATER_HOME"]) / "code"))  # pull steps moved it on


def test_a_deleted_branch_fails_the_run_before_the_flow_runs(server: Server, workers: Workers, pool: str,
                                                             tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit({"flows/report.py": FLOW.format(version="v1")})
    repo.commit({"flows/report.py": FLOW.format(version="topic")}, branch="topic")
    deployed = deploy(server, pool, repo.url, "topic")
    assert deployed.returncode == 0, deployed.stderr
    deployment_id = deployed.stdout.strip().splitlines()[-1]
    git("push", "-q", "origin", "--delete", "topic", cwd=repo.work)
    workers.start(pool)
    run = server.call("POST", f"/deployments/{deployment_id}/create_flow_run",
                      json={"parameters": {"out": str(tmp_path / "never.json")}})
    final = server.wait_final(run["id"], timeout=90)
    assert final["state"]["type"] == "FAILED"
    assert "branch 'topic' not found in repository" in final["state"]["message"]
    assert "its branches: main" in final["state"]["message"]
    assert not (tmp_path / "never.json").exists()


def test_deploying_from_a_missing_branch_fails_at_once(server: Server, pool: str, tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit({"flows/report.py": FLOW.format(version="v1")})
    deployed = deploy(server, pool, repo.url, "nope")
    assert deployed.returncode != 0
    assert "branch 'nope' not found in repository" in deployed.stderr


@pytest.mark.parametrize("job_variables, problem", [
    ({"stream_output": "loud"}, "job_variables.stream_output: \"loud\" is not of type \"boolean\""),
    ({"env": {"A": 1}}, "job_variables.env.A: 1 is not valid under any of the schemas"),
])
def test_bad_job_variable_refused(
        server: Server, pool: str, tmp_path: Path, job_variables: dict[str, object], problem: str) -> None:
    deployment = server.deploy("jv", "quick", pool=pool)
    reply = server.api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"job_variables": job_variables})
    assert reply.status_code == 422, reply.text
    assert problem in reply.json()["detail"]


def test_a_pool_template_with_its_own_defaults(server: Server, workers: Workers, tmp_path: Path) -> None:
    from headwater.core.job_templates import default_base_job_template

    template = default_base_job_template("process")
    template["variables"]["properties"]["env"]["default"] = {"GREETING": "from the pool"}
    server.call("POST", "/work_pools/", json={"name": "templated", "type": "process", "base_job_template": template})
    assert server.pool("templated")["base_job_template"] == template
    repo = Repo(tmp_path)
    repo.commit({"flows/report.py": FLOW.format(version="v1")})
    plain = subprocess.run([sys.executable, "-c", DEPLOY.replace(
        'job_variables={{"env": {{"GREETING": "from the deployment"}}}}', "").format(pool="templated"),
        repo.url], env=server.client_env(), capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    workers.start("templated")
    assert run_and_read(server, plain.stdout.split()[-1], tmp_path / "p.json")["greeting"] == "from the pool"


SERVE = '''
import sys
from headwater import flow
flow.from_source(sys.argv[1], "flows/report.py:report").serve(name="served-from-git")
'''


def test_serve_runs_a_flow_from_git_checking_out_each_run(server: Server, tmp_path: Path) -> None:
    import signal

    from worker.conftest import wait_for

    repo = Repo(tmp_path)
    repo.commit({"flows/report.py": FLOW.format(version="served-1")})
    served = subprocess.Popen([sys.executable, "-c", SERVE, repo.url], env=server.client_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deployment = wait_for(lambda: next((d for d in server.call("GET", "/deployments/")
                                            if d["name"] == "served-from-git" and d["status"] == "READY"), None),
                              60, "the served deployment", interval=0.2)
        assert deployment["pull_steps"][0]["prefect.deployments.steps.git_clone"]["repository"] == repo.url
        assert run_and_read(server, deployment["id"], tmp_path / "s1.json")["version"] == "served-1"
        repo.commit({"flows/report.py": FLOW.format(version="served-2")})
        assert run_and_read(server, deployment["id"], tmp_path / "s2.json")["version"] == "served-2"
    finally:
        served.send_signal(signal.SIGTERM)
        served.wait(30)
