"""When some mapped runs fail the others still complete; each future carries its own state.

Exercises failures inside Task.map (Prefect docs: tasks, "Map")."""
from prefect import flow, task


@task
def invert(x: int) -> float:
    return 1 / x


@flow
def run():
    futures = invert.map([1, 0, 4, 0])
    futures.wait()
    print([f.state.type.value for f in futures])
    print([f.result(raise_on_failure=False) if f.state.is_completed() else type(f.result(raise_on_failure=False)).__name__ for f in futures])
    return "checked"


state = run(return_state=True)
print(state.type.value, state.result())
