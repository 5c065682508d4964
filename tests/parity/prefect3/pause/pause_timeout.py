"""A paused flow that nobody resumes: pause_flow_run raises FlowPauseTimeout when its
timeout passes, which fails the run unless the flow catches it."""

from prefect import flow
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run


@flow
def forgotten():
    pause_flow_run(timeout=1, poll_interval=1)
    return "never"


@flow
def careful():
    try:
        pause_flow_run(timeout=1, poll_interval=1)
    except FlowPauseTimeout as exc:
        print("caught:", type(exc).__name__, exc)
        return "gave up waiting"


state = forgotten(return_state=True)
print("forgotten:", state.type.value, state.name)
print("message:", state.message)
try:
    state.result()
except Exception as exc:
    print("result raises:", type(exc).__name__, exc)

state = careful(return_state=True)
print("careful:", state.type.value, state.name)
print("message:", state.message)
try:
    print("result:", state.result())
except Exception as exc:
    print("result raises:", type(exc).__name__, exc)
