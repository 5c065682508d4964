"""upstream_tasks= adds order-only dependencies: the task waits but receives no data.

Exercises Task.__call__(upstream_tasks=) and LocalExecutor ordering (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


@task
def first():
    events.append("first")


@task
def second():
    events.append("second")


@task
def last(x):
    events.append(f"last {x}")
    return x


with Flow("order") as flow:
    f = first()
    s = second(upstream_tasks=[f])
    l = last(5, upstream_tasks=[s])

state = flow.run()
print(events)
print(len(flow.edges), sorted((e.upstream_task.name, e.downstream_task.name, e.key) for e in flow.edges))
print(type(state).__name__)
