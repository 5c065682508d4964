"""A task state handler sees every transition of the task as (old state, new state).

Exercises Task(state_handlers=[...]) (docs-v1: core/concepts/notifications#state-handlers).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def trace(task, old_state, new_state):
    print(f"{task.name}: {type(old_state).__name__} -> {type(new_state).__name__}")
    return new_state


@task(state_handlers=[trace])
def ok():
    return 1


@task(state_handlers=[trace])
def broken():
    raise ValueError("nope")


with Flow("handlers") as flow:
    first = ok()
    broken(upstream_tasks=[first])  # an edge, so the two run in a fixed order

state = flow.run()
print(type(state).__name__)
