"""map() over a tuple and a string, and over two lists of unequal length (the shorter one wins).

Exercises Task.map with different iterables (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def show(x):
    return x


@task
def add(x, y):
    return x + y


with Flow("iterables") as flow:
    from_tuple = show.map((5, 6))
    from_string = show.map("xyz")
    uneven = add.map([1, 2, 3], [10, 20])

state = flow.run()
for ref in (from_tuple, from_string, uneven):
    print(type(state.result[ref]).__name__, state.result[ref].result)
