"""create_flow_run_from_deployment with parameters and tags, then count_flow_runs and
read_flow_runs filtered by deployment (DeploymentFilter) and by tags (FlowRunFilterTags)."""

import uuid

from prefect import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterTags,
)
from prefect.client.schemas.sorting import FlowRunSort

marker = f"batch-{uuid.uuid4().hex[:8]}"
with get_client(sync_client=True) as client:
    flow_id = client.create_flow_from_name("client-parity-counted")
    deployment_id = client.create_deployment(flow_id=flow_id, name="counted", entrypoint="c.py:f",
                                             parameters={"n": 0})
    runs = [client.create_flow_run_from_deployment(deployment_id, parameters={"n": i}, tags=[marker],
                                                   name=f"counted-{i}") for i in range(4)]
    ids = FlowRunFilterId(any_=[r.id for r in runs])
    print(client.count_flow_runs(flow_run_filter=FlowRunFilter(id=ids)))
    tagged = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[marker])),
                                   sort=FlowRunSort.NAME_DESC, limit=3)
    print([r.name for r in tagged])
    print([r.parameters for r in tagged])
    of_deployment = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id=ids),
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
    )
    print(len(of_deployment), all(r.deployment_id == deployment_id for r in of_deployment))
    print(sorted({r.state_name for r in of_deployment}))
    for run in runs:
        client.delete_flow_run(run.id)
