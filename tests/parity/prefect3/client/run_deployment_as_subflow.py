"""run_deployment inside a flow links the new run as a subflow: its parent_task_run_id is
a task run of the calling flow run, named after the deployment. With as_subflow=False
there is no link."""

from prefect import flow, get_client
from prefect.deployments import run_deployment
from prefect.runtime import flow_run


@flow
def child(n: int = 1) -> None:
    pass


@flow
def parent() -> tuple:
    linked = run_deployment("child/client-parity-sub", timeout=0)
    loose = run_deployment("child/client-parity-sub", timeout=0, as_subflow=False)
    return flow_run.id, linked, loose


with get_client(sync_client=True) as client:
    client.create_deployment(flow_id=client.create_flow_from_name("child"), name="client-parity-sub",
                             entrypoint="sub.py:child")

parent_id, linked, loose = parent()
print(linked.parent_task_run_id is not None, loose.parent_task_run_id)
with get_client(sync_client=True) as client:
    link = client.read_task_run(linked.parent_task_run_id)
    print(str(link.flow_run_id) == parent_id)
    print(link.task_key.rsplit(".", 1)[-1], link.dynamic_key)
    print(link.state.type.value)
    for run in (linked, loose):
        client.delete_flow_run(run.id)
