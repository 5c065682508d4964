"""A flow that returns a Completed state after a submitted task failed unobserved ends
Completed with its own message (Prefect 3: the returned state decides the flow's state)."""
from prefect import flow, task
from prefect.states import Completed


@task
def boom():
    raise ValueError("nope")


@flow
def tolerant():
    boom.submit()
    return Completed(message="all good anyway")


state = tolerant(return_state=True)
print(state.type.value, state.name, state.message)
print(state.result())
print(tolerant())
