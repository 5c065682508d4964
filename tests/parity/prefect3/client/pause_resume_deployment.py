"""pause_deployment / resume_deployment and read_deployments filtered by flow name
(DeploymentFilter, FlowFilter)."""

from prefect import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName, FlowFilter, FlowFilterName

with get_client(sync_client=True) as client:
    flow_id = client.create_flow_from_name("client-parity-pausable")
    first = client.create_deployment(flow_id=flow_id, name="alpha", entrypoint="p.py:f")
    client.create_deployment(flow_id=flow_id, name="beta", entrypoint="p.py:f")
    print(client.read_deployment(first).paused)
    client.pause_deployment(first)
    print(client.read_deployment(first).paused)
    client.resume_deployment(first)
    print(client.read_deployment(first).paused)
    found = client.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=["client-parity-pausable"])))
    print(sorted(d.name for d in found))
    only = client.read_deployments(
        flow_filter=FlowFilter(name=FlowFilterName(any_=["client-parity-pausable"])),
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["beta"])),
    )
    print([d.name for d in only], only[0].flow_id == flow_id)
