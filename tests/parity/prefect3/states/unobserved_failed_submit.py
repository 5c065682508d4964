"""A flow that submitted a task which failed, without looking at its future, ends as Prefect decides.

Exercises final state determination with unresolved futures (Prefect docs: flows, "Final state")."""
from prefect import flow, task


@task
def fails():
    raise RuntimeError("nobody looks at me")


@task
def works():
    return 1


@flow
def ignore_failure():
    fails.submit()
    works.submit()
    return "returned value"


@flow
def ignore_failure_no_return():
    fails.submit()


state = ignore_failure(return_state=True)
print(state.type.value, state.name)
print(state.result(raise_on_failure=False))

state2 = ignore_failure_no_return(return_state=True)
print(state2.type.value, state2.name)
