"""The "Access parameters in templates" how-to: an `Automation` created from Python
whose `RunDeployment` action passes the parameters of the `alpha` run that completed
(`{{ flow_run.parameters[...] }}` templates) and a literal to the served `beta`
deployment; `alpha` itself is called in this process."""

import os
import subprocess
import sys
import time
from datetime import timedelta

from prefect import flow, get_client
from prefect.automations import Automation, EventTrigger, Posture, ResourceSpecification, RunDeployment
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName


@flow
def alpha(name: str, value: int):
    print(name, value)


@flow
def beta(name: str, value: int, another: float):
    return f"{name} {value!r} {another!r}"


def wait(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError("gave up waiting")


def main():
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.5")
    served = subprocess.Popen([sys.executable, __file__, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        with get_client(sync_client=True) as client:
            beta_deployment_id = wait(lambda: _deployment_id(client), 90)
            automation = Automation(
                name="Passing parameters",
                trigger=EventTrigger(
                    expect={"prefect.flow-run.Completed"},
                    match_related=ResourceSpecification({"prefect.resource.role": "flow",
                                                         "prefect.resource.name": "alpha"}),
                    posture=Posture.Reactive,
                    threshold=1,
                    within=timedelta(0),
                ),
                actions=[RunDeployment(
                    source="selected",
                    deployment_id=beta_deployment_id,
                    parameters={
                        "name": {"template": "{{ flow_run.parameters['name'] }}", "__prefect_kind": "jinja"},
                        # As the docs' "jinja" kind, "42" would fail the integer parameter (Prefect
                        # refuses the run): a string that is one expression keeps the value's type.
                        "value": "{{ flow_run.parameters['value'] }}",
                        "another": 1.2345,
                    },
                )],
            ).create()
            print("created:", Automation.read(name="Passing parameters").id == automation.id)
            time.sleep(3)  # let the server's trigger evaluation load the new automation
            alpha("marvin", 42)
            alpha(name="arthur", value=7)
            runs = wait(lambda: len(_done(client)) == 2 and _done(client))
            for run in sorted(runs, key=lambda r: r.parameters["name"]):
                print("beta:", run.parameters, run.state.type.value)
            automation.delete()
    finally:
        served.terminate()
        served.wait(30)


def _done(client):
    runs = client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["beta"])))
    return [r for r in runs if r.state.is_final()]


def _deployment_id(client):
    try:
        return client.read_deployment_by_name("beta/beta").id
    except Exception:
        return None


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        beta.serve(name="beta")
    else:
        main()
