"""Deployment triggers that run served deployments, as the "Pass event payloads to
flows" and "Chain deployments with events" how-tos write them: a custom event's whole
payload passed as one parameter (`__prefect_kind` json over jinja) and its fields as
separate parameters, and a deployment run when another deployment's run completes
(`match_related` on the deployment's name). Served by a second process running this file."""

import os
import subprocess
import sys
import time
from typing import Any

from prefect import flow, get_client, serve
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName, FlowRunFilter
from prefect.client.schemas.filters import FlowRunFilterState, FlowRunFilterStateType
from prefect.deployments import run_deployment
from prefect.events import DeploymentEventTrigger, emit_event


@flow(log_prints=True)
def process_webhook(payload: dict[str, Any]):
    return f"whole: {payload.get('user_id')} {payload.get('action')}"


@flow(log_prints=True)
def process_fields(user_id: str, action: str, resource_type: str):
    return f"fields: {action} for user {user_id} on {resource_type}"


@flow(log_prints=True)
def upstream_flow():
    return "upstream"


@flow(log_prints=True)
def downstream_flow():
    return "downstream"


def deployments():
    whole = process_webhook.to_deployment(
        name="webhook-processor",
        triggers=[DeploymentEventTrigger(
            expect={"api.webhook.received"},
            parameters={"payload": {"__prefect_kind": "json",
                                    "value": {"__prefect_kind": "jinja", "template": "{{ event.payload | tojson }}"}}},
        )],
    )
    fields = process_fields.to_deployment(
        name="webhook-processor-fields",
        triggers=[DeploymentEventTrigger(
            expect={"api.webhook.received"},
            parameters={
                "user_id": {"__prefect_kind": "jinja", "template": "{{ event.payload.user_id }}"},
                "action": {"__prefect_kind": "jinja", "template": "{{ event.payload.action }}"},
                "resource_type": {"__prefect_kind": "jinja", "template": "{{ event.payload.resource_type }}"},
            },
        )],
    )
    upstream = upstream_flow.to_deployment(name="upstream_deployment")
    downstream = downstream_flow.to_deployment(
        name="downstream_deployment",
        triggers=[DeploymentEventTrigger(expect={"prefect.flow-run.Completed"},
                                         match_related={"prefect.resource.name": "upstream_deployment"})],
    )
    return whole, fields, upstream, downstream


def wait(condition, seconds=50):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError("gave up waiting")


def finished_runs(client, deployment_name):
    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=["COMPLETED"]))),
    )


def main():
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.5")
    served = subprocess.Popen([sys.executable, __file__, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        with get_client(sync_client=True) as client:
            wait(lambda: len(client.read_automations()) == 3, 90)
            print("automations:", len(client.read_automations()))
            time.sleep(3)  # let the server's trigger evaluation load the new automations
            emit_event(
                event="api.webhook.received",
                resource={"prefect.resource.id": "custom.webhook.handler", "prefect.resource.role": "api"},
                payload={"user_id": "123", "action": "created", "resource_type": "order",
                         "timestamp": "2024-01-15T10:30:00Z"},
            )
            for name in ("webhook-processor", "webhook-processor-fields"):
                run = wait(lambda: finished_runs(client, name))[0]
                print(name, run.parameters, run.state.type.value)
            upstream = run_deployment("upstream-flow/upstream_deployment", timeout=60)
            print("upstream:", upstream.state.type.value)
            run = wait(lambda: finished_runs(client, "downstream_deployment"))[0]
            print("downstream_deployment", run.parameters, run.state.type.value)
    finally:
        served.terminate()
        served.wait(30)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve(*deployments())
    else:
        main()
