"""A flow called from another flow runs as a subflow; its return value flows back to the parent.

Exercises nested flows and prefect.runtime.flow_run (Prefect docs: flows, "Nested flows")."""
from prefect import flow, task
from prefect.runtime import flow_run

events = []


@task
def square(x):
    return x * x


@flow
def child(x: int):
    events.append(("child", flow_run.flow_name))
    return square(x)


@flow
def parent(n: int):
    events.append(("parent", flow_run.flow_name))
    values = [child(i) for i in range(n)]
    events.append(("parent-end", flow_run.flow_name))
    return sum(values)


print(parent(4))
for event in events:
    print(*event)
