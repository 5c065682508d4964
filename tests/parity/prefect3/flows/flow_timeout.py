"""A flow over its timeout_seconds ends in a TimedOut state (of type FAILED).

Exercises @flow(timeout_seconds=...) (Prefect docs: flows, "Timeouts")."""
import time

from prefect import flow


@flow(timeout_seconds=1)
def slow():
    for _ in range(50):
        time.sleep(0.1)
    return "finished"


state = slow(return_state=True)
print(state.name, state.type.value, state.is_failed())
try:
    state.result()
except TimeoutError as exc:
    print("raised TimeoutError subclass:", isinstance(exc, TimeoutError))
