"""Deployment triggers from Prefect's "custom event grammar" and "debouncing events"
guides, run by a served deployment: an `expect` after an `after` event, `for_each`
resource (only the user whose order was created and then completed gets a run, the
later event declaring `follows`), and a reactive trigger with `within` and
`schedule_after` that turns a burst of events per resource into one scheduled run."""

import os
import subprocess
import sys
import time
from datetime import timedelta

from prefect import flow, get_client, serve
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
from prefect.events import DeploymentEventTrigger, emit_event
from prefect.events.schemas.deployment_triggers import DeploymentEventTrigger as SchemaTrigger

order_complete = SchemaTrigger(
    expect={"order.complete"},
    after={"order.created"},
    for_each={"prefect.resource.id"},
    parameters={"user_id": "{{ event.resource.id }}"},
)


@flow(log_prints=True)
def post_order_complete(user_id: str):
    print(f"User {user_id} has completed an order -- doing stuff now")
    return user_id


@flow(log_prints=True)
def process_files():
    print("Processing all pending files...")


def deployments():
    return (
        post_order_complete.to_deployment(name="post-order", triggers=[order_complete]),
        process_files.to_deployment(name="process-s3-uploads", triggers=[DeploymentEventTrigger(
            enabled=True,
            match={"prefect.resource.id": "s3-bucket-name/*"},
            expect=["aws:s3:ObjectCreated:*"],
            for_each=["prefect.resource.id"],
            posture="Reactive",
            threshold=1,
            within=60,
            schedule_after=timedelta(seconds=60),
        )]),
    )


def wait(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError("gave up waiting")


def runs_of(client, deployment_name):
    return client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name])))


def main():
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="0.5")
    served = subprocess.Popen([sys.executable, __file__, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        with get_client(sync_client=True) as client:
            wait(lambda: len(client.read_automations()) == 2, 90)
            time.sleep(3)  # let the server's trigger evaluation load the new automations
            user_id_1, user_id_2 = "123", "456"
            order_created_1 = emit_event(event="order.created", resource={"prefect.resource.id": user_id_1})
            emit_event(event="order.created", resource={"prefect.resource.id": user_id_2})
            emit_event(event="order.complete", resource={"prefect.resource.id": user_id_1}, follows=order_created_1)
            emit_event(event="order.complete", resource={"prefect.resource.id": "789"})  # never created

            for name in ("a.csv", "a.csv", "b.csv", "a.csv"):
                emit_event(event="aws:s3:ObjectCreated:Put", resource={"prefect.resource.id": f"s3-bucket-name/{name}"})
            emit_event(event="aws:s3:ObjectCreated:Put", resource={"prefect.resource.id": "other-bucket/c.csv"})

            run = wait(lambda: [r for r in runs_of(client, "post-order") if r.state.is_completed()])[0]
            print("post-order:", run.parameters, run.state.type.value)
            scheduled = wait(lambda: len(runs_of(client, "process-s3-uploads")) >= 2 and runs_of(client, "process-s3-uploads"))
            time.sleep(4)  # any run the burst wrongly fired would be there by now
            print("post-order runs:", len(runs_of(client, "post-order")))
            scheduled = runs_of(client, "process-s3-uploads")
            print("process-s3-uploads runs:", len(scheduled), sorted(r.state.type.value for r in scheduled))
            delays = [r.expected_start_time - r.created for r in scheduled]
            print("scheduled about a minute after the event:", all(50 <= d.total_seconds() <= 70 for d in delays))
    finally:
        served.terminate()
        served.wait(30)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve(*deployments())
    else:
        main()
