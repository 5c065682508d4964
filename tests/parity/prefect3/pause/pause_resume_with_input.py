"""A flow pauses waiting for a RunInput model; another thread resumes it, first with
input that fails validation (refused, the run stays paused), then with valid input.
Exercises pause_flow_run(wait_for_input=...), resume_flow_run and RunInput."""

import threading
import time

from prefect import flow, get_client
from prefect.flow_runs import pause_flow_run, resume_flow_run
from prefect.input import RunInput, read_flow_run_input
from prefect.runtime import flow_run


class Approval(RunInput):
    approved: bool
    reviewer: str = "nobody"


def resumer(flow_run_id):
    with get_client(sync_client=True) as client:
        for _ in range(600):
            state = client.read_flow_run(flow_run_id).state
            if state.is_paused() and read_flow_run_input("paused-1-schema", flow_run_id=flow_run_id):
                break
            time.sleep(0.05)
        print("seen:", state.type.value, state.name)
        try:
            resume_flow_run(flow_run_id, run_input={"approved": "perhaps"})
        except Exception as exc:
            print("bad input refused:", type(exc).__name__)
        state = client.read_flow_run(flow_run_id).state
        print("after bad input:", state.type.value, state.name)
        resume_flow_run(flow_run_id, run_input={"approved": True, "reviewer": "ada"})


@flow
def needs_approval():
    thread = threading.Thread(target=resumer, args=(flow_run.id,))
    thread.start()
    answer = pause_flow_run(wait_for_input=Approval, timeout=60, poll_interval=1)
    thread.join()
    print("answer:", type(answer).__name__, answer.approved, answer.reviewer)
    print("metadata key:", answer.metadata.key)
    return answer.approved


state = needs_approval(return_state=True)
print("final:", state.type.value, state.name, state.result())
