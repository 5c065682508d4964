"""Which decorator hooks run when a flow returns a Cancelled or Failed state by hand, and
when a flow is called with arguments its signature refuses (with return_state=True)."""
from prefect import flow
from prefect.states import Cancelled, Failed

events = []


@flow
def stops():
    return Cancelled(message="stop")


@stops.on_cancellation
def cancelled_hook(flw, run, state):
    events.append(f"cancellation hook: {state.name} {state.message}")


@stops.on_completion
def completed_hook(flw, run, state):
    events.append("completion hook")


@flow
def rejects():
    return Failed(message="rejected")


@rejects.on_failure
def failure_hook(flw, run, state):
    events.append(f"failure hook: {state.message}")


@flow
def takes_one(x: int):
    return x


s = stops(return_state=True)
print(s.type.value, s.name)
s = rejects(return_state=True)
print(s.type.value, s.name)
for e in events:
    print(e)
try:
    s = takes_one(1, 2, return_state=True)
    print("bind error state:", s.type.value)
except Exception as exc:
    print("bind error raised:", type(exc).__name__)
try:
    s = takes_one(y=1, return_state=True)
    print("missing argument state:", s.type.value)
except Exception as exc:
    print("missing argument raised:", type(exc).__name__)
