"""Prefect 3 allows a task to call another task and a flow: results come back, and the
runtime sees the inner task's own name."""
from prefect import flow, task
from prefect.runtime import task_run


@task
def inner(x):
    return f"{task_run.task_name}:{x}"


@flow
def small_flow(x):
    return x * 2


@task
def outer(x):
    return inner(x), small_flow(x), task_run.task_name


@flow
def main():
    return outer(3)


print(main())
print(outer(4))
