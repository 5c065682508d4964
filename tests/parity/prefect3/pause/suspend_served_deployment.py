"""suspend_flow_run in a served deployment: the flow's process ends with the run
Suspended; resumed with input, the served deployment runs the flow again, the task
that completed before is answered from its persisted result, and the run completes
with the input. The deployment is served by a second process running this file."""

import os
import subprocess
import sys
import time

from prefect import flow, get_client, task
from prefect.deployments import run_deployment
from prefect.flow_runs import resume_flow_run, suspend_flow_run
from prefect.input import read_flow_run_input


@task(persist_result=True)
def record(name):
    with open(os.environ["PARITY_TASK_LOG"], "a") as f:
        f.write(name + "\n")
    return name


@flow
def approval():
    first = record("before")
    number = suspend_flow_run(wait_for_input=int, timeout=120)
    second = record(f"after-{number}")
    return f"{first}/{second}"


def executed():
    with open(os.environ["PARITY_TASK_LOG"]) as f:
        return f.read().split()


def wait(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("gave up waiting")


def main():
    os.environ["PARITY_TASK_LOG"] = os.path.abspath("tasks.log")
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.5")
    served = subprocess.Popen([sys.executable, __file__, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        with get_client(sync_client=True) as client:
            wait(lambda: _deployment(client))
            run = run_deployment("approval/served", timeout=0)

            def suspended():
                state = client.read_flow_run(run.id).state
                return state.is_paused() and read_flow_run_input("suspended-1-schema", flow_run_id=run.id)

            wait(suspended)
            state = client.read_flow_run(run.id).state
            print("suspended:", state.type.value, state.name, state.state_details.pause_reschedule)
            print("executed:", executed())
            resume_flow_run(run.id, run_input={"value": 7})
            state = client.read_flow_run(run.id).state
            print("resumed:", state.type.value, state.name)
            wait(lambda: client.read_flow_run(run.id).state.is_final())
            state = client.read_flow_run(run.id).state
            print("final:", state.type.value, state.name)
            print("executed:", executed())
            names = [s.name for s in client.read_flow_run_states(run.id)]
            print("went through:", [n for n in ("Suspended", "Resuming", "Crashed") if n in names])
    finally:
        served.terminate()
        served.wait(30)


def _deployment(client):
    try:
        return client.read_deployment_by_name("approval/served")
    except Exception:
        return None


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        approval.serve(name="served")
    else:
        main()
