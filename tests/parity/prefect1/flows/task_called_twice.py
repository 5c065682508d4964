"""Calling one task twice in a flow makes two copies; each copy has its own result.

Exercises task copying on call and flow.get_tasks (docs-v1: core/concepts/tasks).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def inc(x):
    return x + 1


with Flow("twice") as flow:
    a = inc(1)
    b = inc(a)

print(len(flow.tasks), a is b, a.name, b.name)
print(len(flow.get_tasks(name="inc")))
state = flow.run()
print(state.result[a].result, state.result[b].result)
