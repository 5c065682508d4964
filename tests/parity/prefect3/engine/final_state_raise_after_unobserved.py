"""Calling a flow (without return_state) whose submitted task failed unobserved but which
returned a Completed state: no exception reaches the caller."""
from prefect import flow, task
from prefect.states import Completed


@task
def boom():
    raise RuntimeError("bad")


@flow
def wrapper():
    f = boom.submit()
    f.wait()
    return Completed(message="handled")


print(wrapper())
print("after")
