"""A dependency cycle is refused by add_edge(validate=True); added without validation, the flow run fails.

Exercises Flow.add_edge(validate=) and flow.validate() (docs-v1: api/latest/core/flow).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def a(x=None):
    return 1


@task
def b(x):
    return x


with Flow("cycle") as flow:
    first = a()
    second = b(first)

try:
    flow.add_edge(second, first, validate=True)
except ValueError as exc:
    print("ValueError", "cycle" in str(exc).lower())
print(len(flow.edges))
first.set_upstream(second, flow=flow)
print(len(flow.edges))
try:
    flow.validate()
except ValueError as exc:
    print("ValueError", "cycle" in str(exc).lower())
print(type(flow.run()).__name__)
