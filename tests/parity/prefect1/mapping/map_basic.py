"""Task.map runs a task once per element; the mapped state holds one child state per element.

Exercises Task.map and Mapped states (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def numbers():
    return [1, 2, 3]


@task
def add_ten(x):
    return x + 10


@task
def total(xs):
    return sum(xs)


with Flow("map") as flow:
    nums = numbers()
    plus = add_ten.map(nums)
    s = total(plus)

state = flow.run()
mapped = state.result[plus]
print(type(mapped).__name__, mapped.result)
print([type(m).__name__ for m in mapped.map_states])
print(state.result[s].result)
