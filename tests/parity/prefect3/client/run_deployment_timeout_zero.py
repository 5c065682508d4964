"""run_deployment(..., timeout=0) returns the new flow run at once, Scheduled, with the
deployment's parameters merged with the ones given (prefect.deployments.run_deployment)."""

from prefect import flow, get_client
from prefect.deployments import run_deployment


@flow
def report(region: str = "eu", days: int = 7) -> None:
    pass


with get_client(sync_client=True) as client:
    flow_id = client.create_flow_from_name("report")
    client.create_deployment(flow_id=flow_id, name="client-parity-weekly", parameters={"region": "us"},
                             entrypoint="report.py:report")

run = run_deployment("report/client-parity-weekly", parameters={"days": 30}, timeout=0, flow_run_name="weekly-run")
print(run.name)
print(run.state.type.value, run.state.name, run.state.is_scheduled())
print(sorted(run.parameters.items()))
print(run.parent_task_run_id)
with get_client(sync_client=True) as client:
    deployment = client.read_deployment_by_name("report/client-parity-weekly")
    print(run.deployment_id == deployment.id, deployment.name, deployment.parameters)
    client.delete_flow_run(run.id)
