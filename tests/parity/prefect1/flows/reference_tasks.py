"""The flow's final state is decided by its reference tasks (terminal tasks by default).

Exercises Flow.set_reference_tasks and Flow.reference_tasks (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def ok():
    return 1


@task
def bad():
    raise RuntimeError("bad")


with Flow("refs") as flow:
    o = ok()
    b = bad()

print(sorted(t.name for t in flow.reference_tasks()))
state = flow.run()
print(type(state).__name__)
flow.set_reference_tasks([o])
print(sorted(t.name for t in flow.reference_tasks()))
state = flow.run()
print(type(state).__name__, state.message)
