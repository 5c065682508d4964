"""create_flow_run (Pending), set_flow_run_state to Cancelled, read_flow_run_states,
then delete_flow_run; reading it afterwards raises ObjectNotFound."""

from prefect import flow, get_client
from prefect.exceptions import ObjectNotFound
from prefect.states import Cancelled


@flow
def never_run() -> None:
    pass


with get_client(sync_client=True) as client:
    run = client.create_flow_run(never_run, name="made-by-the-client", parameters={}, tags=["client-parity"])
    print(run.name, run.state.type.value, run.state_name)
    result = client.set_flow_run_state(run.id, Cancelled(message="not needed"))
    print(result.status.value, result.state.type.value, result.state.name)
    again = client.read_flow_run(run.id)
    print(again.state.is_cancelled(), again.state.message)
    print([s.type.value for s in client.read_flow_run_states(run.id)])
    client.delete_flow_run(run.id)
    try:
        client.read_flow_run(run.id)
    except ObjectNotFound:
        print("deleted")
