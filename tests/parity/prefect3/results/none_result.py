"""A task or flow returning None has a Completed state whose result is None.

Exercises State.result() for None results (Prefect docs: results)."""
from prefect import flow, task


@task
def nothing():
    pass


@flow
def run():
    state = nothing(return_state=True)
    print(state.type.value, state.result())


state = run(return_state=True)
print(state.type.value, state.result())
