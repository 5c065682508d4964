"""Prefect 1's API-backed names over real processes and one embedded database:
`headwater.tasks.prefect` (a parent static flow starting a registered child flow and
waiting for it, run by a real `headwater agent local start`), `headwater.backend`'s
views and Prefect 1's `Client`. Waits are on run states, read through the client."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import child_env

HEADWATER = str(Path(sys.executable).with_name("headwater"))

CHILD = """\
from headwater import Flow, Parameter, task


@task
def make(n):
    print("making", n)
    return list(range(n))


@task
def check(xs):
    if len(xs) > 4:
        raise ValueError("too many: " + str(len(xs)))
    return sum(xs)


with Flow("child") as flow:
    n = Parameter("n", default=2)
    check(make(n))

if __name__ == "__main__":
    flow.register(project_name="etl", create_project=True)
"""

PARENT = """\
import json, sys
from headwater import Flow, Parameter
from headwater.tasks.prefect import create_flow_run, wait_for_flow_run

with Flow("parent") as flow:
    n = Parameter("n")
    child_id = create_flow_run(flow_name="child", project_name="etl", parameters={"n": n}, labels=["from-parent"])
    child = wait_for_flow_run(child_id, raise_final_state=True, stream_logs=True)

state = flow.run(n=int(sys.argv[1]))
view = state.result[child].result
print(json.dumps({"parent": type(state).__name__, "wait": type(state.result[child]).__name__,
                  "child_id": state.result[child_id].result, "view": repr(view)}))
"""


def _python(env: dict[str, str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def registered(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An embedded database with flow 'child' registered in project 'etl'."""
    env = child_env(tmp_path / "home", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.2")
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "child.py").write_text(CHILD)
    (folder / "parent.py").write_text(PARENT)
    done = _python(env, folder, "child.py")
    assert done.returncode == 0, done.stderr
    return env, folder


@pytest.fixture
def agent(registered: tuple[dict[str, str], Path], tmp_path: Path) -> Iterator[None]:
    """A real `headwater agent local start` on the same database."""
    env, folder = registered
    with (tmp_path / "agent.log").open("w") as log:
        process = subprocess.Popen([HEADWATER, "agent", "local", "start"], cwd=folder, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_parent_flow_starts_a_registered_child_and_waits_for_it(registered: tuple[dict[str, str], Path],
                                                                 agent: None) -> None:
    env, folder = registered
    done = _python(env, folder, "parent.py", "3")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert (out["parent"], out["wait"]) == ("Success", "Success")
    assert "state=<Success>" in out["view"]
    # The child ran in the agent's process, with the parameters and labels given, named after the parent run.
    probe = _python(env, folder, "-c", f"""
import json
from headwater.backend import FlowRunView
v = FlowRunView.from_flow_run_id({out['child_id']!r})
print(json.dumps({{"state": type(v.state).__name__, "parameters": v.parameters, "labels": v.labels,
                  "name": v.name, "slugs": sorted(t.task_slug for t in v.get_all_task_runs()),
                  "logs": [line.message for line in v.get_logs()]}}))
try:
    v.get_task_run(task_slug="make-1").get_result()
except Exception as exc:  # static flows keep no task results yet (docs/migrating-from-prefect.md)
    print(type(exc).__name__, exc)
""")
    assert probe.returncode == 0, probe.stderr
    listing, unread = probe.stdout.splitlines()
    assert unread.startswith("HeadwaterError task run 'make-") and "kept no result to read" in unread
    child = json.loads(listing)
    assert child["state"] == "Success"
    assert child["parameters"] == {"n": 3}
    assert "from-parent" in child["labels"]
    assert child["name"].endswith("-child")
    assert child["slugs"] == ["check-1", "make-1"]
    assert any("making 3" in m or "Finished in state Completed" in m for m in child["logs"])
    # stream_logs: the child's log lines are in the parent's output
    assert "Flow '" in done.stderr + done.stdout


def test_a_failed_child_fails_the_waiting_task_with_raise_final_state(registered: tuple[dict[str, str], Path],
                                                                     agent: None) -> None:
    env, folder = registered
    done = _python(env, folder, "parent.py", "9")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert (out["parent"], out["wait"]) == ("Failed", "Failed")


CLIENT_PROGRAM = """\
import json
import headwater as prefect
from headwater.backend import FlowView, FlowRunView
from headwater.client.prefect1 import Prefect1ClientUnsupported

client = prefect.Client()
out = {"project": bool(client.create_project("etl")), "again": client.create_project("etl") == client.create_project("etl")}
flow = FlowView.from_flow_name("child", project_name="etl")
out["flow"] = [flow.name, flow.project_name, FlowView.from_id(flow.flow_id).name]
run_id = client.create_flow_run(flow_id=flow.flow_id, parameters={"n": 4}, run_name="by-client", idempotency_key="k1")
out["idempotent"] = client.create_flow_run(version_group_id=flow.flow_id, idempotency_key="k1") == run_id
out["scheduled"] = type(client.get_flow_run_state(run_id)).__name__
info = client.get_flow_run_info(run_id)
out["info"] = [info.name, info.parameters, info.project.name, info.flow_id == flow.flow_id]
out["cancel"] = [client.cancel_flow_run(run_id), type(FlowRunView.from_flow_run_id(run_id).state).__name__]
try:
    client.create_tenant("t")
except Prefect1ClientUnsupported as exc:
    out["tenant"] = str(exc)
try:
    FlowView.from_flow_name("nope", project_name="etl")
except Exception as exc:
    out["missing"] = [type(exc).__name__, str(exc)]
print(json.dumps(out))
"""


def test_the_prefect1_client_and_views(registered: tuple[dict[str, str], Path]) -> None:
    env, folder = registered
    done = _python(env, folder, "-c", CLIENT_PROGRAM)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["project"] and out["again"]
    assert out["flow"] == ["child", "etl", "child"]
    assert out["idempotent"] is True
    assert out["scheduled"] == "Scheduled"
    assert out["info"] == ["by-client", {"n": 4}, "etl", True]
    assert out["cancel"][0] is True and out["cancel"][1] in ("Cancelled", "Cancelling")
    assert "Client.create_tenant has no headwater counterpart: tenants are Prefect Cloud's" in out["tenant"]
    assert out["missing"][0] == "ObjectNotFound" and "flows there: 'child'" in out["missing"][1]
