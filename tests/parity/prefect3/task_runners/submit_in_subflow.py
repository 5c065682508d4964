"""A subflow with its own task runner submits and resolves its own futures.

Exercises nested flows each with a ThreadPoolTaskRunner (Prefect docs: task runners, flows)."""
from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner


@task
def add(a, b):
    return a + b


@flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
def child(n: int):
    return sum(f.result() for f in [add.submit(i, n) for i in range(3)])


@flow(task_runner=ThreadPoolTaskRunner(max_workers=3))
def parent():
    futures = [add.submit(1, 1), add.submit(2, 2)]
    sub = child(10)
    return [f.result() for f in futures], sub


print(parent())
