"""State.result() on a failed state raises its exception; raise_on_failure=False returns it.

Exercises State.result(raise_on_failure=...) on task and flow states (Prefect docs: states, results)."""
from prefect import flow, task


@task
def bad():
    raise ZeroDivisionError("div")


@flow
def run():
    state = bad(return_state=True)
    got = state.result(raise_on_failure=False)
    print("returned:", type(got).__name__, got)
    try:
        state.result()
    except ZeroDivisionError as exc:
        print("raised:", type(exc).__name__, exc)
    return "flow finished"


print(run())
