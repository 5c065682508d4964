"""A flow that exceeds timeout_seconds ends Failed with the TimedOut name.

Exercises @flow(timeout_seconds=...)."""
import time

from prefect import flow


@flow(timeout_seconds=1)
def slow_flow():
    time.sleep(5)
    return "too late"


if __name__ == "__main__":
    state = slow_flow(return_state=True)
    print(state.type.value, state.name, state.is_failed())
    try:
        state.result()
    except TimeoutError as exc:
        print("TimeoutError subclass:", isinstance(exc, TimeoutError))
