"""Calling a task outside a `with Flow` block is refused (no active flow); task.run() calls the
function directly. Exercises Task.__call__ outside a flow and Task.run (docs-v1: core/concepts/tasks).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def add(x, y):
    return x + y


try:
    add(1, 2)
except ValueError as exc:
    print("ValueError", "add.run(" in str(exc))
print(add.run(1, 2), add.run(x=3, y=4))

with Flow("inside") as flow:
    total = add(1, 2)
print(flow.run().result[total].result)
