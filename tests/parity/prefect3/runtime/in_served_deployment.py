"""prefect.runtime inside a run of a served deployment, as the "Runtime context" page
shows it (`runtime.flow_run.name`, `runtime.deployment.name`, `runtime.flow_run.parameters`
from a task) plus the deployment's id, parameters and version, the run's job variables
and tags. The deployment is served by a second process running this file; the flow
writes what it saw to a file this process reads."""

import json
import os
import subprocess
import sys
import time

from prefect import flow, get_client, runtime, task
from prefect.deployments import run_deployment


@task
def my_task(y):
    return {"task_run.name": runtime.task_run.name.startswith("my_task-"),
            "task sees flow_run.parameters": dict(runtime.flow_run.parameters)}


@flow(log_prints=True)
def my_flow(x, label="plain"):
    seen = {
        "flow_run.name is the run's": runtime.flow_run.name,
        "deployment.name": runtime.deployment.name,
        "deployment.id": runtime.deployment.id,
        "flow_run.deployment_id": runtime.deployment.flow_run_id == runtime.flow_run.id,
        "deployment.parameters": runtime.deployment.parameters,
        "deployment.version": runtime.deployment.version,
        "flow_run.parameters": dict(runtime.flow_run.parameters),
        "flow_run.tags": sorted(runtime.flow_run.tags),
        "flow_run.job_variables": runtime.flow_run.job_variables,
        "flow_run.flow_name": runtime.flow_run.flow_name,
        "flow_run.run_count": runtime.flow_run.run_count,
        "flow_run.parent_deployment_id": runtime.flow_run.parent_deployment_id,
    }
    seen.update(my_task(2))
    with open(os.environ["PARITY_SEEN"], "w") as f:
        json.dump(seen, f, default=str)


def wait(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("gave up waiting")


def main():
    os.environ["PARITY_SEEN"] = os.path.abspath("seen.json")
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.5")
    served = subprocess.Popen([sys.executable, __file__, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        with get_client(sync_client=True) as client:
            deployment = wait(lambda: _deployment(client))
            run = run_deployment("my-flow/runtime-demo", parameters={"x": 5}, tags=["adhoc"], timeout=60)
            print("final:", run.state.type.value, sorted(client.read_flow_run(run.id).tags))
            seen = json.load(open("seen.json"))
            print("flow_run.name is the run's", seen.pop("flow_run.name is the run's") == run.name)
            print("deployment.id", seen.pop("deployment.id") == str(deployment.id))
            for key, value in seen.items():
                print(key, value)
    finally:
        served.terminate()
        served.wait(30)


def _deployment(client):
    try:
        return client.read_deployment_by_name("my-flow/runtime-demo")
    except Exception:
        return None


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        my_flow.serve(name="runtime-demo", parameters={"x": 1, "label": "served"}, tags=["nightly"], version="7")
    else:
        main()
