"""Graph queries on a built flow: upstream/downstream tasks, sorted order, and Flow.chain.

Exercises Flow.upstream_tasks, downstream_tasks, sorted_tasks and chain (docs-v1: api/latest/core/flow).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def source():
    return 1


@task
def left(x):
    return x + 1


@task
def right(x):
    return x + 2


@task
def join(a, b):
    return a + b


with Flow("graph") as flow:
    s = source()
    l = left(s)
    r = right(s)
    j = join(l, r)

print(sorted(t.name for t in flow.upstream_tasks(j)))
print(sorted(t.name for t in flow.downstream_tasks(s)))
order = [t.name for t in flow.sorted_tasks()]
print(order[0], sorted(order[1:3]), order[3])
print(flow.run().result[j].result)

events = []


@task
def step(name):
    events.append(name)


chained = Flow("chained")
one, two, three = step.copy(name="one"), step.copy(name="two"), step.copy(name="three")
with chained:
    x = one("1")
    y = two("2")
    z = three("3")
chained.chain(z, x, y)
chained.run()
print(events)
