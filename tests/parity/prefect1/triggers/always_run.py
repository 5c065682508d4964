"""trigger=always_run runs a task whatever its upstream states were.

Exercises prefect.triggers.always_run (docs-v1: core/concepts/execution#triggers).
"""
import logging
import sys

from prefect import Flow, task
from prefect.triggers import always_run

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def breaks():
    raise RuntimeError("broken")


@task
def works():
    return 1


@task(trigger=always_run)
def cleanup():
    print("cleanup ran")
    return "cleaned"


with Flow("always") as flow:
    b = breaks()
    w = works()
    c = cleanup(upstream_tasks=[b, w])

state = flow.run()
print(type(state.result[c]).__name__, state.result[c].result)
print(type(state).__name__)
flow.set_reference_tasks([c])
print(type(flow.run()).__name__)
