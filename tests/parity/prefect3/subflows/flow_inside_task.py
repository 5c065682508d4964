"""A flow called from inside a task runs as a nested flow run and returns its result to the task.

Exercises calling a flow from a task (supported in Prefect 3)."""
from prefect import flow, task


@flow
def inner(x: int) -> int:
    return x * 10


@task
def wrapper(x: int) -> int:
    return inner(x) + 1


@flow
def outer():
    return [wrapper(i) for i in (1, 2)]


if __name__ == "__main__":
    print(outer())
