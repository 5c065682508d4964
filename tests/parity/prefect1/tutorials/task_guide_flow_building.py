"""Prefect 1 advanced tutorial "task guide", adding tasks to flows: add_task, calling a task in a
flow context (a copy is added), task_args renaming, Constant, Parameters added on use,
set_dependencies(keyword_tasks=...), upstream_tasks=[...].

Exercises Flow.add_task, task copies on call, task_args, Constant, set_dependencies, upstream_tasks.
"""
import logging
import sys

from prefect import task, Flow, Parameter
from prefect.tasks.core.constants import Constant

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def names(flow):
    return sorted(t.name for t in flow.tasks)


@task
def number_task():
    return 42


f = Flow("example")
f.add_task(number_task)
print(names(f))

with Flow("example-v2") as f:
    result = number_task()
print(names(f), number_task in f.tasks, result in f.tasks)

with Flow("example-v3") as f:
    result = number_task(task_args={"name": "new-name"})
print(names(f))


@task(name="add_task")
def add_task(x, y):
    return x + y


f = Flow("add-example")
f.set_dependencies(add_task, keyword_tasks={"x": 1, "y": 2})
print(names(f), f.run().result[add_task].result)

with Flow("add-example-v2") as f:
    result = add_task(x=1, y=2)
print(names(f), add_task in f.tasks, result in f.tasks, f.run().result[result].result)


@task
def do_nothing(arg):
    return arg


with Flow("constants") as flow:
    r = do_nothing(Constant({"x": 1, "y": [9, 10]}))
print(names(flow), flow.run().result[r].result)

with Flow("add-example-v3") as f:
    x = Parameter("x", default=1)
    y = Parameter("y", default=2)
    result = add_task(x=x, y=y)  # <-- the moment at which x, y are added to the Flow
print(names(f), x in f.tasks, y in f.tasks, f.run(x=10).result[result].result)

order = []


@task(name="A")
def task_A():
    order.append("A")


@task(name="B")
def task_B():
    order.append("B")


with Flow("functional-example") as flow:
    result = task_B(upstream_tasks=[task_A])
state = flow.run()
print(names(flow), order, sorted((e.upstream_task.name, e.downstream_task.name) for e in flow.edges))
