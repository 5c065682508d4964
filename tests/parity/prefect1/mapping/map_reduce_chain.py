"""A mapped task feeding another mapped task, then a reduce step; map over a Parameter too.

Exercises chained mapping and reduce (docs-v1: core/concepts/mapping#iterated-mapping).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def inc(x):
    return x + 1


@task
def double(x):
    return x * 2


@task
def collect(xs):
    return sorted(xs)


with Flow("chain") as flow:
    items = Parameter("items", default=[1, 2, 3, 4])
    a = inc.map(items)
    b = double.map(a)
    c = collect(b)

state = flow.run()
print(state.result[a].result, state.result[b].result, state.result[c].result)
state = flow.run(items=[])
print(state.result[a].result, state.result[b].result, state.result[c].result, type(state).__name__)
