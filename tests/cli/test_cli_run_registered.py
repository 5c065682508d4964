"""Prefect 1's CLI forms, as real console-script processes over one embedded database:
`headwater create project`, and `headwater run --name F --project P` of a flow that
`flow.register(project_name=P)` registered (left to a worker, watched, or executed here),
`run -p FILE` / `-m MODULE`, and the errors for what does not exist."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HEADWATER_SCRIPT

FLOWS = """\
from headwater import Flow, Parameter, task


@task(log_stdout=True)
def say_hello(name):
    print("Hello, {}!".format(name))
    return name


@task
def boom(who):
    raise ValueError("no " + who)


with Flow("hello-flow") as flow:
    name = Parameter("name", default="world")
    say_hello(name)

with Flow("bad-flow") as bad:
    who = Parameter("who")
    boom(who)

if __name__ == "__main__":
    flow.register(project_name="demo")
    bad.register(project_name="demo")
"""


def _headwater(env: dict[str, str], *args: str, cwd: Path | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HEADWATER_SCRIPT), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def _runs(env: dict[str, str]) -> list[dict]:
    listed = _headwater(env, "flow-run", "ls", "--output", "json", "--limit", "100")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


def _run(env: dict[str, str], run_id: str) -> dict:
    (found,) = [r for r in _runs(env) if r["id"] == run_id]
    return found


def _run_id(stdout: str) -> str:
    (line,) = [line for line in stdout.splitlines() if line.startswith("└── UUID: ")]
    return line.removeprefix("└── UUID: ")


@pytest.fixture
def registered(script_env: dict[str, str], tmp_path: Path) -> Path:
    """Project 'demo' made with `headwater create project`, and two Prefect 1 flows registered in it."""
    created = _headwater(script_env, "create", "project", "demo", "-d", "Prefect 1 flows")
    assert created.returncode == 0, created.stderr
    assert created.stdout == "demo created\n"
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "flows.py").write_text(FLOWS)
    done = subprocess.run([sys.executable, "flows.py"], cwd=folder, env=script_env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return folder


def test_create_project_is_prefect1s_and_leaves_an_existing_one(script_env: dict[str, str]) -> None:
    assert _headwater(script_env, "create", "project", "etl", "--description", "nightly").stdout == "etl created\n"
    again = _headwater(script_env, "create", "project", "etl", "-d", "other")
    assert (again.returncode, again.stdout) == (0, "etl already exists\n")
    skipped = _headwater(script_env, "create", "project", "etl", "--skip-if-exists")
    assert (skipped.returncode, skipped.stdout) == (0, "etl already exists\n")
    listed = json.loads(_headwater(script_env, "project", "ls", "--output", "json").stdout)
    assert [(p["name"], p["description"]) for p in listed] == [("etl", "nightly")]
    bad = _headwater(script_env, "create", "project", "a/b")
    assert bad.returncode == 2 and "not a usable name" in bad.stderr


def test_execute_runs_the_registered_flow_here(script_env: dict[str, str], registered: Path) -> None:
    done = _headwater(script_env, "run", "--name", "hello-flow", "--project", "demo", "--execute",
                      "--param", "name=Marvin", "--label", "cli", "--run-name", "by-hand")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Looking up flow metadata... Done\nCreating run for flow 'hello-flow'... Done\n")
    assert "Executing flow run..." in done.stdout and done.stdout.endswith("Flow run succeeded!\n")
    assert "Hello, Marvin!" in done.stderr  # the run's own log lines, from its process
    run = _run(script_env, _run_id(done.stdout))
    assert (run["name"], run["flow_name"], run["state"]["type"]) == ("by-hand", "hello-flow", "COMPLETED")
    assert run["parameters"] == {"name": "Marvin"} and "cli" in run["tags"]
    deployment = json.loads(_headwater(script_env, "deployment", "inspect", "hello-flow/hello-flow",
                                       "--output", "json").stdout)
    assert run["deployment_id"] == deployment["id"]
    states = json.loads(_headwater(script_env, "flow-run", "inspect", run["id"], "--output", "json").stdout)["states"]
    assert [s["type"] for s in states] == ["SCHEDULED", "PENDING", "PENDING", "RUNNING", "COMPLETED"]
    assert "agentless" in states[1]["details"] and "run --execute" in states[1]["message"]
    assert not any((s.get("details") or {}).get("worker") for s in states)  # no worker took it


def test_execute_of_a_failing_flow_exits_1(script_env: dict[str, str], registered: Path) -> None:
    failed = _headwater(script_env, "run", "-n", "bad-flow", "--execute", "--param", "who=Arthur", "--no-logs")
    assert failed.returncode == 1, failed.stderr
    assert "Flow run failed!" in failed.stdout and "Traceback" not in failed.stdout
    assert _run(script_env, _run_id(failed.stdout))["state"]["type"] == "FAILED"


def test_default_leaves_it_to_a_worker_and_watch_follows_it(script_env: dict[str, str], registered: Path) -> None:
    left = _headwater(script_env, "run", "--name", "hello-flow", "--project", "demo", "--quiet")
    assert left.returncode == 0, left.stderr
    run_id = left.stdout.strip()
    assert len(run_id) == 36 and "\n" not in run_id  # --quiet: only the id
    assert _run(script_env, run_id)["state"]["type"] == "SCHEDULED"

    log = open(registered / "agent.log", "wb")
    agent = subprocess.Popen([str(HEADWATER_SCRIPT), "agent", "local", "start"], env=script_env, cwd=registered,
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        watched = _headwater(script_env, "run", "-n", "hello-flow", "--project", "demo", "--watch",
                             "--param", "name=Trillian")
        assert watched.returncode == 0, watched.stdout + watched.stderr
        assert "Watching flow run execution..." in watched.stdout
        assert "Entered state <Running>" in watched.stdout and "| Hello, Trillian!" in watched.stdout
        assert watched.stdout.endswith("Flow run succeeded!\n")
        failed = _headwater(script_env, "run", "-n", "bad-flow", "--project", "demo", "-w", "--param", "who=Zaphod")
        assert failed.returncode == 1
        assert "no Zaphod" in failed.stdout and "Flow run failed!" in failed.stdout
        assert _run(script_env, _run_id(failed.stdout))["state"]["type"] == "FAILED"
    finally:
        agent.terminate()
        agent.wait(60)
        log.close()
    assert _run(script_env, _run_id(watched.stdout))["state"]["type"] == "COMPLETED"


def test_idempotency_key_gives_back_the_same_run(script_env: dict[str, str], registered: Path) -> None:
    first = _headwater(script_env, "run", "-n", "hello-flow", "--idempotency-key", "nightly-1", "-q")
    second = _headwater(script_env, "run", "-n", "hello-flow", "--idempotency-key", "nightly-1", "-q")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert len([r for r in _runs(script_env) if r["flow_name"] == "hello-flow"]) == 1
    refused = _headwater(script_env, "run", "-n", "hello-flow", "--idempotency-key", "nightly-1", "--execute")
    assert refused.returncode == 1 and "it is not run a second time" in refused.stderr


def test_param_file_and_param(script_env: dict[str, str], registered: Path, tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"name": "from-file"}))
    done = _headwater(script_env, "run", "-n", "hello-flow", "--param-file", str(params), "-q")
    assert _run(script_env, done.stdout.strip())["parameters"] == {"name": "from-file"}
    both = _headwater(script_env, "run", "-n", "hello-flow", "--param-file", str(params), "--param", "name=cli")
    assert "--param wins" in both.stdout
    assert _run(script_env, _run_id(both.stdout))["parameters"] == {"name": "cli"}


@pytest.mark.parametrize(("args", "expected"), [
    (["-n", "nope", "--project", "demo"],
     "Error: no flow named 'nope' is registered in project 'demo' (flows there: 'bad-flow', 'hello-flow'; "
     "`headwater deployment ls --project 'demo'` lists them"),
    (["-n", "hello-flow", "--project", "nope"],
     "Error: no project named 'nope' (projects: 'demo'; `headwater project ls` lists them, "
     "`headwater create project nope` creates it)"),
    (["-n", "nope"], "Error: no flow named 'nope' is registered in any project (registered flows: 'bad-flow', "
                     "'hello-flow'; `headwater deployment ls` lists them)"),
    (["--project", "demo"], "Error: --project 'demo' needs --name FLOW too"),
    (["-n", "bad-flow", "--param", "nobody=1"], "nobody"),
])
def test_what_does_not_exist_is_one_error_line(script_env: dict[str, str], registered: Path, args: list[str],
                                               expected: str) -> None:
    failed = _headwater(script_env, "run", *args)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    errors = [line for line in failed.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and expected in errors[0], failed.stderr
    assert "Traceback" not in failed.stderr


@pytest.mark.parametrize(("args", "expected"), [
    ([], "which flow?"),
    (["-n", "hello-flow", "--id", "x"], "too many ways to find the flow"),
    (["-p", "flows.py", "--project", "demo"], "too many ways to find the flow"),
    (["-n", "hello-flow", "--schedule"], "--schedule is for flows run here"),
    (["-n", "hello-flow", "--log-level", "DEBUG"], "--log-level applies to runs in this process"),
    (["-p", "flows.py", "-n", "hello-flow", "--execute"], "--execute is for registered flows"),
])
def test_usage_errors(script_env: dict[str, str], registered: Path, args: list[str], expected: str) -> None:
    failed = _headwater(script_env, "run", *args, cwd=registered)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert expected in " ".join(failed.stderr.replace("│", " ").split())


def test_prefect1_local_forms_run_here(script_env: dict[str, str], registered: Path) -> None:
    by_path = _headwater(script_env, "run", "-p", "flows.py", "-n", "hello-flow", "--param", "name=Ford",
                         cwd=registered)
    assert by_path.returncode == 0, by_path.stderr
    assert by_path.stdout == "Retrieving local flow... Done\nRunning flow locally...\nFlow run succeeded!\n"
    assert "Hello, Ford!" in by_path.stderr
    by_module = _headwater(script_env, "run", "-m", "flows", "--name", "bad-flow", "-p", "who=Ford", "-q",
                           cwd=registered)
    assert by_module.returncode == 1 and by_module.stdout == ""
    assert "Error: flow run of 'bad-flow' failed: Some reference tasks failed." in by_module.stderr
    several = _headwater(script_env, "run", "--path", "flows.py", cwd=registered)
    assert several.returncode == 1
    assert "Error: found several flows in flows.py: 'bad-flow', 'hello-flow'; choose one with --name" in several.stderr
    runs = [r for r in _runs(script_env) if r["deployment_id"] is None]
    assert sorted((r["flow_name"], r["state"]["type"]) for r in runs) == [("bad-flow", "FAILED"),
                                                                         ("hello-flow", "COMPLETED")]


def test_id_takes_a_deployment_id_or_its_name(script_env: dict[str, str], registered: Path) -> None:
    deployment = json.loads(_headwater(script_env, "deployment", "inspect", "hello-flow/hello-flow",
                                       "--output", "json").stdout)
    for ref in (deployment["id"], "hello-flow/hello-flow"):
        done = _headwater(script_env, "run", "-i", ref, "-q")
        assert done.returncode == 0, done.stderr
        assert _run(script_env, done.stdout.strip())["deployment_id"] == deployment["id"]
    missing = _headwater(script_env, "run", "--id", "nope/nope")
    assert missing.returncode == 1 and "Error: no deployment 'nope/nope'" in missing.stderr
