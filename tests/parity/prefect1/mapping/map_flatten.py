"""flatten() maps over the elements of a list of lists produced by a mapped task.

Exercises prefect.flatten (docs-v1: core/concepts/mapping#flat-mapping).
"""
import logging
import sys

from prefect import Flow, flatten, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def count_to(n):
    return list(range(1, n + 1))


@task
def square(x):
    return x * x


with Flow("flat") as flow:
    nested = count_to.map([1, 2, 3])
    squares = square.map(flatten(nested))

state = flow.run()
print(state.result[nested].result)
print(state.result[squares].result)
print(len(state.result[squares].map_states))
