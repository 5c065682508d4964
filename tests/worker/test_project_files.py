"""Project files and the CLI with no server: `headwater init`, `headwater deploy --all` /
`-n NAME` from a prefect.yaml whose pull step clones a real git repository (file://),
templating from step outputs, variables and the environment; job variables from the
CLI; and the errors: an unknown step or a job variable failing the pool's template is
refused with its name before anything runs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.gitrepo import Repo
from worker.conftest import HEADWATER, base_env

FLOW = '''
import os
from headwater import flow

@flow(log_prints=True)
def hello(who: str = "world") -> None:
    print(f"hello {who} from {os.environ.get('MODE')} at {os.path.basename(os.getcwd())[:7]}")
'''

PROJECT = '''
name: demo
build:
  - prefect.deployments.steps.run_shell_script:
      id: describe
      script: echo built-{{ $BUILD_LABEL }}
pull:
  - prefect.deployments.steps.git_clone:
      repository: {url}
      branch: main
deployments:
  - name: greet
    entrypoint: flows/hello.py:hello
    parameters:
      who: "{{ describe.stdout }}"
    tags: ["{{ prefect.variables.team }}"]
    work_pool:
      name: default
      job_variables:
        env: {MODE: project}
  - name: other
    entrypoint: flows/hello.py:hello
'''


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return base_env(tmp_path / "home", BUILD_LABEL="b7")


def hw(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HEADWATER, *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture
def worker(env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen([HEADWATER, "worker", "start", "--pool", "default", "--poll-interval", "0.05"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield
    proc.terminate()
    proc.wait(30)


def test_init_then_deploy_all_from_a_git_project(env: dict[str, str], tmp_path: Path, worker: None) -> None:
    repo = Repo(tmp_path)
    head = repo.commit({"flows/hello.py": FLOW})
    project = repo.work  # deployed from a working copy; runs check out the pushed commit
    initialized = hw(env, "init", cwd=project)
    assert initialized.returncode == 0, initialized.stderr
    assert f"repository: {repo.bare}" in (project / "headwater.yaml").read_text()  # the git recipe: origin
    (project / "headwater.yaml").unlink()
    (project / "prefect.yaml").write_text(PROJECT.replace("{url}", repo.url))
    assert hw(env, "variable", "set", "team", "data").returncode == 0

    deployed = hw(env, "deploy", "--all", cwd=project)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "Deployed 'hello/greet'" in deployed.stdout and "Deployed 'hello/other'" in deployed.stdout
    info = json.loads(hw(env, "deployment", "inspect", "hello/greet", "-o", "json").stdout)
    assert info["parameters"] == {"who": "built-b7"} and info["tags"] == ["data"]
    assert info["job_variables"] == {"env": {"MODE": "project"}}
    assert info["pull_steps"][0]["prefect.deployments.steps.git_clone"]["repository"] == repo.url

    run = hw(env, "deployment", "run", "hello/greet", "--watch", "--timeout", "90")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"hello built-b7 from project at {head[:7]}" in run.stdout  # ran from the checkout of that commit
    override = hw(env, "deployment", "run", "hello/greet", "-jv", 'env={"MODE": "cli"}', "--watch", "--timeout", "90")
    assert override.returncode == 0, override.stdout + override.stderr
    assert "hello built-b7 from cli" in override.stdout


def test_deploy_one_by_name_and_the_errors(env: dict[str, str], tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit({"flows/hello.py": FLOW})
    project = repo.work
    (project / "headwater.yaml").write_text(PROJECT.replace("{url}", repo.url).replace(
        "{{ prefect.variables.team }}", "fixed"))
    one = hw(env, "deploy", "-n", "other", cwd=project)
    assert one.returncode == 0, one.stderr
    assert "Deployed 'hello/other'" in one.stdout and "hello/greet" not in one.stdout

    bad = PROJECT.replace("{url}", repo.url).replace("run_shell_script", "build_docker_image")
    (project / "headwater.yaml").write_text(bad)
    refused = hw(env, "deploy", "--all", cwd=project)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "unknown deployment step 'prefect.deployments.steps.build_docker_image'" in refused.stderr
    listed = [d["full_name"] for d in json.loads(hw(env, "deployment", "ls", "-o", "json").stdout)]
    assert listed == ["hello/other"]  # nothing else registered, no step ran

    for args, message in [
        (["deploy", "-n", "nope"], "no deployment named 'nope' in the project file (its deployments: greet, other)"),
        (["deploy"], "name the deployments to deploy with -n NAME"),
        (["deployment", "run", "hello/other", "-jv", "stream_output=loud"],
         'job_variables.stream_output: "loud" is not of type "boolean"'),
        (["work-pool", "create", "bad", "--base-job-template", str(project / "headwater.yaml")], "is not JSON"),
    ]:
        result = hw(env, *args, cwd=project)
        assert result.returncode in (1, 2), (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)


def test_work_pool_templates_from_the_cli(env: dict[str, str], tmp_path: Path) -> None:
    printed = hw(env, "work-pool", "get-default-base-job-template", "--type", "process")
    template = json.loads(printed.stdout)
    assert sorted(template["variables"]["properties"]) == ["command", "env", "labels", "name", "stream_output",
                                                           "working_dir"]
    template["variables"]["properties"]["stream_output"]["default"] = False
    (tmp_path / "t.json").write_text(json.dumps(template))
    created = hw(env, "work-pool", "create", "quiet", "--type", "process", "--base-job-template",
                 str(tmp_path / "t.json"))
    assert created.returncode == 0, created.stderr
    shown = json.loads(hw(env, "work-pool", "inspect", "quiet").stdout)
    assert shown["base_job_template"]["variables"]["properties"]["stream_output"]["default"] is False
    template["job_configuration"]["command"] = "{{ missing }}"
    (tmp_path / "t.json").write_text(json.dumps(template))
    refused = hw(env, "work-pool", "create", "broken", "--base-job-template", str(tmp_path / "t.json"))
    assert refused.returncode == 1
    assert "job_configuration uses {{ missing }}, which is not a variable" in refused.stderr
