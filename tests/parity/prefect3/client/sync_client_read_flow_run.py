"""get_client(sync_client=True) as a context manager: read_flow_run returns the run's
name, parameters, tags and final state (prefect.client.orchestration.SyncPrefectClient)."""

from prefect import flow, get_client, tags
from prefect.runtime import flow_run


@flow(flow_run_name="greeting-run")
def greet(name: str = "world") -> str:
    return flow_run.id


with tags("client-parity"):
    run_id = greet("ada")

with get_client(sync_client=True) as client:
    run = client.read_flow_run(run_id)
    print(run.name)
    print(run.parameters)
    print(sorted(run.tags))
    print(run.state.type.value, run.state.name, run.state_type.value, run.state_name)
    print(run.run_count)
    print(run.start_time is not None, run.end_time is not None, run.end_time >= run.start_time)
    print(str(run.id) == run_id)
    print(client.read_flow(run.flow_id).name)
