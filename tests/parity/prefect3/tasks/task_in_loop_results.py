"""Calling a task repeatedly in a loop: each call is its own run and returns its own value.

Exercises repeated direct task calls inside a flow (Prefect docs: tasks)."""
from prefect import flow, task
from prefect.runtime import task_run

seen_names = []


@task(task_run_name="step-{i}")
def step(i: int, acc: int) -> int:
    seen_names.append(task_run.name)
    return acc + i


@flow
def run(n: int):
    acc = 0
    for i in range(n):
        acc = step(i, acc)
    return acc


print(run(5))
print(seen_names)
