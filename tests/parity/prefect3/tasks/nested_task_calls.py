"""A task may call another task inside its body (Prefect 3 allows nested task runs).

Exercises calling @task from within a @task (Prefect 3 docs: tasks)."""
from prefect import flow, task

order = []


@task
def leaf(x):
    order.append(f"leaf {x}")
    return x * 10


@task
def branch(x):
    order.append(f"branch {x} start")
    value = leaf(x) + leaf(x + 1)
    order.append(f"branch {x} end")
    return value


@flow
def run():
    return branch(1)


print(run())
print(branch(2))
print(order)
