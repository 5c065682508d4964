"""A task past its timeout_seconds fails as TimedOut; the flow can observe the state.

Exercises @task(timeout_seconds=...) (Prefect docs: tasks, "Timeouts")."""
import time

from prefect import flow, task


@task(timeout_seconds=0.5)
def slow():
    for _ in range(40):
        time.sleep(0.1)
    return "done"


@task(timeout_seconds=5)
def quick():
    return "quick"


@flow
def run():
    state = slow(return_state=True)
    print(state.name, state.type.value, state.is_failed())
    exc = state.result(raise_on_failure=False)
    print(isinstance(exc, TimeoutError))
    print(quick())
    return "flow ok"


print(run())
