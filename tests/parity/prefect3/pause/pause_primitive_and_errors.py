"""wait_for_input with a plain type (Prefect wraps it), resuming a run that is not
paused (NotPausedError), pausing outside a flow, and suspending a flow run that has no
deployment (refused)."""

import threading
import time

from prefect import flow, get_client
from prefect.exceptions import NotPausedError
from prefect.flow_runs import pause_flow_run, resume_flow_run, suspend_flow_run
from prefect.input import read_flow_run_input
from prefect.runtime import flow_run


def resumer(flow_run_id):
    with get_client(sync_client=True) as client:
        for _ in range(600):
            state = client.read_flow_run(flow_run_id).state
            if state.is_paused() and read_flow_run_input("paused-1-schema", flow_run_id=flow_run_id):
                break
            time.sleep(0.05)
        schema = read_flow_run_input("paused-1-schema", flow_run_id=flow_run_id)
        print("schema properties:", sorted(schema["properties"]), schema["required"])
        print("value type:", schema["properties"]["value"]["type"])
        resume_flow_run(flow_run_id, run_input={"value": 42})


@flow
def wants_a_number():
    thread = threading.Thread(target=resumer, args=(flow_run.id,))
    thread.start()
    number = pause_flow_run(wait_for_input=int, timeout=60, poll_interval=1)
    thread.join()
    print("got:", type(number).__name__, number)
    return flow_run.id


@flow
def tries_to_suspend():
    try:
        suspend_flow_run(timeout=30)
    except RuntimeError as exc:
        print("suspend refused:", type(exc).__name__, exc)
    return "went on"


finished_id = wants_a_number()
try:
    resume_flow_run(finished_id)
except NotPausedError as exc:
    print("resume finished run:", type(exc).__name__, exc)

try:
    pause_flow_run(timeout=5)
except RuntimeError as exc:
    print("pause outside a flow:", type(exc).__name__, exc)

print("tries_to_suspend:", tries_to_suspend())
