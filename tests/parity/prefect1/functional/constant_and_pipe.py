"""Constant tasks for literal arguments, and .pipe to chain calls fluently.

Exercises prefect.tasks.core.constants.Constant and Task.pipe (docs-v1: api/latest/core/task).
"""
import logging
import sys

from prefect import Flow, task
from prefect.tasks.core.constants import Constant

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def add(x, y):
    return x + y


@task
def times(x, factor):
    return x * factor


with Flow("pipes") as flow:
    c = Constant(4, name="four")
    s = add(c, 1)
    p = s.pipe(times, factor=3)
    q = add(2, 2)

state = flow.run()
print(state.result[s].result, state.result[p].result, state.result[q].result)
print(type(c).__name__, c.name, c.value)
print(sorted(t.name for t in flow.tasks))
print(c in flow.tasks, sorted(flow.constants[s].items()))
